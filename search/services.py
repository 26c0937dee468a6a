"""Writes to the search index."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from .models import SearchEntry
from .registry import KINDS, Document
from .tasks import reindex_object
from .text import index_text, pinyin_text

SYNONYMS_KEY = "search:synonyms"
# Bumped on every write to the index: cached results carry the number they were found under,
# so a publish makes them stale at once wherever the cache is shared (Redis); a cache of one
# process (the embedded default's) forgets them after RESULTS_SECONDS anyway.
GENERATION_KEY = "search:generation"


def index_changed() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(GENERATION_KEY, 1, timeout=None)


def entry_fields(document: Document) -> dict:
    title = document.title[:255]
    return {
        "url": document.url[:500],
        "published_at": document.published_at,
        "institution_path": document.institution_path,
        "title": title,
        "summary": document.summary,
        "body": document.body,
        "title_words": index_text(title),
        "summary_words": index_text(document.summary),
        "body_words": index_text(f"{document.keywords} {document.body}"),
        "pinyin": pinyin_text(title, document.keywords),
    }


def index_document(*, document: Document) -> None:
    SearchEntry.objects.update_or_create(
        kind=document.kind, object_id=document.object_id, defaults=entry_fields(document)
    )
    index_changed()


def remove_from_index(*, kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
    index_changed()


def index_all(*, documents: Iterable[Document], batch: int = 500) -> int:
    rows, count = [], 0
    for document in documents:
        rows.append(
            SearchEntry(kind=document.kind, object_id=document.object_id, **entry_fields(document))
        )
        if len(rows) >= batch:
            SearchEntry.objects.bulk_create(rows)
            count += len(rows)
            rows = []
    SearchEntry.objects.bulk_create(rows)
    index_changed()
    return count + len(rows)


def rebuild_index(*, kinds: list[str] | None = None) -> dict[str, int]:
    """Everything again from the source tables: kind → entries written."""
    written = {}
    for name, kind in KINDS.items():
        if kinds and name not in kinds:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=name).delete()
            written[name] = index_all(documents=kind.documents())
    index_changed()
    return written


def schedule_reindex(*, kind: str, object_id: int) -> None:
    """Index one object in a task worker. With the database queue the task is written in the
    caller's transaction, so a publish rolled back leaves no task behind."""
    reindex_object.enqueue(kind, object_id)


def forget_synonyms() -> None:
    cache.delete(SYNONYMS_KEY)
