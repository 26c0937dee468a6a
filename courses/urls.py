from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("<int:course_id>/enroll/", views.enroll, name="enroll"),
    path("<int:course_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:course_id>/evaluate/", views.evaluate_course, name="evaluate"),
    path("<int:course_id>/certificate/", views.certificate, name="certificate"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("lessons/<int:lesson_id>/position/", views.lesson_position, name="lesson_position"),
]
