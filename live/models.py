import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from courses.models import CoursePage


class Room(models.Model):
    """The realtime machinery shared by live classes and (later) study circles: the event
    sequence, and the state a joining client gets as a snapshot."""

    last_seq = models.PositiveBigIntegerField("最新序号", default=0)
    chat_muted = models.BooleanField("全体禁言", default=False)

    class Meta:
        verbose_name = "房间"
        verbose_name_plural = "房间"

    def __str__(self) -> str:
        return f"房间 {self.pk}"


class RoomEvent(models.Model):
    """Everything that happened in a room, in order. A chat message is saved here, with the
    client's id under a unique constraint, before anyone hears of it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField("序号")
    type = models.CharField("类型", max_length=40)
    data = models.JSONField("内容", default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=64, blank=True)
    # A private question (悄悄问老师) is seen by its author and the room's teachers only.
    private = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="one_event_per_seq"),
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~Q(client_id=""),
                name="one_event_per_client_id",
            ),
        ]
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.room} #{self.seq} {self.type}"


class RoomMember(models.Model):
    """Per-person state in a room: muted, removed, hand raised."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)  # a circle's mute for a period

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="one_member_row_per_room")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.room}"


class Presence(models.Model):
    """One open socket, from connect to disconnect: presence now, attendance afterwards."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences"
    )
    channel_name = models.CharField(max_length=200)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    # Refreshed by the socket's process while it lives (live.fanout.RoomHub.heartbeat).
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["room", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.joined_at:%H:%M}"


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


def circle_upload_path(instance: "CircleFile", filename: str) -> str:
    # Unguessable names: with the embedded default /media/ is served to anyone with the link.
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"circles/{instance.circle_id}/{uuid.uuid4().hex}.{suffix}"


class Circle(models.Model):
    """学习圈: a course's class circle or an interest circle, run by its members, chatting in
    a Room (the same machinery as a live class)."""

    class Kind(models.TextChoices):
        CLASS = "class", "班级圈（报名这门课的学员自动加入）"
        INTEREST = "interest", "兴趣圈（申请加入，圈主同意）"

    name = models.CharField("圈子名称", max_length=40)
    description = models.TextField("简介", max_length=500, blank=True)
    cover = models.ImageField("封面图片", upload_to="circles/covers/", blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.INTEREST)
    course = models.ForeignKey(
        CoursePage,
        verbose_name="关联课程",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="circles",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        verbose_name="开放范围（本机构及下级）",
        on_delete=models.PROTECT,
        related_name="circles",
    )
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="circle")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学习圈"
        verbose_name_plural = "学习圈"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"], condition=Q(kind="class"), name="one_class_circle_per_course"
            ),
            models.CheckConstraint(
                condition=~Q(kind="class") | Q(course__isnull=False),
                name="class_circle_has_course",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.room_id is None:
            self.room = Room.objects.create()
        super().save(*args, **kwargs)


class CircleMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "圈主"
        DEPUTY = "deputy", "副圈主"
        INSTRUCTOR = "instructor", "老师"
        MEMBER = "member", "成员"

    class Status(models.TextChoices):
        PENDING = "pending", "等待圈主同意"
        ACTIVE = "active", "已加入"
        LEFT = "left", "已退出"
        REJECTED = "rejected", "未通过"

    MODERATORS = (Role.LEADER, Role.DEPUTY, Role.INSTRUCTOR)

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    role = models.CharField("身份", max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="active")
    last_read_seq = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_circle")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.circle} ({self.get_role_display()})"

    @property
    def moderates(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role in self.MODERATORS


class CircleFile(models.Model):
    """A voice message, picture or short video shared in a circle's chat or in a work."""

    class Kind(models.TextChoices):
        VOICE = "voice", "语音"
        AUDIO = "audio", "录音"
        IMAGE = "image", "图片"
        VIDEO = "video", "视频"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="files")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    work = models.ForeignKey(
        "Work", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=circle_upload_path, max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    seconds = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file.name}"


class Work(models.Model):
    """作品展示: a painting's photos, a song's recording, with a title."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="works")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_works"
    )
    title = models.CharField("作品名称", max_length=60)
    description = models.TextField("说明", max_length=500, blank=True)
    pinned = models.BooleanField("置顶", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "-created_at"]

    def __str__(self) -> str:
        return self.title


class WorkComment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField("评论", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:20]


class WorkLike(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="one_like_each")]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.work}"


class MessageReport(models.Model):
    """A member's report of a chat message, for the institution's staff to act on."""

    class Outcome(models.TextChoices):
        OPEN = "open", "待处理"
        DELETED = "deleted", "已删除消息"
        MUTED = "muted", "已删除并禁言一天"
        DISMISSED = "dismissed", "不需处理"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="reports")
    event = models.ForeignKey(RoomEvent, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "reporter"], name="one_report_each")
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.event}"
