"""Media through a real Janus: Chromium with a fake camera publishes once, two more Chromium
pages subscribe and play it (frames arrive, time advances), and 只听声音 subscribes to the
audio alone. Chromium is in this namespace and reaches Janus over the veth pair."""

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from live import janus

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
STATIC_JS = PROJECT / "live" / "static" / "live" / "js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    # Real host addresses in the SDP: Janus does not resolve mDNS (.local) candidates.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The test page only loads our client module; the room page's integration is tested apart.
TEST_PAGE = b"""<!doctype html><meta charset="utf-8"><title>janus</title>
<video id="v" autoplay muted playsinline></video>
<script type="module">
import { JanusRoom } from "/janus_client.js";

window.JanusRoom = JanusRoom;
window.clientReady = true;
</script>"""


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(TEST_PAGE)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    handler = functools.partial(Handler, directory=str(STATIC_JS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def open_client(browser: Browser, url: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(url)
    page.wait_for_function("() => window.clientReady === true")
    return page


PUBLISH = """async (access) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const room = await new window.JanusRoom(access).open();
  await room.publish(stream, { display: "老师" });
  window.room = room;
  return stream.getVideoTracks().length;
}"""

SUBSCRIBE = """async ({ access, audioOnly }) => {
  const room = await new window.JanusRoom(access).open();
  const publishers = await new Promise((resolve) => {
    room.onpublishers = (list) => { if (list.length) resolve(list); };
    room.listen();
  });
  const subscription = await room.subscribe(publishers[0], { audioOnly });
  window.subscription = subscription;
  const video = document.getElementById("v");
  video.srcObject = subscription.stream;
  video.play().catch(() => {});
  return true;
}"""


def access_for(*, class_id: int, user_id: int) -> dict:
    access = janus.room_access(class_id=class_id, user_id=user_id)
    assert access is not None
    return access.as_json()


def test_one_publisher_two_subscribers_and_audio_only(janus_settings, page_server, browser):
    teacher = open_client(browser, page_server)
    assert teacher.evaluate(PUBLISH, access_for(class_id=9101, user_id=1)) == 1

    watchers = [open_client(browser, page_server) for _ in range(2)]
    for number, watcher in enumerate(watchers, start=2):
        watcher.evaluate(
            SUBSCRIBE, {"access": access_for(class_id=9101, user_id=number), "audioOnly": False}
        )
    for watcher in watchers:
        # Frames arrive: a size, and the clock moves on from wherever it was first seen.
        watcher.wait_for_function(
            "() => { const v = document.getElementById('v');"
            " return v.videoWidth > 0 && v.currentTime > 0; }",
            timeout=30000,
        )
        first = watcher.evaluate("() => document.getElementById('v').currentTime")
        watcher.wait_for_function(
            f"() => document.getElementById('v').currentTime > {first} + 1", timeout=15000
        )
        assert watcher.evaluate("() => window.subscription.stream.getVideoTracks().length") == 1

    listener = open_client(browser, page_server)
    listener.evaluate(
        SUBSCRIBE, {"access": access_for(class_id=9101, user_id=9), "audioOnly": True}
    )
    # Audio arrives (bytes counted by the receiver), and no video track was ever offered.
    listener.wait_for_function(
        """async () => {
          const stats = await window.subscription.pc.getStats();
          return [...stats.values()].some(
            (s) => s.type === "inbound-rtp" && s.kind === "audio" && s.bytesReceived > 1000);
        }""",
        timeout=30000,
    )
    assert listener.evaluate("() => window.subscription.stream.getVideoTracks().length") == 0
    kinds = listener.evaluate(
        "() => window.subscription.pc.getReceivers().map((r) => r.track.kind)"
    )
    assert kinds == ["audio"]
