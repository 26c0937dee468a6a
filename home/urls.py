from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/guide-done/", views.guide_done, name="guide_done"),
    path("help/", views.help_page, name="help"),
    path("favicon.ico", views.favicon, name="favicon"),
]
