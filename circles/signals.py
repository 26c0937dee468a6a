from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Enrollment

from .services import follow_enrollment


@receiver(post_save, sender=Enrollment)
def keep_class_circle_in_step(sender, instance: Enrollment, **kwargs) -> None:
    follow_enrollment(instance)
