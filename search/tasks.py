"""Background work of the search: one object's entry brought in step after it was published,
saved, moved or renamed, so that publishing does not wait for jieba and pypinyin."""

from django_tasks import task

from .registry import KINDS


@task()
def reindex_object(kind: str, object_id: int) -> None:
    """Safe to run twice: it writes what is live now, or removes the entry."""
    registered = KINDS.get(kind)
    if registered is not None and registered.reindex is not None:
        registered.reindex(object_id)
