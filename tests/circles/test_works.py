"""作品展示: members post works with photos or recordings; members comment and like; the 圈主
pins."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from circles.models import CircleFile, Work, WorkComment, WorkLike
from tests.circles.conftest import LEADER, MEMBER, OTHER_INSTITUTE

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500
MP3 = b"ID3\x03\x00" + b"\x00" * 500


def post_work(client, circle, title="山水画", files=None):
    files = files or [SimpleUploadedFile("画.png", PNG, "image/png")]
    return client.post(
        f"/circles/{circle.pk}/works/",
        {"title": title, "description": "退休后学的第一幅山水。", "files": files},
    )


def test_a_member_posts_a_work_with_photos_and_a_song(chorus, client_as):
    response = post_work(
        client_as(MEMBER),
        chorus,
        files=[
            SimpleUploadedFile("画1.png", PNG, "image/png"),
            SimpleUploadedFile("歌.mp3", MP3, "audio/mpeg"),
        ],
    )
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/works/{work.pk}/")
    assert sorted(CircleFile.objects.filter(work=work).values_list("kind", flat=True)) == [
        "audio",
        "image",
    ]
    page = client_as(LEADER).get(f"/circles/{chorus.pk}/works/{work.pk}/").content.decode()
    assert "山水画" in page and "<audio" in page and "山水画，第 1 张" in page
    assert "山水画" in client_as(LEADER).get(f"/circles/{chorus.pk}/works/").content.decode()


def test_a_work_without_a_title_or_with_a_bad_file_keeps_what_was_typed(chorus, client_as):
    response = post_work(client_as(MEMBER), chorus, title="")
    assert response.status_code == 400 and "请写上作品名称" in response.content.decode()
    response = post_work(
        client_as(MEMBER), chorus, files=[SimpleUploadedFile("a.png", b"MZ" + PNG, "image/png")]
    )
    page = response.content.decode()
    assert response.status_code == 400 and "格式不能分享" in page
    assert 'value="山水画"' in page and "退休后学的第一幅山水。" in page
    assert not Work.objects.exists() and not CircleFile.objects.exists()


def test_likes_toggle_comments_show_and_only_the_leader_pins(chorus, client_as):
    post_work(client_as(MEMBER), chorus)
    work = Work.objects.get()
    url = f"/circles/{chorus.pk}/works/{work.pk}/"
    leader = client_as(LEADER)
    leader.post(url, {"action": "like"})
    assert WorkLike.objects.filter(work=work).count() == 1
    assert 'aria-pressed="true"' in leader.get(url).content.decode()
    leader.post(url, {"action": "like"})
    assert not WorkLike.objects.exists()

    leader.post(url, {"action": "comment", "text": "画得真好！"})
    assert WorkComment.objects.get().text == "画得真好！"
    empty = leader.post(url, {"action": "comment", "text": ""})
    assert empty.status_code == 400 and "评论不能是空的" in empty.content.decode()

    client_as(MEMBER).post(url, {"action": "pin"})
    work.refresh_from_db()
    assert work.pinned is False
    leader.post(url, {"action": "pin"})
    work.refresh_from_db()
    assert work.pinned is True
    assert client_as(OTHER_INSTITUTE).get(url).status_code == 404
    assert client_as(OTHER_INSTITUTE).post(url, {"action": "like"}).status_code == 404
