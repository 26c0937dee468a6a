from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "学习圈"

    def ready(self) -> None:
        from . import search_documents, signals  # noqa: F401
