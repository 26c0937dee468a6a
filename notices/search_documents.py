"""Notices in the site's search. Who finds a notice is decided by notices.selectors.notices_for,
the same rule as the notice pages: a notice for someone else is never found, nor counted."""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.registry import Document, Kind, register
from search.services import index_document, remove_from_index, schedule_reindex
from search.text import strip_html

from .models import NoticePage
from .selectors import notices_for


def notice_document(notice: NoticePage) -> Document:
    attachments = " ".join(item.document.title for item in notice.attachments.all())
    return Document(
        kind="notice",
        object_id=notice.pk,
        url=notice.url or "",
        title=notice.title,
        summary=notice.summary,
        body=f"{notice.get_category_display()} {strip_html(notice.body)} {attachments}",
        keywords=notice.get_category_display(),
        published_at=notice.published_at(),
        institution_path=notice.institution.path,
    )


def all_documents() -> Iterable[Document]:
    notices = (
        NoticePage.objects.live()
        .select_related("institution")
        .prefetch_related("attachments__document")
    )
    for notice in notices:
        yield notice_document(notice)


def visible_to(user):
    return notices_for(user).order_by().values("pk")


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_save, sender=NoticePage)
def notice_changed(sender, instance=None, raw=False, **kwargs) -> None:
    """Indexed in a task worker. Rows loaded from a backup (raw) bring their index entries
    with them."""
    if isinstance(instance, NoticePage) and not raw:
        schedule_reindex(kind="notice", object_id=instance.pk)


def reindex_notice(object_id: int) -> None:
    """The notice as it is live in the database (the instance saved may carry a draft)."""
    notice = NoticePage.objects.filter(pk=object_id, live=True).first()
    if notice is None:
        remove_from_index(kind="notice", object_id=object_id)
    else:
        index_document(document=notice_document(notice))


@receiver(post_delete, sender=NoticePage)
def notice_deleted(sender, instance, **kwargs) -> None:
    remove_from_index(kind="notice", object_id=instance.pk)


register(
    Kind(
        name="notice",
        label="通知",
        unit="条",
        documents=all_documents,
        visible_to=visible_to,
        reindex=reindex_notice,
    )
)
