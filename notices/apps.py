from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from . import search_documents, signals  # noqa: F401
