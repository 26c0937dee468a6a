"""学习圈 in the staff workspace: circles of the staff member's institutions (with their 圈主),
and the messages members reported, to delete, mute or leave."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.models import Institution, User
from accounts.permissions import require_retiree_manager
from courses.models import CoursePage

from . import services
from .models import Circle, CircleMember, MessageReport
from .selectors import may_handle, reports_for


def circles_managed_by(user: User) -> QuerySet[Circle]:
    circles = Circle.objects.select_related("institution", "course")
    if user.is_authenticated and user.is_platform_admin:
        return circles
    if user.is_authenticated and user.is_institution_staff and user.institution_id:
        return circles.filter(institution__path__startswith=user.institution.path)
    return circles.none()


class CircleForm(WagtailAdminModelForm):
    """Institutions, courses and 圈主 offered are the staff member's own."""

    leader = forms.ModelChoiceField(
        label="圈主",
        queryset=User.objects.none(),
        required=False,
        help_text="圈主负责同意入圈申请、管理聊天。可以以后再选。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        institutions = Institution.objects.all()
        people = User.objects.filter(role__in=[User.Role.RETIREE, User.Role.INSTRUCTOR])
        courses = CoursePage.objects.all()
        if user is not None and not user.is_platform_admin and user.institution_id:
            path = user.institution.path
            institutions = institutions.filter(path__startswith=path)
            people = people.filter(institution__path__startswith=path) | people.filter(
                role=User.Role.INSTRUCTOR
            )
            courses = courses.filter(institution__path__startswith=path)
        self.fields["institution"].queryset = institutions
        self.fields["course"].widget = forms.Select()
        self.fields["course"].queryset = courses.order_by("title")
        self.fields["leader"].queryset = people.order_by("name")
        if self.instance.pk:
            current = self.instance.memberships.filter(role=CircleMember.Role.LEADER).first()
            self.initial["leader"] = current.user_id if current else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Circle.Kind.CLASS and not cleaned.get("course"):
            self.add_error("course", "班级圈要选一门课程。")
        return cleaned

    def save(self, commit=True):
        circle = super().save(commit=commit)
        if commit:
            services.fill_class_circle(circle)
            if self.cleaned_data.get("leader"):
                services.appoint(circle, self.cleaned_data["leader"], CircleMember.Role.LEADER)
        return circle


def report_list(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    return render(
        request,
        "circles/admin/circle_reports.html",
        {
            "reports": reports_for(request.user),
            "outcomes": MessageReport.Outcome,
            "page_title": "学习圈举报",
            "header_icon": "warning",
        },
    )


@require_POST
def handle_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(
        MessageReport.objects.select_related("circle", "circle__institution", "event"),
        pk=report_id,
    )
    if not may_handle(request.user, report):
        raise PermissionDenied
    outcome = request.POST.get("outcome")
    if outcome not in (
        MessageReport.Outcome.DELETED,
        MessageReport.Outcome.MUTED,
        MessageReport.Outcome.DISMISSED,
    ):
        messages.error(request, "请选一种处理办法。")
    else:
        services.handle_report(report, request.user, outcome)
        messages.success(request, f"已处理：{MessageReport.Outcome(outcome).label}。")
    return redirect("circle_reports")
