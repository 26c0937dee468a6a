from django.contrib import messages
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, CourseIndexPage, CoursePage, LessonMedia, Term
from .reports import can_see_course_reports, satisfaction_report
from .workflow import ensure_course_workflow, grant_instructors_their_course


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = "课程类别"
    list_display = ["name", "sort_order"]


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "date"
    menu_label = "学期"
    list_display = ["name", "starts_on", "ends_on"]


class LessonMediaViewSet(SnippetViewSet):
    model = LessonMedia
    icon = "media"
    menu_label = "课程音视频"
    list_display = [
        "title",
        "kind",
        Column("captions", label="中文字幕", accessor=lambda m: "有" if m.captions else "没有"),
        "uploaded_at",
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_about_a_video_without_captions(request, instance):
    """Retirees who hear poorly need them; saving still works (the page offers the
    transcript meanwhile), but the editor is told."""
    if (
        isinstance(instance, LessonMedia)
        and instance.kind == LessonMedia.Kind.VIDEO
        and not instance.captions
    ):
        messages.warning(
            request,
            f"视频“{instance.title}”还没有中文字幕。听力不好的学员需要字幕，"
            "请上传 WebVTT（.vtt）字幕文件。",
        )


class CourseSettingsGroup(SnippetViewSetGroup):
    menu_label = "课程资料"
    menu_icon = "cogs"
    menu_order = 220
    items = (LessonMediaViewSet, CategoryViewSet, TermViewSet)


register_snippet(CourseSettingsGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/courses/", satisfaction_report, name="course_satisfaction_report")]


class CourseReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_course_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return CourseReportMenuItem(
        "报名与满意度", reverse("course_satisfaction_report"), icon_name="table", order=230
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def keep_instructor_access_in_step(request, page):
    specific = page.specific
    if isinstance(specific, CoursePage):
        grant_instructors_their_course(specific)
    elif isinstance(specific, CourseIndexPage):
        ensure_course_workflow(specific)


@hooks.register("construct_page_action_menu")
def approving_comes_first(menu_items, request, context):
    """A reviewer's main button is 批准发布, not 保存草稿 (the first item is the main one)."""
    approving = [item for item in menu_items if getattr(item, "name", "") == "approve"]
    if approving:
        menu_items.remove(approving[0])
        menu_items.insert(0, approving[0])
