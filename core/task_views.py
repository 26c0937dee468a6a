"""后台任务: platform admins see the tasks that kept failing, and try one again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services


def require_admin(request: HttpRequest) -> None:
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


def failed_tasks(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    return render(
        request,
        "core/admin/failed_tasks.html",
        {
            "tasks": selectors.failed_tasks()[:200],
            "counts": selectors.queue_counts(),
            "page_title": "后台任务",
            "header_icon": "cogs",
        },
    )


@require_POST
def retry_task(request: HttpRequest, result_id: str) -> HttpResponse:
    require_admin(request)
    if services.retry_now(result_id=result_id):
        messages.success(request, "已重新放进队列，稍后会再做一次。")
    else:
        messages.error(request, "这个任务已经不在失败列表里了。")
    return redirect("failed_tasks")
