from django.urls import path, reverse
from wagtail import hooks

from accounts.admin_scope import StaffMenuItem

from . import followup


@hooks.register("register_admin_urls")
def register_followup_urls():
    return [
        path("notices/", followup.notice_followup_list, name="notice_followup_list"),
        path(
            "notices/<int:notice_id>/",
            followup.notice_followup_detail,
            name="notice_followup_detail",
        ),
        path(
            "notices/<int:notice_id>/export/",
            followup.notice_followup_export,
            name="notice_followup_export",
        ),
        path(
            "notices/<int:notice_id>/conveyed/<int:retiree_id>/",
            followup.notice_conveyed,
            name="notice_conveyed",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_followup_menu_item():
    return StaffMenuItem(
        "通知送达情况", reverse("notice_followup_list"), icon_name="mail", order=240
    )
