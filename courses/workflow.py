"""Publishing: instructors edit their own courses and lessons; staff of the course's own
institution approve (编辑 → 审核 → 发布)."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.models import User
from accounts.permissions import manages_institution
from accounts.services import ROLE_GROUPS

from .models import CourseIndexPage, CoursePage, InstitutionApprovalTask

INSTRUCTOR_MODEL_PERMISSIONS = [
    ("courses", "add_lessonmedia"),
    ("courses", "change_lessonmedia"),
    ("courses", "view_lessonmedia"),
]
INSTRUCTOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def course_group_name(course: CoursePage) -> str:
    return f"课程教师-{course.pk}"


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_instructors_their_course(course: CoursePage) -> Group:
    """The course's instructors may add and edit lessons under it and the course itself, and
    upload the images, handouts and media that lessons use. Nothing else in the page tree."""
    group, _ = Group.objects.get_or_create(name=course_group_name(course))
    for action in ("add", "change"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=course, permission=permission("wagtailcore", f"{action}_page")
        )
    group.permissions.set([permission(app, code) for app, code in INSTRUCTOR_MODEL_PERMISSIONS])
    root_collection = Collection.get_first_root_node()
    for app, code in INSTRUCTOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission(app, code)
        )
    group.user_set.set(course.instructors.all())
    return group


def staff_group() -> Group:
    return Group.objects.get(name=ROLE_GROUPS[User.Role.STAFF][0])


def ensure_course_workflow(catalog: CourseIndexPage) -> Workflow:
    """Every page under the catalog goes through one approval step by the staff of the
    course's institution; staff may create courses there."""
    task = InstitutionApprovalTask.objects.filter(name="所属机构审核").first()
    if task is None:
        task = InstitutionApprovalTask.objects.create(name="所属机构审核")
    task.groups.set([staff_group()])
    workflow, _ = Workflow.objects.get_or_create(name="课程发布审核")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    GroupPagePermission.objects.get_or_create(
        group=staff_group(), page=catalog, permission=permission("wagtailcore", "add_page")
    )
    return workflow


def institution_of(page: Page):
    specific = page.specific
    if isinstance(specific, CoursePage):
        return specific.institution
    parent = specific.get_parent().specific
    return parent.institution if isinstance(parent, CoursePage) else None


def may_review(page: Page, user: User) -> bool:
    return user.is_superuser or manages_institution(user, institution_of(page))


def reviewable_states(task: InstitutionApprovalTask, user: User):
    states = task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
        "workflow_state"
    )
    allowed = [
        state.pk
        for state in states
        if may_review(Page.objects.get(pk=state.workflow_state.object_id), user)
    ]
    return TaskState.objects.filter(pk__in=allowed)
