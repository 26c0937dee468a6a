import pytest
from django.conf import settings

from accounts.models import User
from accounts.services import notify_user
from tests.browser.conftest import assert_elder_friendly, measure, run_outside_browser_loop

WIDTHS = [1280, 390]


@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_is_chinese_and_elder_friendly(open_window, width):
    window = open_window(width)
    page = window.open("/")
    assert page.get_by_role("heading", level=1).inner_text() == "欢迎来到军休老年大学在线"
    assert page.get_by_role("link", name="登录，开始学习").is_visible()
    assert_elder_friendly(window, "home")


@pytest.mark.parametrize("width", WIDTHS)
def test_login_then_me(open_window, width, password):
    window = open_window(width)
    page = window.open("/accounts/login/")
    assert_elder_friendly(window, "login")

    page.get_by_label("手机号或账号").fill("13900000001")
    page.get_by_label("密码", exact=True).fill("wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    assert page.get_by_role("alert").inner_text().startswith("请改正下面的问题")
    assert page.get_by_label("手机号或账号").input_value() == "13900000001"
    assert_elder_friendly(window, "login-error")

    window.log_in("13900000001", password)
    assert page.get_by_role("heading", level=1).inner_text() == "您好，张建国"
    assert "第一军休所" in page.inner_text("main")
    assert_elder_friendly(window, "me")


def test_elder_mode_switch_is_reachable_and_enlarges_text(open_window, password):
    window = open_window(1280)
    page = window.open("/")
    # Within three Tab presses from the top of the page.
    reached = []
    for _ in range(3):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert "开启长辈模式" in reached
    standard = measure(page)["bodyFontPx"]

    page.get_by_role("button", name="开启长辈模式").click()
    page.wait_for_selector("html.elder-mode")
    page.wait_for_load_state("load")  # the new page's stylesheet, not only its markup
    assert standard >= 20
    assert measure(page)["bodyFontPx"] >= 24
    assert_elder_friendly(window, "home-elder", elder=True)

    # Chosen before login, it follows the account into 我的 and into a fresh browser.
    window.log_in("13900000002", password)
    assert_elder_friendly(window, "me-elder", elder=True)
    assert User.objects.get(username="13900000002").elder_mode
    other_browser = open_window(390)
    other_browser.log_in("13900000002", password)
    assert other_browser.page.evaluate("document.documentElement.className") == "elder-mode"
    assert_elder_friendly(other_browser, "me-elder", elder=True)


def test_focus_ring_is_visible_on_every_tab_stop(open_window):
    window = open_window(1280)
    page = window.open("/")
    seen = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el === document.body) return null;
                const style = getComputedStyle(el);
                return [el.outerHTML.slice(0, 60), parseFloat(style.outlineWidth),
                        style.outlineStyle];
            }"""
        )
        if ring is None:  # past the last control: focus went back to the page
            break
        seen.add(ring[0])
        assert ring[1] >= 3 and ring[2] != "none", ring
    assert len(seen) >= 5


@pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="the test pushes from its own process to Daphne's: needs REDIS_URL (CI's second run)",
)
def test_a_notification_arrives_without_reloading(open_window, password):
    window = open_window(1280)
    page = window.log_in("13900000003", password)
    page.wait_for_selector("body[data-notify=open]")
    retiree = User.objects.get(username="13900000003")
    run_outside_browser_loop(notify_user, retiree, "notice", "新通知：重阳节游园活动安排", "/me/")
    # The one-line reminder (我的 lists the older ones itself, so this is the only one).
    banner = page.locator(".banner-notice").filter(has_text="重阳节游园活动安排")
    banner.wait_for()
    assert banner.get_by_role("link", name="去看看").is_visible()
    assert_elder_friendly(window, "me-banner")
    banner.get_by_role("link", name="去看看").click()
    page.wait_for_url("**/me/")
    assert "重阳节游园活动安排" in page.inner_text("section[aria-labelledby=notice-title]")


@pytest.mark.parametrize("width", [1280, 390])
def test_help_page_is_elder_friendly_and_reached_from_every_footer(open_window, password, width):
    window = open_window(width)
    page = window.log_in("13900000007", password)  # 第二军休所
    page.get_by_role("link", name="使用帮助").click()
    page.get_by_role("heading", name="有困难，先打电话").wait_for()
    assert page.get_by_role("link", name="010-65551202").first.is_visible()
    assert_elder_friendly(window, "help")
