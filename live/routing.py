from django.urls import path

from .consumers import CircleConsumer, LiveClassConsumer

websocket_urlpatterns = [
    path("ws/live/<int:class_id>/", LiveClassConsumer.as_asgi()),
    path("ws/circle/<int:circle_id>/", CircleConsumer.as_asgi()),
]
