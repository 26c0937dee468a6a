from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("", views.today, name="today"),
    path("<int:class_id>/", views.room, name="room"),
    path("<int:class_id>/slides/", views.upload_slides, name="upload_slides"),
    path("<int:class_id>/rate/", views.rate, name="rate"),
    path(
        "<int:class_id>/recording/<str:upload_id>/<int:index>/",
        views.recording_chunk,
        name="recording_chunk",
    ),
    path(
        "<int:class_id>/recording/<str:upload_id>/finish/",
        views.recording_finish,
        name="recording_finish",
    ),
]
