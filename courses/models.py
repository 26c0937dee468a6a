import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.models.workflows import AbstractGroupApprovalTask
from wagtail.search import index

from accounts.models import Institution
from core.pages import SitePage
from search.text import index_text

from .blocks import LessonBodyBlock
from .media_validation import validate_captions, validate_lesson_media

WEEKDAYS = [
    (0, "星期一"),
    (1, "星期二"),
    (2, "星期三"),
    (3, "星期四"),
    (4, "星期五"),
    (5, "星期六"),
    (6, "星期日"),
]


class Category(models.Model):
    """书画, 声乐器乐, 健康养生 …: data that staff edit, not code."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "课程类别"
        verbose_name_plural = "课程类别"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    name = models.CharField("学期", max_length=30, unique=True, help_text="例如 2026年秋季学期")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "学期"
        verbose_name_plural = "学期"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContextFromViewsMixin:
    """A page whose template also needs what a plain function in courses.views gathers
    (the function named by `extra_context`), so that reads stay out of the models."""

    extra_context: str

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(getattr(views, self.extra_context)(request, self))
        return context


class CourseIndexPage(ContextFromViewsMixin, SitePage):
    """课程中心: the catalog."""

    # The search's results follow publishing within a minute; the catalog itself is purged
    # whenever a course is published or unpublished (courses/signals.py).
    shared_cache_seconds = 60

    introduction = models.CharField("简介", max_length=200, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "课程中心"
        verbose_name_plural = "课程中心"

    extra_context = "catalog_context"


class CoursePage(ContextFromViewsMixin, SitePage):
    related_on_route = ("category", "term", "institution", "cover")
    # Seats left change with every enrolment: a visitor without an account sees them at most
    # this late.
    shared_cache_seconds = 60

    def catalog_url(self, request: HttpRequest | None = None) -> str:
        """The catalog's address, the parent of this page's own (no query for the parent)."""
        return self.get_url(request).rstrip("/").rsplit("/", 1)[0] + "/"

    class Mode(models.TextChoices):
        ONLINE = "online", "线上"
        OFFLINE = "offline", "线下"
        BLENDED = "blended", "线上线下融合"

    summary = models.TextField("简介", max_length=300)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.PROTECT, related_name="courses"
    )
    term = models.ForeignKey(
        Term, verbose_name="学期", on_delete=models.PROTECT, related_name="courses"
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="授课教师",
        blank=True,
        limit_choices_to={"role": "instructor"},
        related_name="courses_taught",
    )
    weekday = models.PositiveSmallIntegerField("每周上课日", choices=WEEKDAYS)
    starts_at = models.TimeField("上课时间")
    ends_at = models.TimeField("下课时间")
    mode = models.CharField("上课方式", max_length=10, choices=Mode.choices, default=Mode.BLENDED)
    institution = models.ForeignKey(
        Institution, verbose_name="开课机构", on_delete=models.PROTECT, related_name="courses"
    )
    location = models.CharField(
        "上课地点",
        max_length=100,
        blank=True,
        help_text="线下上课的教室，例如 第一军休所 二楼书画室",
    )
    capacity = models.PositiveIntegerField("名额", default=30)
    enrollment_opens = models.DateTimeField("报名开始")
    enrollment_closes = models.DateTimeField("报名截止")
    open_to_other_institutions = models.BooleanField(
        "对其他机构开放",
        default=True,
        help_text="不勾选时，只有开课机构（含下级）的军休干部可以报名。",
    )
    syllabus = RichTextField("教学大纲", blank=True, features=["h3", "bold", "ol", "ul", "link"])
    anonymous_evaluation = models.BooleanField("匿名评价", default=True)
    class_reminders = models.BooleanField(
        "发送上课提醒",
        default=True,
        help_text="勾选时，报名的军休干部在上课前一天晚上和开课前一刻钟收到提醒。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("term"), FieldPanel("mode")]),
        FieldPanel("instructors"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("weekday"), FieldPanel("starts_at"), FieldPanel("ends_at")]
                ),
                FieldRowPanel([FieldPanel("institution"), FieldPanel("location")]),
            ],
            heading="时间地点",
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("enrollment_opens"), FieldPanel("enrollment_closes")]),
                FieldPanel("open_to_other_institutions"),
                FieldPanel("class_reminders"),
            ],
            heading="报名",
        ),
        FieldPanel("syllabus"),
        FieldPanel("anonymous_evaluation"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("syllabus"),
        # Wagtail's own search (the admin's) splits no Chinese words: give it jieba's.
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),  # the admin's page search autocompletes
        index.FilterField("category"),
        index.FilterField("term"),
        index.FilterField("mode"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"

    extra_context = "course_context"

    def search_text(self) -> str:
        return index_text(f"{self.title} {self.summary} {self.syllabus}")

    def schedule_text(self) -> str:
        return f"每周{self.get_weekday_display()[2:]} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def next_class_start(self, after: datetime.datetime) -> datetime.datetime | None:
        """The next class start at or after `after` (aware, Beijing time), within the term."""
        local = timezone.localtime(after)
        days_ahead = (self.weekday - local.weekday()) % 7
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=days_ahead), self.starts_at, tzinfo=local.tzinfo
        )
        if candidate < local:
            candidate += datetime.timedelta(days=7)
        if candidate.date() < self.term.starts_on:
            start = self.term.starts_on
            candidate = datetime.datetime.combine(
                start + datetime.timedelta(days=(self.weekday - start.weekday()) % 7),
                self.starts_at,
                tzinfo=local.tzinfo,
            )
        if candidate.date() > self.term.ends_on:
            return None
        return candidate


class LessonPage(ContextFromViewsMixin, SitePage):
    summary = models.CharField("本课要点", max_length=200, blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name="课程内容", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),  # the admin's page search autocompletes
    ]
    parent_page_types = ["courses.CoursePage"]

    def search_text(self) -> str:
        """For Wagtail's own search: the title, the summary and the text blocks, segmented."""
        texts = [block.value.source for block in self.body if block.block_type == "text"]
        return index_text(" ".join([self.title, self.summary, *texts]))

    @cached_property
    def course(self) -> CoursePage:
        """The course this lesson belongs to (its parent page), in one query."""
        return CoursePage.objects.select_related(*CoursePage.related_on_route).get(
            path=self.path[: -self.steplen]
        )

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "课时"
        verbose_name_plural = "课时"

    extra_context = "lesson_context"


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", "已报名"
        WAITLISTED = "waitlisted", "候补"
        WITHDRAWN = "withdrawn", "已退出"

    course = models.ForeignKey(
        CoursePage, verbose_name="课程", on_delete=models.CASCADE, related_name="enrollments"
    )
    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="学员",
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    queued_at = models.DateTimeField("报名时间", help_text="候补按这个时间排队")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        constraints = [
            models.UniqueConstraint(fields=["course", "retiree"], name="one_enrollment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.retiree} · {self.course} · {self.get_status_display()}"


class LessonProgress(models.Model):
    """Where a retiree is in one lesson: the video position to resume from, and whether the
    lesson is done (marked by the retiree, or the video played to the end)."""

    lesson = models.ForeignKey(
        LessonPage, verbose_name="课时", on_delete=models.CASCADE, related_name="progress"
    )
    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="学员",
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    position_seconds = models.PositiveIntegerField("视频位置（秒）", default=0)
    completed_at = models.DateTimeField("学完时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "学习进度"
        verbose_name_plural = "学习进度"
        constraints = [
            models.UniqueConstraint(fields=["lesson", "retiree"], name="one_progress_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.retiree} · {self.lesson}"


class CourseEvaluation(models.Model):
    """The retiree's satisfaction with a course and its instructor: the regulation's main
    measure. One per retiree per course, editable."""

    STARS = [(n, f"{n} 星") for n in range(1, 6)]

    course = models.ForeignKey(
        CoursePage, verbose_name="课程", on_delete=models.CASCADE, related_name="evaluations"
    )
    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="学员",
        on_delete=models.CASCADE,
        related_name="course_evaluations",
    )
    course_stars = models.PositiveSmallIntegerField("课程满意度", choices=STARS)
    instructor_stars = models.PositiveSmallIntegerField("教师满意度", choices=STARS)
    comment = models.TextField("意见和建议", blank=True, max_length=500)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "课程评价"
        verbose_name_plural = "课程评价"
        constraints = [
            models.UniqueConstraint(fields=["course", "retiree"], name="one_evaluation_per_course"),
            models.CheckConstraint(
                condition=Q(
                    course_stars__gte=1,
                    course_stars__lte=5,
                    instructor_stars__gte=1,
                    instructor_stars__lte=5,
                ),
                name="stars_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.course_stars}星"


class LessonMedia(models.Model):
    """An uploaded lesson video or audio, stored through Django's storage (S3 when configured),
    with zh-CN captions and a transcript for those who hear poorly."""

    class Kind(models.TextChoices):
        VIDEO = "video", "视频"
        AUDIO = "audio", "音频"

    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    file = models.FileField(
        "音视频文件",
        upload_to="lessons/media/%Y/%m/",
        validators=[validate_lesson_media],
        help_text="MP4 或 WebM 视频，MP3、M4A、OGG、WAV 音频。",
    )
    captions = models.FileField(
        "中文字幕（WebVTT）",
        upload_to="lessons/captions/%Y/%m/",
        blank=True,
        validators=[validate_captions],
        help_text="为听力不好的学员准备。没有字幕时，页面会提示。",
    )
    transcript = models.TextField("文字稿", blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("file"),
        FieldPanel("captions"),
        FieldPanel("transcript"),
    ]

    class Meta:
        verbose_name = "课程音视频"
        verbose_name_plural = "课程音视频"

    def __str__(self) -> str:
        return self.title


class InstitutionApprovalTask(AbstractGroupApprovalTask):
    """Approval by staff of the course's own institution (or one above it), not by any staff
    member on the platform."""

    def _may_review(self, obj, user) -> bool:
        from .workflow import may_review

        return user.is_superuser or (self._user_in_groups(user) and may_review(obj, user))

    def user_can_access_editor(self, obj, user):
        return self._may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self._may_review(obj, user)

    def get_actions(self, obj, user):
        if self._may_review(obj, user):
            return [
                ("reject", "退回修改", True),
                ("approve", "批准发布", False),
                ("approve", "留言后批准发布", True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .workflow import reviewable_states

        return reviewable_states(self, user)

    @classmethod
    def get_description(cls):
        return "课程所属机构的工作人员审核"

    class Meta:
        verbose_name = "所属机构审核"
        verbose_name_plural = "所属机构审核"


class ClassRating(models.Model):
    """One class session's 1–5 stars from a retiree who sat in it (a live class, asked once at
    its end). `session` names the session in the app that held it, e.g. "live-12"."""

    course = models.ForeignKey(
        CoursePage, verbose_name="课程", on_delete=models.CASCADE, related_name="class_ratings"
    )
    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.CASCADE, related_name="+"
    )
    session = models.CharField("课次", max_length=40)
    stars = models.PositiveSmallIntegerField("满意度", choices=CourseEvaluation.STARS)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "课堂评分"
        verbose_name_plural = "课堂评分"
        constraints = [
            models.UniqueConstraint(fields=["retiree", "session"], name="one_rating_per_session"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="class_rating_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.retiree} · {self.session} · {self.stars}"
