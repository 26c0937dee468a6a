from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("<int:notice_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
