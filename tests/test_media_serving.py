"""Uploads under media/ are served with HTTP ranges, so long videos can resume mid-way."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_ranges_and_whole_files(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("lessons/sample.webm", ContentFile(bytes(range(256)) * 4))
    url = f"/media/{name}"

    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == bytes(range(256)) * 4

    part = client.get(url, HTTP_RANGE="bytes=256-511")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 256-511/1024"
    assert part.content == bytes(range(256))

    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail["Content-Range"] == "bytes 1014-1023/1024" and len(tail.content) == 10
    assert client.get(url, HTTP_RANGE="bytes=5000-").status_code == 416


def test_paths_outside_media_are_not_served(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "secret.txt").write_text("no")
    assert client.get("/media/../secret.txt").status_code == 404
    assert client.get("/media/%2e%2e/secret.txt").status_code == 404


# Private uploads are reachable only through views that check who is asking: /media/ serves
# the public folders only, whatever the spelling of the path.


def stored(name: str, content: bytes = b"x" * 100) -> str:
    return default_storage.save(name, ContentFile(content))


def test_only_public_folders_are_served_by_address(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lesson = stored("lessons/media/2026/05/运笔.webm")
    cover = stored("circles/covers/chorus.png")
    assert client.get(f"/media/{lesson}").status_code == 200
    assert client.get(f"/media/{cover}").status_code == 200
    for private in ("documents/医疗费报销名单.pdf", "live/recordings/1/a/00000.part", "x.txt"):
        name = stored(private)
        assert client.get(f"/media/{name}").status_code == 404, name


@pytest.mark.parametrize(
    "spelling",
    [
        "./circles/3/{}",
        "circles//3/{}",
        "lessons/../circles/3/{}",
        "lessons/%2e%2e/circles/3/{}",
        "lessons/media/%2E%2E/../circles/3/{}",
    ],
)
def test_a_circle_file_is_not_served_by_any_spelling_of_its_path(
    db, client, settings, tmp_path, spelling
):
    settings.MEDIA_ROOT = tmp_path
    name = stored("circles/3/voice.webm").split("/")[-1]
    assert client.get("/media/" + spelling.format(name)).status_code == 404


def test_behind_nginx_public_media_is_an_x_accel_redirect(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"
    lesson = stored("lessons/media/2026/05/运笔 1.webm")
    public = client.get(f"/media/{lesson}")
    assert public.status_code == 200 and public.content == b""
    assert public["X-Accel-Redirect"] == (
        "/protected-media/lessons/media/2026/05/%E8%BF%90%E7%AC%94%201.webm"
    )
    assert public["Content-Type"] == "video/webm"
    refused = client.get(f"/media/{stored('documents/名单.pdf')}")
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
