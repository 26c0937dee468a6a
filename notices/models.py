from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import Institution
from core.pages import SitePage
from search.text import index_text

from .forms import NoticePageForm


class LoginRequiredPage(SitePage):
    """Notices are addressed to people: whoever is not logged in is asked to log in first."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(getattr(views, self.extra_context)(request, self))
        return context


class NoticeIndexPage(LoginRequiredPage):
    """通知公告. The top index (no institution) lists everything addressed to the reader; below
    it one index per institution, nested like the institution tree, where that institution's
    staff publish."""

    institution = models.OneToOneField(
        Institution,
        verbose_name="发布机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice_index",
    )

    content_panels = [*Page.content_panels]
    parent_page_types = ["home.HomePage", "notices.NoticeIndexPage"]
    subpage_types = ["notices.NoticePage", "notices.NoticeIndexPage"]

    class Meta:
        verbose_name = "通知栏目"
        verbose_name_plural = "通知栏目"

    extra_context = "notice_list_context"


class NoticePage(LoginRequiredPage):
    related_on_route = ("institution",)

    class Category(models.TextChoices):
        POLICY = "policy", "政策文件"
        MEETING = "meeting", "会议精神传达"
        ANNOUNCEMENT = "announcement", "通知公告"
        FINANCE = "finance", "财务公开"
        SERVICE = "service", "服务公开"
        ACTIVITY = "activity", "活动预告"

    class Audience(models.TextChoices):
        SUBTREE = "subtree", "本机构及下级全部军休干部"
        INSTITUTIONS = "institutions", "选定的机构（含其下级）"
        RETIREES = "retirees", "选定的军休干部"

    category = models.CharField("类别", max_length=20, choices=Category.choices)
    summary = models.CharField(
        "摘要", max_length=200, blank=True, help_text="一两句话说清要点，显示在通知列表里。"
    )
    body = RichTextField("正文", features=["h2", "h3", "bold", "ol", "ul", "link", "document-link"])
    pinned = models.BooleanField("置顶", default=False)
    requires_acknowledgement = models.BooleanField(
        "需确认已读",
        default=False,
        help_text="勾选后，军休干部读完要按“我已阅读并知悉”，送达情况里能看到谁还没确认。",
    )
    audience = models.CharField(
        "发给谁", max_length=20, choices=Audience.choices, default=Audience.SUBTREE
    )
    audience_institutions = ParentalManyToManyField(
        Institution,
        verbose_name="选定的机构",
        blank=True,
        related_name="+",
    )
    audience_retirees = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="选定的军休干部",
        blank=True,
        related_name="+",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="发布机构",
        on_delete=models.PROTECT,
        related_name="notices",
        editable=False,
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("category"), FieldPanel("pinned")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件（文件）"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("audience_institutions"),
                FieldPanel("audience_retirees"),
                FieldPanel("requires_acknowledgement"),
            ],
            heading="发给谁",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        # Wagtail's own search (the admin's) splits no Chinese words: give it jieba's.
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),  # the admin's page search autocompletes
    ]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []
    base_form_class = NoticePageForm

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"

    extra_context = "notice_context"

    def save(self, *args, **kwargs):
        if not self.institution_id:
            self.institution_id = self.get_parent().specific.institution_id
        return super().save(*args, **kwargs)

    def search_text(self) -> str:
        return index_text(f"{self.title} {self.summary} {self.body}")

    def published_at(self):
        """When retirees first saw it: the scheduled go-live time, or the first publication."""
        return self.go_live_at or self.first_published_at


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"


class NoticeReceipt(models.Model):
    """One retiree and one notice: when they were told, read it, acknowledged it, or were told
    in person by staff (已电话告知 / 已上门告知), which counts as conveyed."""

    class Conveyed(models.TextChoices):
        PHONE = "phone", "已电话告知"
        VISIT = "visit", "已上门告知"

    notice = models.ForeignKey(
        NoticePage, verbose_name="通知", on_delete=models.CASCADE, related_name="receipts"
    )
    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="军休干部",
        on_delete=models.CASCADE,
        related_name="notice_receipts",
    )
    notified_at = models.DateTimeField("提醒时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("确认知悉时间", null=True, blank=True)
    reminded_at = models.DateTimeField("未读提醒时间", null=True, blank=True)
    conveyed = models.CharField("线下告知", max_length=10, choices=Conveyed.choices, blank=True)
    conveyed_note = models.CharField("告知备注", max_length=200, blank=True)
    conveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="告知人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conveyed_at = models.DateTimeField("告知时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知送达记录"
        verbose_name_plural = "通知送达记录"
        constraints = [
            models.UniqueConstraint(fields=["notice", "retiree"], name="one_receipt_per_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.retiree} · {self.notice}"

    def is_reached(self, requires_acknowledgement: bool) -> bool:
        done = self.acknowledged_at if requires_acknowledgement else self.read_at
        return bool(done or self.conveyed)
