"""The kinds of thing the search finds. Each app registers its own (in its AppConfig.ready):
how to turn its objects into documents, and which of them a person may see, so that the
search applies each app's own audience rules and imports no app above it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet


@dataclass
class Document:
    kind: str
    object_id: int
    url: str
    title: str
    summary: str = ""
    body: str = ""
    # Also given as pinyin (with the title): the category of a course, for instance.
    keywords: str = ""
    published_at: datetime | None = None
    institution_path: str = ""


@dataclass
class Kind:
    name: str
    label: str  # 课程
    unit: str  # 门
    documents: Callable[[], Iterable[Document]]
    # The ids a user may see (a queryset of ids, or a list), or None when everyone sees all.
    visible_to: Callable[[object], QuerySet | list[int]] | None = None
    # Where to go when nothing is found: (words, address) pairs.
    suggestions: Callable[[], list[tuple[str, str]]] | None = None
    # One object's entry brought in step with its live version (written, or removed when it
    # is no longer searchable): what the background task calls.
    reindex: Callable[[int], None] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind
