import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from courses.models import CoursePage
from rooms.models import Room


class LiveClass(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "未开始"
        LIVE = "live", "进行中"
        ENDED = "ended", "已结束"

    class Video(models.TextChoices):
        WEBRTC = "webrtc", "老师的摄像头或屏幕（浏览器直播，适合小班）"
        HLS = "hls", "直播服务的播放地址（大班，老师用 OBS 推流）"
        NONE = "none", "不放视频（只用课件和聊天）"

    course = models.ForeignKey(
        CoursePage, verbose_name="课程", on_delete=models.CASCADE, related_name="live_classes"
    )
    title = models.CharField("这节课的题目", max_length=100)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主讲教师",
        on_delete=models.PROTECT,
        limit_choices_to={"role": "instructor"},
        related_name="live_classes_taught",
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default="scheduled")
    video = models.CharField("视频来源", max_length=10, choices=Video.choices, default="webrtc")
    hls_url = models.URLField("直播播放地址（HLS）", blank=True)
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="live_class")
    slide_images = models.JSONField("课件页面", default=list, blank=True)
    current_slide = models.PositiveIntegerField("当前页", default=0)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("instructor"),
        FieldPanel("video"),
        FieldPanel("hls_url"),
    ]

    OPENS_BEFORE = datetime.timedelta(minutes=15)

    class Meta:
        verbose_name = "直播课"
        verbose_name_plural = "直播课"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="live_class_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title} · {self.title}"

    def save(self, *args, **kwargs):
        if self.room_id is None:
            self.room = Room.objects.create()
        super().save(*args, **kwargs)

    def doors_open_at(self) -> datetime.datetime:
        return self.starts_at - self.OPENS_BEFORE


class Poll(models.Model):
    """课堂投票: one question, a few options, one vote each."""

    live_class = models.ForeignKey(LiveClass, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField("问题", max_length=200)
    options = models.JSONField("选项")
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.question


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="one_vote_each")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.option}"
