from django.contrib.auth import views as auth_views
from django.urls import path

from . import push_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("first-password/", views.first_password, name="first_password"),
    path("helping/", views.helping, name="helping"),
    path("helping/<int:retiree_id>/start/", views.start_helping, name="start_helping"),
    path("helping/stop/", views.stop_helping, name="stop_helping"),
    path("elder-mode/", views.switch_elder_mode, name="elder_mode"),
    path(
        "notifications/<int:notification_id>/dismiss/",
        views.dismiss_notification,
        name="dismiss_notification",
    ),
    path("push/subscribe/", push_views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push_views.push_unsubscribe, name="push_unsubscribe"),
]
