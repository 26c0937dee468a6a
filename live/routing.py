from django.urls import path

from .consumers import LiveClassConsumer

websocket_urlpatterns = [
    path("ws/live/<int:class_id>/", LiveClassConsumer.as_asgi()),
]
