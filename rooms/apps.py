from django.apps import AppConfig


class RoomsConfig(AppConfig):
    """The realtime room that live classes and study circles share."""

    name = "rooms"
    verbose_name = "实时房间"
