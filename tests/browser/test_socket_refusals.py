"""A live class that is no longer open to a retiree says so in words and stops trying: the
refusal (4403) reaches Chromium as a close code, not as a failed handshake (1006)."""

from playwright.sync_api import expect

from accounts.models import User
from courses.models import CoursePage
from courses.services import withdraw_retiree
from tests.browser.conftest import run_outside_browser_loop
from tests.live.conftest import make_class

RETIREE = "13900000002"  # 李秀英, enrolled in 书法入门 by make_class


def withdraw() -> None:
    withdraw_retiree(
        retiree=User.objects.get(username=RETIREE), course=CoursePage.objects.get(title="书法入门")
    )


def test_a_class_no_longer_open_says_why_and_stops_reconnecting(open_window, password):
    live_class = run_outside_browser_loop(make_class)
    window = open_window(1280)
    page = window.page
    # Timers under the test's hand: the minute after the refusal passes at once, so that a
    # retry, had one been scheduled, would have happened.
    page.clock.install()
    sockets = []
    page.on("websocket", lambda socket: "/ws/live/" in socket.url and sockets.append(socket))
    window.log_in(RETIREE, password)
    window.open(f"/live/{live_class.pk}/")
    page.wait_for_selector("#live-room[data-connection=open]")

    # Her place in the course is given up while the room is open; then the network blinks.
    run_outside_browser_loop(withdraw)
    page.evaluate("window.liveRoom.drop()")

    status = page.locator("[data-room=connection]")  # the room's role=status line
    expect(status).to_have_text("这节课不对您开放。")
    page.clock.run_for(60_000)
    expect(status).to_have_text("这节课不对您开放。")
    assert "正在重新连接" not in page.locator("#live-room").inner_text()
    assert len(sockets) == 2  # the first, and the one refused: no more
