from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("", views.today, name="today"),
    path("<int:class_id>/", views.room, name="room"),
    path("<int:class_id>/slides/", views.upload_slides, name="upload_slides"),
    path("<int:class_id>/rate/", views.rate, name="rate"),
]
