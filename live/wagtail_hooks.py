from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.admin_scope import in_scope_only
from core.humanize import human_datetime

from .attendance import attendance_report
from .forms import LiveClassForm
from .models import LiveClass
from .selectors import classes_run_by


def scoped(view_class: type) -> type:
    return in_scope_only(view_class, classes_run_by, "LiveClass")


class LiveClassViewSet(ModelViewSet):
    """直播课: staff and instructors schedule the classes of the courses they run."""

    model = LiveClass
    icon = "media"
    menu_label = "直播课"
    menu_order = 225
    add_to_admin_menu = True
    name = "live_classes"
    url_prefix = "live-classes"
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("course", label="课程", accessor="course.title"),
        Column("when", label="时间", accessor=lambda c: human_datetime(c.starts_at)),
        Column("instructor", label="主讲", accessor="instructor.name"),
        "state",
        Column(
            "links",
            label="课堂与出勤",
            accessor=lambda c: format_html(
                '<a href="/live/{}/">进入课堂</a> · <a href="{}">出勤情况</a>',
                c.pk,
                reverse("live_class_attendance", args=[c.pk]),
            ),
        ),
    ]
    list_filter = ["state"]
    ordering = ["-starts_at"]
    edit_handler = ObjectList(LiveClass.panels, base_form_class=LiveClassForm)
    index_view_class = scoped(generic.IndexView)
    edit_view_class = scoped(generic.EditView)
    delete_view_class = scoped(generic.DeleteView)


@hooks.register("register_admin_viewset")
def register_live_class_viewset():
    return LiveClassViewSet()


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path(
            "live-classes/<int:class_id>/attendance/",
            attendance_report,
            name="live_class_attendance",
        ),
    ]
