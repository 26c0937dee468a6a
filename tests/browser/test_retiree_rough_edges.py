"""Issue 21: the rough edges a retiree (李秀英) hits trying the site on a phone in 长辈模式 and
on a PC: search results out of sight, reminder banners filling the first screen, a playing
lesson's place lost on leaving, a 朗读 sentence that is not true, a small 值班电话 target."""

import pytest

from accounts.models import Notification, User
from accounts.services import notify_user
from courses.models import CoursePage, LessonProgress
from live.demo import load_demo_live_classes
from live.models import LiveClass
from tests.browser.conftest import BrowserWindow, assert_elder_friendly, run_outside_browser_loop
from tests.browser.test_lesson_video import video_lesson  # noqa: F401 (a fixture)
from tests.servers import wait_until

RETIREE = "13900000002"  # 李秀英, 第一军休所, in 书法入门's live classes
SIZES = [(390, True), (1280, False)]  # a phone in 长辈模式, a PC without it


def log_in(open_window, password: str, width: int, elder: bool, login: str = RETIREE):
    User.objects.filter(username=login).update(elder_mode=elder)
    window = open_window(width)
    return window, window.log_in(login, password)


def screen_height(window: BrowserWindow) -> int:
    return window.page.evaluate("window.innerHeight")


def top_of(window: BrowserWindow, selector: str) -> float:
    """Where the element starts, from the top of the page."""
    return window.page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().top + window.scrollY", selector
    )


@pytest.mark.parametrize(("width", "elder"), SIZES)
def test_search_results_come_first_with_the_number_found(open_window, password, width, elder):
    window, page = log_in(open_window, password, width, elder)
    catalog_link = "选课" if elder else "课程"
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name=catalog_link, exact=True).click()
    page.get_by_role("searchbox", name="找课程").fill("书法")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/courses/?q=*")
    window.page.screenshot(path=str(window.screenshot("retiree-search")), full_page=False)

    assert page.locator("#results-title").inner_text() == "找“书法”，找到 3 门课"
    # The first result is on the first screen, as the page arrives; the filters are folded.
    first = page.locator(".course-card").first.bounding_box()
    assert first["y"] + first["height"] / 2 <= screen_height(window), first
    assert page.locator("details.filters").evaluate("details => !details.open")
    # The search box is still there to search again, below the results.
    assert top_of(window, "form[role=search]") > top_of(window, "#results-title")
    assert_elder_friendly(window, "retiree-search", elder=elder)


@pytest.mark.parametrize(("width", "elder"), SIZES)
def test_reminders_take_one_line_and_lead_to_my_reminders(open_window, password, width, elder):
    window, page = log_in(open_window, password, width, elder)
    retiree = User.objects.get(username=RETIREE)  # reminders arriving while browsing
    run_outside_browser_loop(notify_user, retiree, "course", "书法入门换了教室，在二楼", "")
    run_outside_browser_loop(notify_user, retiree, "course", "明天的直播课改到下午三点", "")
    waiting = Notification.objects.filter(user=retiree, read_at=None).count()
    assert waiting >= 2
    window.open(CoursePage.objects.get(title="书法入门").url)

    line = page.locator(".reminder-line")
    assert line.count() == 1
    assert line.locator(".reminder-text").inner_text() == f"您有 {waiting} 条新提醒"
    assert line.get_by_role("link").get_attribute("href") == "/me/#notice-title"
    # One line: no taller than its 去看看 target.
    line_box, link_box = line.bounding_box(), line.get_by_role("link").bounding_box()
    assert line_box["height"] <= link_box["height"] + 1, (line_box, link_box)
    # The page's own title is on the first screen.
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] + heading["height"] <= screen_height(window)
    assert_elder_friendly(window, "retiree-reminder-line", elder=elder)

    line.get_by_role("link", name="去看看").click()
    page.wait_for_url("**/me/#notice-title")
    reminders = page.locator("section[aria-labelledby=notice-title]").inner_text()
    assert "书法入门换了教室，在二楼" in reminders and "明天的直播课改到下午三点" in reminders


