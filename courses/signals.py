"""Keeps the cached catalog (courses/caching.py), and the shared caches in front of the site
(wagtail.contrib.frontend_cache), in step with what the catalog shows."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.signals import page_published, page_unpublished, post_page_move

from .caching import forget_catalog
from .models import Category, CourseIndexPage, CoursePage, Enrollment, Term


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, instance=None, **kwargs) -> None:
    forget_catalog()
    if isinstance(instance, CoursePage):
        # Wagtail purges the course's own page; the catalog lists it too.
        purge_pages_from_cache(CourseIndexPage.objects.live())


@receiver(post_save, sender=CoursePage)
@receiver(post_delete, sender=CoursePage)
@receiver(post_save, sender=Enrollment)
@receiver(post_delete, sender=Enrollment)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Term)
def shown_data_changed(sender, **kwargs) -> None:
    forget_catalog()
