from django.urls import path

from . import views

app_name = "circles"

urlpatterns = [
    path("", views.circle_list, name="list"),
    path("<int:circle_id>/", views.circle_chat, name="chat"),
    path("<int:circle_id>/apply/", views.apply, name="apply"),
    path("<int:circle_id>/leave/", views.leave, name="leave"),
    path("<int:circle_id>/members/", views.members, name="members"),
    path("<int:circle_id>/members/<int:user_id>/", views.decide, name="decide"),
    path("<int:circle_id>/messages/", views.history, name="history"),
    path("<int:circle_id>/upload/", views.upload, name="upload"),
    path("<int:circle_id>/files/<int:file_id>/", views.circle_file, name="file"),
    path("<int:circle_id>/works/", views.works, name="works"),
    path("<int:circle_id>/works/<int:work_id>/", views.work_detail, name="work"),
]
