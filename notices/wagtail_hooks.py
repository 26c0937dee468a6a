from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import can_manage_retirees

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


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_retirees(request.user)


@hooks.register("register_admin_menu_item")
def register_followup_menu_item():
    return FollowUpMenuItem(
        "通知送达情况", reverse("notice_followup_list"), icon_name="mail", order=240
    )
