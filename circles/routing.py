from django.urls import path

from .consumers import CircleConsumer

websocket_urlpatterns = [
    path("ws/circle/<int:circle_id>/", CircleConsumer.as_asgi()),
]
