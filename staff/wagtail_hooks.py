from django.urls import path, reverse
from wagtail import hooks

from accounts.admin_scope import StaffMenuItem

from . import dashboard, reports, views


@hooks.register("register_admin_urls")
def register_staff_urls():
    return [
        path("care/", views.care_list_view, name="care_list"),
        path("care/<int:retiree_id>/contact/", views.record_contact_view, name="care_contact"),
        path("term-report/", reports.term_report_view, name="term_report"),
        path(
            "term-report/exports/<int:export_id>/",
            reports.term_report_export_view,
            name="term_report_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_care_menu_item():
    return StaffMenuItem("关怀名单", reverse("care_list"), icon_name="user", order=205)


@hooks.register("register_admin_menu_item")
def register_term_report_menu_item():
    return StaffMenuItem("学期报表", reverse("term_report"), icon_name="table", order=235)


@hooks.register("construct_homepage_panels")
def add_quick_actions(request, panels):
    actions = dashboard.quick_actions(request.user)
    if actions:
        panels.insert(0, dashboard.QuickActionsPanel(actions))
