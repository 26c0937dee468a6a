"""Moving the room and circle models out of live/ (issue 20) loses nothing: a database at the
schema from before the move, holding circles, messages, rooms and events, migrates forward and
every row is found through the new models, and the moved models' content types (which
permissions and Wagtail's logs point at by id) are the same rows under their new labels."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from circles.models import Circle, CircleMember, MessageReport
from rooms.models import Presence, Room, RoomEvent, RoomMember

BEFORE_MOVE = ("live", "0003_presence_seen_at")
NEW_APPS = ("rooms", "circles")


def executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


def to_schema_before_move() -> MigrationExecutor:
    """Unapply the move; every other app stays at its latest migration."""
    migrations = executor()
    migrations.migrate([BEFORE_MOVE, *[(app, None) for app in NEW_APPS]])
    return executor()  # a fresh loader: the graph's applied set has changed


def to_latest() -> None:
    migrations = executor()
    migrations.migrate(migrations.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_rows_of_the_old_schema_are_all_found_after_the_move():
    old = to_schema_before_move()
    leaves = [
        node for node in old.loader.graph.leaf_nodes() if node[0] not in (*NEW_APPS, BEFORE_MOVE[0])
    ]
    apps = old.loader.project_state([BEFORE_MOVE, *leaves]).apps
    assert ContentType.objects.filter(app_label="live", model="circle").exists()

    Institution = apps.get_model("accounts", "Institution")
    place = Institution.objects.create(path="ZZZZ", depth=1, name="第一军休所", kind="station")
    OldUser = apps.get_model("accounts", "User")
    leader = OldUser.objects.create(username="13900000101", name="王圈主", role="retiree")
    member = OldUser.objects.create(username="13900000102", name="李成员", role="retiree")
    OldRoom = apps.get_model("live", "Room")
    room = OldRoom.objects.create(last_seq=2)
    old_circle = apps.get_model("live", "Circle").objects.create(
        name="书法兴趣圈", kind="interest", institution=place, room=room
    )
    OldMember = apps.get_model("live", "CircleMember")
    OldMember.objects.create(circle=old_circle, user=leader, role="leader", last_read_seq=2)
    OldMember.objects.create(circle=old_circle, user=member, role="member", last_read_seq=1)
    OldEvent = apps.get_model("live", "RoomEvent")
    hello = OldEvent.objects.create(
        room=room, seq=1, type="chat.message", data={"text": "大家好"}, author=leader
    )
    OldEvent.objects.create(
        room=room, seq=2, type="chat.message", data={"text": "您好"}, author=member, client_id="c2"
    )
    apps.get_model("live", "MessageReport").objects.create(
        circle=old_circle, event=hello, reporter=member, reason="试试举报"
    )
    apps.get_model("live", "RoomMember").objects.create(room=room, user=member, muted=True)
    apps.get_model("live", "Presence").objects.create(
        room=room, user=member, channel_name="socket.old", joined_at="2026-11-30T09:00:00Z"
    )
    circle_type = ContentType.objects.get(app_label="live", model="circle")

    to_latest()

    circle = Circle.objects.select_related("room", "institution").get(name="书法兴趣圈")
    assert circle.pk == old_circle.pk and circle.room.last_seq == 2
    assert circle.institution.name == "第一军休所"
    assert Room.objects.get(pk=room.pk).circle == circle
    events = RoomEvent.objects.filter(room=circle.room).order_by("seq")
    assert [(e.seq, e.data["text"], e.author.username) for e in events] == [
        (1, "大家好", "13900000101"),
        (2, "您好", "13900000102"),
    ]
    assert events[1].client_id == "c2"
    members = CircleMember.objects.filter(circle=circle).order_by("role")
    assert [(m.user.name, m.role, m.last_read_seq) for m in members] == [
        ("王圈主", "leader", 2),
        ("李成员", "member", 1),
    ]
    report = MessageReport.objects.get(circle=circle)
    assert (report.event.seq, report.reporter.name, report.reason) == (1, "李成员", "试试举报")
    assert RoomMember.objects.get(room=circle.room, user__name="李成员").muted
    assert Presence.objects.get(room=circle.room).channel_name == "socket.old"
    assert User.objects.filter(username__startswith="139000001").count() == 2

    # The same content type row, relabelled: what pointed at it still does.
    moved = ContentType.objects.get(app_label="circles", model="circle")
    assert moved.pk == circle_type.pk
    assert not ContentType.objects.filter(app_label="live", model="circle").exists()
    assert Permission.objects.filter(content_type=moved, codename="change_circle").exists()
    assert ContentType.objects.get(app_label="rooms", model="roomevent").model_class() is RoomEvent
