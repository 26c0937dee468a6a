"""Study circles: membership, shared files, works, reports. Each circle chats in a rooms.Room.
The tables keep the names they had in live/ (db_table), so moving the models moved no data."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.models import CoursePage
from rooms.models import Room, RoomEvent


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
        db_table = "live_circle"
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
        db_table = "live_circlemember"
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

    class Meta:
        db_table = "live_circlefile"

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
        db_table = "live_work"
        ordering = ["-pinned", "-created_at"]

    def __str__(self) -> str:
        return self.title


class WorkComment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField("评论", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "live_workcomment"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:20]


class WorkLike(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "live_worklike"
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
        db_table = "live_messagereport"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "reporter"], name="one_report_each")
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.event}"
