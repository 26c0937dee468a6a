"""Tasks only the tests queue (the worker process imports them by path)."""

from django_tasks import task


@task()
def always_fails() -> None:
    raise RuntimeError("故意失败")
