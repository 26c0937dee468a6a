"""The live room's video through Janus: the teacher presses 打开摄像头直播 and the page
publishes to the class's Janus room; two retirees press 播放 and watch it; 只听声音 gets the
sound alone. Without Janus (and with the browser-to-browser fallback off), or with Janus
unreachable, the video panel says in words that video is not available, and chat still works."""

from collections.abc import Iterator

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, sync_playwright

from tests.browser import conftest as browser_harness
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, run_outside_browser_loop
from tests.live.conftest import make_class
from tests.servers import DaphneProcess

pytestmark = pytest.mark.browser

# The browser harness's fixtures, on this module's Daphne (with Janus) and Chromium.
live_url = browser_harness.live_url
open_window = browser_harness.open_window

VIDEO_OFF = "这台服务器上现在看不了视频"


@pytest.fixture(scope="module")
def daphne_url(janus_server, django_db_setup, django_db_blocker) -> Iterator[str]:
    """A Daphne whose settings point at the test Janus (in its namespace)."""
    with django_db_blocker.unblock():
        server = DaphneProcess.start(
            JANUS_URL=janus_server.url,
            JANUS_TOKEN_SECRET=janus_server.token_secret,
            JANUS_ADMIN_KEY=janus_server.admin_key,
        )
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def chromium(daphne_url) -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Real host addresses in the SDP: Janus does not resolve mDNS (.local) candidates.
            args=[*CHROMIUM_ARGS, "--disable-features=WebRtcHideLocalIpsWithMdns"],
        )
        yield browser
        browser.close()


def enter(window, login: str, password: str, class_id: int):
    window.log_in(login, password)
    page = window.open(f"/live/{class_id}/")
    page.wait_for_selector("#live-room[data-connection=open]")
    return page


PLAYING = """() => {
  const v = document.querySelector("[data-room=video]");
  return v.videoWidth > 0 && v.currentTime > 1 && !v.paused;
}"""


def test_the_room_video_goes_through_janus(open_window, password):
    live_class = run_outside_browser_loop(make_class)
    teacher_window, a_window, b_window = open_window(1280), open_window(390), open_window(1280)
    teacher = enter(teacher_window, "liushuwen", password, live_class.pk)
    a = enter(a_window, "13900000001", password, live_class.pk)
    b = enter(b_window, "13900000002", password, live_class.pk)
    for page in (teacher, a, b):
        assert page.locator("#live-janus").count() == 1
        assert VIDEO_OFF not in page.content()

    sent = []
    teacher.on("websocket", lambda socket: socket.on("framesent", sent.append))
    teacher.get_by_role("button", name="打开摄像头直播").click()
    teacher.get_by_text("正在直播。大家看到的就是这个画面。").wait_for(timeout=20000)

    for page in (a, b):
        page.get_by_role("button", name="播放老师的视频和声音").click(timeout=20000)
        page.wait_for_function(PLAYING, timeout=20000)
        first = page.evaluate("() => document.querySelector('[data-room=video]').currentTime")
        page.wait_for_function(
            f"() => document.querySelector('[data-room=video]').currentTime > {first} + 1"
        )
        assert page.get_by_text("正在播放老师的直播。").is_visible()
    a_window.screenshot("janus-room-retiree")
    b_window.screenshot("janus-room-retiree")
    teacher_window.screenshot("janus-room-teacher")

    # 只听声音: the page subscribes again, to the audio alone.
    a.get_by_label("只听声音（网络慢的时候用）").check()
    a.wait_for_function(
        """() => {
          const v = document.querySelector("[data-room=video]");
          const s = v.srcObject;
          return s && s.getVideoTracks().length === 0 && s.getAudioTracks().length === 1;
        }""",
        timeout=20000,
    )
    assert a.locator("[data-room=video]").is_hidden()

    # The video went to Janus, not through the room socket.
    assert not [frame for frame in sent if "rtc.signal" in str(frame)]
    for window in (teacher_window, a_window, b_window):
        assert window.script_errors == []
        assert window.refused_by_policy == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "settings_change",
    [
        {"JANUS_URL": "", "LIVE_MESH_FALLBACK": False},
        # Configured but not answering: a closed port on loopback.
        {"JANUS_URL": "http://127.0.0.1:9/janus", "JANUS_TOKEN_SECRET": "x"},
    ],
    ids=["no-janus", "janus-unreachable"],
)
def test_without_janus_the_panel_says_so(settings_change, demo_site, client_as):
    live_class = make_class()
    with override_settings(**settings_change):
        for login in ("liushuwen", "13900000001"):
            page = client_as(login).get(f"/live/{live_class.pk}/").content.decode()
            assert VIDEO_OFF in page
            assert "聊天、课件、举手和投票都照常可用" in page
            assert 'id="live-janus"' not in page
            assert "打开摄像头直播" not in page
            assert 'data-action="chat"' in page
