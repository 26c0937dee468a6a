from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import task_views


@hooks.register("register_admin_urls")
def register_task_urls():
    return [
        path("tasks/failed/", task_views.failed_tasks, name="failed_tasks"),
        path("tasks/<uuid:result_id>/retry/", task_views.retry_task, name="retry_task"),
    ]


class AdminOnlyMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_failed_tasks_menu_item():
    return AdminOnlyMenuItem("后台任务", reverse("failed_tasks"), icon_name="cogs", order=900)
