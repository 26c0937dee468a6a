"""个人信息查看记录: who looked at or exported whose personal data, for staff to review."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import User
from .permissions import require_retiree_manager, staff_scope
from .selectors import personal_data_accesses_visible_to

NAMES_SHOWN = 5


def personal_data_log(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    person = request.GET.get("person", "").strip()[:50]
    people = User.objects.only("name").order_by("name")
    scope = staff_scope(request.user)
    if scope is not None and not request.user.is_platform_admin:
        people = people.filter(institution__path__startswith=scope.path)  # names of one's own
    accesses = personal_data_accesses_visible_to(request.user, person).prefetch_related(
        Prefetch("subjects", queryset=people[:NAMES_SHOWN], to_attr="some_subjects")
    )
    page = Paginator(accesses, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "accounts/admin/personal_data_log.html",
        {"page": page, "person": person, "page_title": "个人信息查看记录", "header_icon": "view"},
    )
