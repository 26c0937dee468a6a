from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Synonym
from .services import forget_synonyms


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, **kwargs) -> None:
    forget_synonyms()
