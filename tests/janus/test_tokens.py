"""Janus refuses whoever lacks a token Django signed for that room: no token, an expired one,
one forged with another secret, and one for another class's room."""

import socket
import time

import pytest

from live import janus


def join(client: janus.JanusClient, access: janus.RoomAccess, *, room: int | None = None) -> dict:
    return client.videoroom(
        {
            "request": "join",
            "ptype": "publisher",
            "room": room or access.room,
            "pin": access.pin,
            "token": client.token,
        }
    )


def test_own_token_joins_own_room(janus_settings):
    access = janus.room_access(class_id=9001, user_id=1)
    assert access is not None
    with janus.JanusClient(url=access.url, token=access.token) as client:
        assert join(client, access)["videoroom"] == "joined"


def test_no_token_is_refused(janus_settings):
    client = janus.JanusClient(url=janus_settings.url, token="")
    with pytest.raises(janus.JanusError) as refused:
        client.open()
    assert refused.value.code == 403


def test_expired_token_is_refused(janus_settings):
    token = janus.sign_token(expires_at=int(time.time()) - 1, holder="u1.old")
    with pytest.raises(janus.JanusError) as refused:
        janus.JanusClient(url=janus_settings.url, token=token).open()
    assert refused.value.code == 403


def test_token_signed_with_another_secret_is_refused(janus_settings):
    token = janus.sign_token(expires_at=int(time.time()) + 600, secret="not-ours")
    with pytest.raises(janus.JanusError) as refused:
        janus.JanusClient(url=janus_settings.url, token=token).open()
    assert refused.value.code == 403


def test_another_rooms_token_is_refused(janus_settings):
    """A valid token for class 9002 does not open class 9001's room, even with its pin."""
    mine = janus.room_access(class_id=9001, user_id=2)
    theirs = janus.room_access(class_id=9002, user_id=2)
    with janus.JanusClient(url=theirs.url, token=theirs.token) as client:
        with pytest.raises(janus.JanusError) as refused:
            join(client, mine)
        assert "allowed" in refused.value.reason
        assert join(client, theirs)["videoroom"] == "joined"


def test_removed_token_stops_working(janus_settings):
    access = janus.room_access(class_id=9003, user_id=3)
    with janus.server_client() as server:
        janus.allow_token(client=server, class_id=9003, token=access.token, allow=False)
    with (
        janus.JanusClient(url=access.url, token=access.token) as client,
        pytest.raises(janus.JanusError),
    ):
        join(client, access)


def test_wrong_pin_is_refused(janus_settings):
    access = janus.room_access(class_id=9004, user_id=4)
    with (
        janus.JanusClient(url=access.url, token=access.token) as client,
        pytest.raises(janus.JanusError),
    ):
        client.videoroom(
            {"request": "join", "ptype": "publisher", "room": access.room, "pin": "x",
             "token": access.token}
        )  # fmt: skip


def test_only_django_creates_rooms(janus_settings):
    """A participant's token reaches Janus, but without the admin key it cannot make rooms."""
    access = janus.room_access(class_id=9005, user_id=5)
    with (
        janus.JanusClient(url=access.url, token=access.token) as client,
        pytest.raises(janus.JanusError),
    ):
        client.videoroom({"request": "create", "room": 424242})


def test_admin_api_listens_on_loopback_only(janus_server):
    """From outside Janus's namespace its API answers on the veth address, its admin API
    does not (it is bound to 127.0.0.1 inside)."""
    with socket.create_connection((janus_server.address, 8088), timeout=2):
        pass
    with pytest.raises(OSError):
        socket.create_connection((janus_server.address, 7088), timeout=2).close()


@pytest.mark.django_db
def test_removing_a_retiree_takes_their_video_access_back(
    janus_settings, demo_site, django_capture_on_commit_callbacks
):
    """The teacher removes 张建国: his page's token no longer joins, and the participant he
    was in the room is kicked out."""
    from accounts.models import User
    from live.services import remove_member
    from tests.live.conftest import make_class

    live_class = make_class()
    retiree = User.objects.get(username="13900000001")
    teacher = User.objects.get(username="liushuwen")
    access = janus.room_access(class_id=live_class.pk, user_id=retiree.pk)
    with janus.JanusClient(url=access.url, token=access.token) as client:
        joined = client.videoroom(
            {"request": "join", "ptype": "publisher", "room": access.room, "pin": access.pin,
             "token": access.token, "display": access.display}
        )  # fmt: skip
        with janus.server_client() as server:
            listed = server.videoroom({"request": "listparticipants", "room": access.room})
        assert joined["id"] in [p["id"] for p in listed["participants"]]

        with django_capture_on_commit_callbacks(execute=True):
            remove_member(live_class, teacher, retiree.pk)

        with janus.server_client() as server:
            listed = server.videoroom({"request": "listparticipants", "room": access.room})
        assert joined["id"] not in [p["id"] for p in listed["participants"]]
    with (
        janus.JanusClient(url=access.url, token=access.token) as client,
        pytest.raises(janus.JanusError) as refused,
    ):
        join(client, access)
    assert "allowed" in refused.value.reason
