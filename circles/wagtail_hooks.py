from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.admin_scope import in_scope_only
from accounts.permissions import can_manage_retirees

from .admin_views import CircleForm, circles_managed_by, handle_report, report_list
from .models import Circle


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("circle-reports/", report_list, name="circle_reports"),
        path("circle-reports/<int:report_id>/", handle_report, name="circle_report_handle"),
    ]


class CircleViewSet(ModelViewSet):
    """学习圈: staff open circles for their institutions and choose each one's 圈主."""

    model = Circle
    icon = "group"
    menu_label = "学习圈"
    menu_order = 230
    add_to_admin_menu = True
    name = "study_circles"
    url_prefix = "study-circles"
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in ["name", "description", "cover", "kind", "course", "institution", "leader"]
        ],
        base_form_class=CircleForm,
    )
    list_display = [
        "name",
        "kind",
        Column("institution", label="开放范围", accessor="institution.name"),
        Column(
            "link",
            label="进入",
            accessor=lambda c: format_html('<a href="/circles/{}/">进入学习圈</a>', c.pk),
        ),
    ]
    list_filter = ["kind"]
    index_view_class = in_scope_only(generic.IndexView, circles_managed_by, "Circle")
    edit_view_class = in_scope_only(generic.EditView, circles_managed_by, "Circle")
    delete_view_class = in_scope_only(generic.DeleteView, circles_managed_by, "Circle")


@hooks.register("register_admin_viewset")
def register_circle_viewset():
    return CircleViewSet()


class CircleReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_retirees(request.user)


@hooks.register("register_admin_menu_item")
def register_circle_reports_menu_item():
    return CircleReportsMenuItem(
        "学习圈举报", reverse("circle_reports"), icon_name="warning", order=235
    )