def test_the_reminder_line_is_below_a_live_rooms_video(open_window, password):
    run_outside_browser_loop(load_demo_live_classes)
    window, page = log_in(open_window, password, 1280, False)
    retiree = User.objects.get(username=RETIREE)
    run_outside_browser_loop(notify_user, retiree, "course", "书法入门换了教室，在二楼", "")
    room = LiveClass.objects.get(title="楷书的横与竖")
    window.open(f"/live/{room.pk}/")
    page.locator(".reminder-line").wait_for()
    video = "section[aria-labelledby=video-title]"
    assert top_of(window, video) < screen_height(window)
    assert top_of(window, "#notification-region") > top_of(window, video)


def test_leaving_a_playing_lesson_keeps_its_place(open_window, video_lesson, password):  # noqa: F811
    window = open_window(390)
    page = window.log_in("13900000001", password)
    window.open(video_lesson.url)
    page.wait_for_selector("[data-lesson-player][data-ready='1']")
    page.get_by_role("button", name="播放").click()
    page.wait_for_function("document.querySelector('[data-media]').currentTime >= 3")
    # Not paused: the retiree just taps away to another page.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    page.wait_for_url("**/me/")

    def saved() -> int:
        progress = LessonProgress.objects.filter(lesson=video_lesson).first()
        return progress.position_seconds if progress else 0

    wait_until(lambda: saved() >= 3, "the place in the video saved on leaving", timeout=10)


def read_aloud_sentences(window: BrowserWindow) -> list[str]:
    page = window.page
    page.wait_for_function(
        "[...document.querySelectorAll('.read-aloud-status')].some(s => s.textContent)"
    )
    return [
        text
        for text in page.locator(".read-aloud:visible .read-aloud-status").all_inner_texts()
        if text
    ]


@pytest.mark.parametrize(("width", "elder"), SIZES)
def test_no_chinese_voice_is_said_once_and_truly(open_window, password, width, elder):
    window, page = log_in(open_window, password, width, elder)
    window.open(CoursePage.objects.get(title="书法入门").url)  # summary and syllabus
    sentences = read_aloud_sentences(window)
    assert len(sentences) == 1, sentences
    assert sentences[0].startswith("这个浏览器没有普通话朗读声音，暂时不能朗读。")
    assert "右上角" not in sentences[0]
    if elder:  # the text is large already; the switch is not what helps
        assert "长辈模式" not in sentences[0]
    else:
        assert "页面最上面的“开启长辈模式”" in sentences[0]
        switch = page.get_by_role("button", name="开启长辈模式").bounding_box()
        assert switch["y"] < 200  # it is at the top of the page, as the sentence says
    assert_elder_friendly(window, "retiree-course-no-voice", elder=elder)


@pytest.mark.parametrize(
    ("login", "width", "elder"),
    [(RETIREE, 390, True), (RETIREE, 1280, False), ("jxs1", 1280, False)],
)
def test_the_duty_phone_on_me_is_a_full_size_target(open_window, password, login, width, elder):
    window, page = log_in(open_window, password, width, elder, login)
    phone = page.locator("main .facts a[href^='tel:']")
    box = phone.bounding_box()
    least = 60 if elder else 44
    assert box["height"] >= least and box["width"] >= least, box
    window.screenshot(f"retiree-me-phone-{login}")


def test_every_page_load_finds_the_site_icon(open_window, password):
    window, page = log_in(open_window, password, 390, True)
    missing = []
    page.on("response", lambda r: r.status >= 400 and missing.append(f"{r.status} {r.url}"))
    for path in ("/", "/courses/", "/notices/", "/me/"):
        window.open(path)
        icons = page.evaluate(
            "[...document.querySelectorAll('link[rel=icon], link[rel=apple-touch-icon]')]"
            ".map(link => link.href)"
        )
        assert len(icons) == 2, (path, icons)
    for icon in icons + [window.base_url + "/favicon.ico"]:
        response = page.request.get(icon)
        assert response.ok and response.headers["content-type"].startswith("image/"), icon
    assert not missing, missing
