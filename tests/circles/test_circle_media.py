"""Voice messages, pictures and videos through Django's storage API: on the file system by
default and in an S3 bucket when configured; refused by content, length and size."""

import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from circles import services as circle_services
from circles.models import CircleFile
from core.refusals import Refused
from rooms.models import RoomEvent
from tests.circles.conftest import LEADER, MEMBER, OTHER_INSTITUTE, person

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000  # the EBML header a browser's recording starts with
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500
EXE = b"MZ\x90\x00" + b"\x00" * 2000


def upload(client, circle, content: bytes, name="voice.webm", kind="voice", seconds="5"):
    return client.post(
        f"/circles/{circle.pk}/upload/",
        {
            "file": SimpleUploadedFile(name, content, "audio/webm"),
            "kind": kind,
            "seconds": seconds,
            "id": "v-1",
        },
    )


def test_a_voice_message_is_stored_posted_and_served_to_members_only(chorus, client_as):
    response = upload(client_as(MEMBER), chorus, WEBM, seconds="7.4")
    assert response.status_code == 200, response.json()
    shared = CircleFile.objects.get()
    assert (shared.kind, shared.content_type, shared.seconds, shared.size) == (
        "voice",
        "audio/webm",
        7,
        len(WEBM),
    )
    assert default_storage.exists(shared.file.name)
    event = RoomEvent.objects.get(room=chorus.room, seq=response.json()["seq"])
    assert event.data["kind"] == "voice" and event.data["seconds"] == 7
    assert event.data["url"] == f"/circles/{chorus.pk}/files/{shared.pk}/"

    heard = client_as(LEADER).get(event.data["url"])
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/webm"
    assert b"".join(heard.streaming_content) == WEBM
    assert client_as(OTHER_INSTITUTE).get(event.data["url"]).status_code == 404
    # The same upload sent twice (a retry) is one message.
    assert upload(client_as(MEMBER), chorus, WEBM).json()["seq"] == event.seq
    assert CircleFile.objects.count() == 1


@pytest.mark.parametrize(
    "content, name, kind, seconds, message",
    [
        (WEBM, "voice.webm", "voice", "61", "语音最长 60 秒"),
        (WEBM, "voice.webm", "voice", "0", "语音最长 60 秒"),
        (EXE, "voice.webm", "voice", "5", "格式不能分享"),
        (EXE, "song.mp4", "video", "0", "格式不能分享"),
        (PNG, "voice.webm", "voice", "5", "不是语音"),
        (WEBM + b"\x00" * (2 * 1024 * 1024), "voice.webm", "voice", "30", "语音太大了"),
        (WEBM, "x.webm", "document", "5", "只能分享语音、图片和短视频"),
    ],
)
def test_bad_uploads_are_refused_in_words_and_nothing_is_kept(
    chorus, client_as, content, name, kind, seconds, message
):
    response = upload(client_as(MEMBER), chorus, content, name, kind, seconds)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not CircleFile.objects.exists()
    assert not RoomEvent.objects.filter(room=chorus.room).exists()


def test_pictures_and_a_muted_member(chorus, client_as):
    assert upload(client_as(MEMBER), chorus, PNG, "a.png", "image", "0").status_code == 200
    assert CircleFile.objects.get().content_type == "image/png"
    circle_services.mute_for(chorus, person(LEADER), person(MEMBER).pk, 30)
    refused = upload(client_as(MEMBER), chorus, WEBM)
    assert refused.status_code == 400 and "关闭了您的发言" in refused.json()["error"]
    assert client_as(OTHER_INSTITUTE).post(f"/circles/{chorus.pk}/upload/").status_code == 404


def test_a_voice_message_lands_in_the_s3_bucket(chorus, client_as, s3_server, settings):
    endpoint, bucket = s3_server
    s3 = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "junxiu-media",
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "file_overwrite": False,
        },
    }
    with override_settings(STORAGES={**settings.STORAGES, "default": s3}):
        response = upload(client_as(MEMBER), chorus, WEBM)
        assert response.status_code == 200
        shared = CircleFile.objects.get()
        stored = bucket.get_object(Bucket="junxiu-media", Key=shared.file.name)["Body"].read()
        assert stored == WEBM
        # Members are sent to a signed link to the bucket; others get nothing.
        link = client_as(LEADER).get(f"/circles/{chorus.pk}/files/{shared.pk}/")
        assert link.status_code == 302
        assert link["Location"].startswith(f"{endpoint}/junxiu-media/{shared.file.name}?")
        assert "Signature" in link["Location"]
        # A short-lived link, and the bucket answers it.
        expires = int(parse_qs(urlsplit(link["Location"]).query)["Expires"][0])
        assert expires - time.time() <= 300
        with urllib.request.urlopen(link["Location"]) as from_bucket:
            assert from_bucket.read() == WEBM
        other = client_as(OTHER_INSTITUTE).get(f"/circles/{chorus.pk}/files/{shared.pk}/")
        assert other.status_code == 404


def test_a_refused_service_call_saves_no_file(chorus):
    with pytest.raises(Refused):
        circle_services.share_file(
            chorus, person(MEMBER), SimpleUploadedFile("a.webm", EXE), kind="voice", seconds=5
        )
    assert not CircleFile.objects.exists()


def test_behind_nginx_a_member_gets_an_x_accel_redirect(chorus, client_as, client, settings):
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"
    assert upload(client_as(MEMBER), chorus, WEBM).status_code == 200
    shared = CircleFile.objects.get()
    url = f"/circles/{chorus.pk}/files/{shared.pk}/"
    member = client_as(LEADER).get(url)
    assert member.status_code == 200 and member.content == b""
    assert member["X-Accel-Redirect"] == "/protected-media/" + shared.file.name
    assert member["Content-Type"] == "audio/webm"
    for refused in (client_as(OTHER_INSTITUTE).get(url), client.get(f"/media/{shared.file.name}")):
        assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
