from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and no domain owns; imports nothing from the domain apps."""

    name = "core"
    verbose_name = "公共部件"

    def ready(self) -> None:
        from . import signals  # noqa: F401
