from django.contrib import messages
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import LessonMediaUploadForm
from .models import Category, CourseIndexPage, CoursePage, LessonMedia, LessonPage, Term
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


class LessonMediaUploadInChooser(SnippetCreateView):
    def save_form(self, form):
        media = super().save_form(form)
        # Shown on the lesson editor's next page, as after uploading under 课程资料.
        warn_about_a_video_without_captions(self.request, media)
        return media


class LessonMediaChooserViewSet(SnippetChooserViewSet):
    """The lesson editor's 音视频 chooser can upload a new video or audio (and its captions)
    on the spot, instead of sending the instructor to 课程资料 first. The model's validators
    (type by content, size, WebVTT) refuse bad files in the form, in Chinese."""

    creation_form_class = LessonMediaUploadForm
    create_view_class = LessonMediaUploadInChooser
    search_tab_label = "选已上传的"
    creation_tab_label = "上传新的"
    create_action_label = "上传并选用"
    create_action_clicked_label = "正在上传，请稍候…"


class LessonMediaViewSet(SnippetViewSet):
    model = LessonMedia
    icon = "media"
    menu_label = "课程音视频"
    chooser_viewset_class = LessonMediaChooserViewSet
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


class ChildrenWithAWordedAddButton(ExplorableIndexView):
    """The explorer of a page whose children are all of one kind: its add button says what it
    adds (新建课时) in words beside the ⊕, instead of an unlabelled ⊕."""

    @cached_property
    def add_button(self):
        if self.add_url:
            return HeaderButton(self.add_item_label, url=self.add_url, icon_name="plus")


class LessonsOfACourse(ChildrenWithAWordedAddButton):
    add_item_label = "新建课时"


class CoursesOfTheCatalog(ChildrenWithAWordedAddButton):
    add_item_label = "新建课程"


class LessonPageViewSet(PageViewSet):
    """Used when exploring a course (a course's children are all lessons)."""

    model = LessonPage
    index_view_class = LessonsOfACourse


class CoursePageViewSet(PageViewSet):
    """Used when exploring the catalog (its children are all courses)."""

    model = CoursePage
    index_view_class = CoursesOfTheCatalog


@hooks.register("register_admin_viewset")
def register_course_page_viewsets():
    return [LessonPageViewSet(), CoursePageViewSet()]
