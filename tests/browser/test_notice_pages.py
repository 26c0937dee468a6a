"""Notices end to end: staff publish in the Wagtail admin, a retiree's open page gets the
banner without reloading, the retiree reads and acknowledges, the staff report shows it."""

import re

import pytest

from notices.models import NoticeIndexPage
from tests.browser.conftest import FAKE_SPEECH, assert_elder_friendly


def test_publish_banner_read_acknowledge_and_follow_up(open_window, password):
    retiree_window = open_window(1280)
    retiree = retiree_window.log_in("13900000004", password)  # 赵淑芬, 万寿路服务站
    retiree.wait_for_selector("body[data-notify=open]")

    staff_window = open_window(1280)
    staff = staff_window.log_in("jxs1", password)  # 第一军休所
    index = NoticeIndexPage.objects.get(institution__name="第一军休所")
    staff_window.open(f"/admin/pages/add/notices/noticepage/{index.pk}/")
    staff.locator("#id_title").fill("明天上午停水")
    staff.locator("#id_category").select_option(label="通知公告")
    staff.locator("#id_summary").fill("明天上午8点到12点停水，请提前接好水。")
    body = staff.locator(".public-DraftEditor-content").first  # the 正文 editor (Draftail)
    body.click()
    staff.keyboard.type("因管道检修，明天上午8点到12点院内停水。")
    # Draftail writes the editor's content into the form field a moment after typing.
    staff.wait_for_function("document.querySelector('#id_body').value.includes('院内停水')")
    staff.locator("#id_requires_acknowledgement").check()
    staff.get_by_role("button", name="更多动作").click()
    staff.get_by_role("button", name="发布", exact=True).click()
    staff.wait_for_url(re.compile(r"/admin/pages/\d+/"))

    # The retiree did nothing; the banner arrives on the page already open.
    banner = retiree.locator(".banner-notice").filter(has_text="明天上午停水")
    banner.wait_for()
    assert "请确认已读：明天上午停水" in banner.inner_text()
    banner.get_by_role("link", name="去看看").click()
    retiree.get_by_role("heading", level=1, name="明天上午停水").wait_for()
    assert_elder_friendly(retiree_window, "notice")
    retiree.get_by_role("button", name="我已阅读并知悉").click()
    retiree.get_by_text("您已阅读并知悉这条通知").wait_for()
    assert "确认已阅读并知悉" in retiree.inner_text(".acknowledge-box")

    staff_window.open("/admin/notices/")
    staff.get_by_role("link", name="明天上午停水").click()
    staff.get_by_role("heading", name="还没送达的人").wait_for()
    station_row = staff.locator("#rollup tr[data-institution='万寿路服务站']")
    cells = station_row.locator("td").all_inner_texts()
    # 机构 应送达 已读 已确认 电话/上门告知 已送达 还没送达: 赵淑芬 acknowledged.
    assert cells[1:] == ["3", "1", "1", "0", "1", "2"]
    assert staff.locator("tr[data-retiree='赵淑芬']").count() == 0
    assert staff.locator("tr[data-retiree='孙振华']").count() == 1
    staff_window.screenshot("notice-followup")


@pytest.mark.parametrize("width", [1280, 390])
def test_notice_list_and_page_are_elder_friendly(open_window, password, width):
    window = open_window(width)
    page = window.log_in("13900000002", password)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="通知").click()
    page.wait_for_url("**/notices/")
    items = page.locator(".notice-item")
    assert items.first.inner_text().startswith("置顶")
    assert "未读" in page.inner_text("main")
    assert_elder_friendly(window, "notice-list")
    page.get_by_role("link", name="关于做好2026年度军休干部健康体检工作的通知").click()
    page.get_by_role("heading", level=1).wait_for()
    # No Chinese voice in this browser: a plain sentence instead of a button that does nothing.
    page.get_by_text("这个浏览器没有普通话朗读声音").wait_for()
    assert page.get_by_role("button", name="朗读").count() == 0
    assert_elder_friendly(window, "notice-page")


def test_read_aloud_speaks_mandarin_in_chunks_and_stops_on_a_second_press(open_window, password):
    window = open_window(1280)
    window.page.context.add_init_script(FAKE_SPEECH)
    page = window.log_in("13900000001", password)
    page.get_by_role("link", name="通知", exact=True).click()
    page.get_by_role("link", name="关于做好2026年度军休干部健康体检工作的通知").click()
    page.get_by_label("慢一点读").check()
    page.get_by_role("button", name="朗读").click()
    page.wait_for_function("window.spoken.length >= 2")
    spoken = page.evaluate("window.spoken")
    assert all(item["lang"] == "zh-CN" and item["rate"] == 0.7 for item in spoken)
    assert all(len(item["text"]) <= 80 for item in spoken)
    assert spoken[0]["text"].startswith("今年体检12月10日开始")
    stop = page.get_by_role("button", name="停止朗读")
    assert stop.get_attribute("aria-pressed") == "true"
    stop.click()
    assert page.get_by_role("button", name="朗读").get_attribute("aria-pressed") == "false"
    assert page.evaluate("window.speechCancelled") >= 2
    assert_elder_friendly(window, "notice-read-aloud")
