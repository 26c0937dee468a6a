"""A big class's stream from a streaming service (HLS), played with hls.js from this site."""

import shutil
import subprocess
import uuid

import pytest
from django.conf import settings

from live.models import LiveClass
from tests.browser.conftest import assert_elder_friendly, run_outside_browser_loop
from tests.live.conftest import make_class

LIVE_VIDEO_GAP = {"video-caption": "no live captions for a streamed class yet"}


@pytest.fixture
def hls_stream():
    """Six seconds of a test picture and tone as an HLS stream under MEDIA_ROOT."""
    folder = settings.MEDIA_ROOT / "lessons" / "test-hls" / uuid.uuid4().hex  # a public folder
    folder.mkdir(parents=True)
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "6", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-b:v", "300k",
            "-c:a", "libopus", "-strict", "-2",
            "-f", "hls", "-hls_time", "2", "-hls_segment_type", "fmp4",
            "-hls_playlist_type", "vod", str(folder / "live.m3u8"),
        ],
        check=True,
    )  # fmt: skip
    yield folder.relative_to(settings.MEDIA_ROOT)
    shutil.rmtree(folder)


def test_a_streamed_class_plays_after_one_press(open_window, password, hls_stream, live_url):
    url = f"{live_url}/media/{hls_stream}/live.m3u8"
    live_class = run_outside_browser_loop(make_class, video=LiveClass.Video.HLS, hls_url=url)
    window = open_window(390)
    window.log_in("13900000001", password)
    page = window.open(f"/live/{live_class.pk}/")
    page.wait_for_selector("#live-room[data-connection=open]")
    page.evaluate("document.querySelector('[data-room=hls]').play()")
    page.wait_for_function("document.querySelector('[data-room=hls]').currentTime > 1")
    assert_elder_friendly(window, "live-room-hls", known_gaps=LIVE_VIDEO_GAP)
