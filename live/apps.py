from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "直播课堂与学习圈"

    def ready(self) -> None:
        from . import signals  # noqa: F401
