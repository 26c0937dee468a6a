"""Uploads under media/ are served with HTTP ranges, so long videos can resume mid-way."""

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
