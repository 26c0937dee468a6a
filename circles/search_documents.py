"""Study circles in the site's search: those a person is in and those they may ask to join
(circles.selectors), nothing else."""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from search.registry import Document, Kind, register
from search.services import index_document, remove_from_index, schedule_reindex

from .models import Circle
from .selectors import circles_seen_by


def circle_document(circle: Circle) -> Document:
    return Document(
        kind="circle",
        object_id=circle.pk,
        url=reverse("circles:chat", args=[circle.pk]),
        title=circle.name,
        summary=circle.description,
        body=circle.get_kind_display(),
        published_at=circle.created_at,
        institution_path=circle.institution.path,
    )


def all_documents() -> Iterable[Document]:
    for circle in Circle.objects.select_related("institution"):
        yield circle_document(circle)


def visible_to(user):
    return circles_seen_by(user).values("pk")


@receiver(post_save, sender=Circle)
def circle_saved(sender, instance: Circle, raw=False, **kwargs) -> None:
    if raw:  # loaded from a backup, with its index entry
        return
    schedule_reindex(kind="circle", object_id=instance.pk)


def reindex_circle(object_id: int) -> None:
    circle = Circle.objects.select_related("institution").filter(pk=object_id).first()
    if circle is None:
        remove_from_index(kind="circle", object_id=object_id)
    else:
        index_document(document=circle_document(circle))


@receiver(post_delete, sender=Circle)
def circle_deleted(sender, instance: Circle, **kwargs) -> None:
    remove_from_index(kind="circle", object_id=instance.pk)


register(
    Kind(
        name="circle",
        label="学习圈",
        unit="个",
        documents=all_documents,
        visible_to=visible_to,
        reindex=reindex_circle,
    )
)
