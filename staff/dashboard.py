"""常用操作: the first panel of the admin's dashboard for staff and instructors, with buttons
straight into their own place (staff would otherwise click down four explorer levels to
their 军休所's notices; an instructor to each course)."""

from dataclasses import dataclass

from django.urls import reverse
from wagtail.admin.ui.components import Component

from accounts.models import User
from courses.models import CoursePage
from notices.models import NoticeIndexPage


@dataclass
class Action:
    label: str
    url: str
    primary: bool = False


def quick_actions(user: User) -> list[Action]:
    actions = []
    if user.is_institution_staff and user.institution_id:
        index = NoticeIndexPage.objects.filter(institution_id=user.institution_id).first()
        if index is not None:
            add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", index.pk))
            actions += [
                Action(f"发布通知（{user.institution.name}）", add, primary=True),
                Action("看本单位的通知", reverse("wagtailadmin_explore", args=(index.pk,))),
            ]
    if user.is_instructor:
        for course in CoursePage.objects.filter(instructors=user).order_by("title"):
            add = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))
            actions += [
                Action(f"新建课时：{course.title}", add, primary=True),
                Action(
                    f"看《{course.title}》的课时",
                    reverse("wagtailadmin_explore", args=(course.pk,)),
                ),
            ]
    return actions


class QuickActionsPanel(Component):
    name = "quick_actions"
    order = 10  # before Wagtail's own panels
    template_name = "staff/admin/quick_actions.html"

    def __init__(self, actions: list[Action]) -> None:
        self.actions = actions

    def get_context_data(self, parent_context=None) -> dict:
        return {"actions": self.actions}
