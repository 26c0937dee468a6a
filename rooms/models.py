"""The realtime room that live classes and study circles share. The tables keep the names
they had when this lived in live/ (db_table), so moving the models moved no data."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Room(models.Model):
    """The realtime machinery shared by live classes and study circles: the event
    sequence, and the state a joining client gets as a snapshot."""

    last_seq = models.PositiveBigIntegerField("最新序号", default=0)
    chat_muted = models.BooleanField("全体禁言", default=False)

    class Meta:
        db_table = "live_room"  # the table from before rooms/ was its own app
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
        db_table = "live_roomevent"
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
        db_table = "live_roommember"
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
    # Refreshed by the socket's process while it lives (rooms.fanout.RoomHub.heartbeat).
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "live_presence"
        indexes = [models.Index(fields=["room", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.joined_at:%H:%M}"
