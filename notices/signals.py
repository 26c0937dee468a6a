"""Keeps notice indexes, publishing rights and announcements in step with the rest of the site."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from accounts.models import Institution, User

from . import services, tasks
from .models import NoticePage


@receiver(page_published, sender=NoticePage)
def announce_when_published(sender, instance: NoticePage, **kwargs) -> None:
    # Fires for "publish" in the editor and for scheduled go-live (publish_scheduled). A task
    # queued in the publish's own transaction: the request returns at once, and the worker
    # sees the notice live.
    tasks.announce_notice.enqueue(instance.pk)


@receiver(post_save, sender=Institution)
def give_new_institution_a_notice_index(sender, instance: Institution, created: bool, **kwargs):
    from home.models import HomePage

    if created and HomePage.objects.exists():
        services.ensure_notice_index(instance)


@receiver(post_save, sender=User)
def keep_publishing_rights_in_step(
    sender, instance: User, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or (update_fields and not {"role", "institution", "is_active"} & set(update_fields)):
        return  # e.g. last_login on every login
    services.put_staff_in_their_publishers_group(instance)
