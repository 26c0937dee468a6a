"""HTML and script typed into names, chat, circle messages, works and their comments and
notice titles are shown as text, in a real browser, on every page that shows them."""

from accounts.models import User
from circles import services as circle_services
from circles.models import Circle, Work, WorkComment
from live import services
from live.models import LiveClass
from notices.models import NoticePage
from tests.browser.conftest import run_outside_browser_loop
from tests.live.conftest import make_class

# Short enough for a name (50 characters); an image's onerror is what innerHTML would run.
PAYLOAD = '<img src=x onerror="__xss=1"><b>粗</b>'


def plant() -> tuple[int, int, int, str]:
    from accounts.demo import demo_institutions
    from circles.demo import load_demo_circles

    zhang = User.objects.get(username="13900000001")
    User.objects.filter(pk=zhang.pk).update(name="张" + PAYLOAD)
    zhang.refresh_from_db()
    NoticePage.objects.filter(slug="winter-heating").update(title="通知" + PAYLOAD)
    live_class = make_class(state=LiveClass.State.LIVE)
    services.send_chat(live_class, zhang, "聊天" + PAYLOAD, False, "xss-1")
    load_demo_circles(demo_institutions())
    circle = Circle.objects.get(name="书法入门班")
    circle_services.send_circle_chat(circle, zhang, "圈里" + PAYLOAD, "xss-2")
    work = Work.objects.create(circle=circle, author=zhang, title="作品" + PAYLOAD)
    WorkComment.objects.create(work=work, author=zhang, text="评论" + PAYLOAD)
    notice_url = NoticePage.objects.get(slug="winter-heating").url
    return live_class.pk, circle.pk, work.pk, notice_url


def assert_shown_as_text(page, text: str) -> None:
    page.get_by_text(text + PAYLOAD, exact=False).first.wait_for()
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0


def test_markup_is_text_everywhere(open_window, password):
    class_id, circle_id, work_id, notice_url = run_outside_browser_loop(plant)
    window = open_window(1280)
    page = window.log_in("13900000001", password)
    assert_shown_as_text(page, "张")  # 您好，<name> on 我的
    window.open("/notices/")
    assert_shown_as_text(page, "通知")
    window.open(notice_url)
    assert_shown_as_text(page, "通知")
    window.open(f"/live/{class_id}/")
    page.wait_for_selector("#live-room[data-connection=open]")
    assert_shown_as_text(page, "聊天")
    window.open(f"/circles/{circle_id}/")
    page.wait_for_selector("#circle-chat[data-connection=open]")
    assert_shown_as_text(page, "圈里")
    window.open(f"/circles/{circle_id}/works/")
    assert_shown_as_text(page, "作品")
    window.open(f"/circles/{circle_id}/works/{work_id}/")
    assert_shown_as_text(page, "作品")
    assert_shown_as_text(page, "评论")
    assert not window.refused_by_policy  # escaped, not merely stopped by the policy
