"""No Janus and the browser-to-browser fallback off: the live room's video panel says in words
that video is not available here, and the class goes on in chat."""

from collections.abc import Iterator

import pytest

from tests.browser import conftest as browser_harness
from tests.browser.conftest import run_outside_browser_loop
from tests.live.conftest import make_class
from tests.servers import DaphneProcess

pytestmark = pytest.mark.browser

chromium = browser_harness.chromium
live_url = browser_harness.live_url
open_window = browser_harness.open_window


@pytest.fixture(scope="module")
def daphne_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock():
        server = DaphneProcess.start(JANUS_URL="", LIVE_MESH_FALLBACK="0")
    yield server.url
    server.stop()


def test_the_panel_says_video_is_off_and_chat_works(open_window, password):
    live_class = run_outside_browser_loop(make_class)
    for width, login in ((390, "13900000001"), (1280, "liushuwen")):
        window = open_window(width)
        window.log_in(login, password)
        page = window.open(f"/live/{live_class.pk}/")
        page.wait_for_selector("#live-room[data-connection=open]")
        notice = page.locator("[data-room=video-off]")
        assert notice.is_visible()
        said = "这台服务器上现在看不了视频。聊天、课件、举手和投票都照常可用。"
        assert notice.inner_text() == said
        assert page.get_by_role("button", name="打开摄像头直播").count() == 0
        page.get_by_label("说点什么").fill(f"没有视频也能说话 {width}")
        page.get_by_role("button", name="发送").click()
        page.locator(".chat-text", has_text=f"没有视频也能说话 {width}").wait_for()
        window.screenshot("live-video-off")
        assert window.script_errors == []
