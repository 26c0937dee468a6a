"""搜索 on a phone: reached from the navigation, and after searching the first result is on the
first screen, in 标准模式 and in 长辈模式."""

import pytest

from tests.browser.conftest import assert_elder_friendly


def first_result_bottom(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.search-hit a').getBoundingClientRect().bottom"
    )


@pytest.mark.parametrize("elder", [False, True])
def test_search_on_a_phone_shows_the_first_result_on_the_first_screen(open_window, password, elder):
    window = open_window(390)
    page = window.log_in("13900000001", password)
    if elder:
        page.get_by_role("button", name="开启长辈模式").click()
        page.wait_for_selector("html.elder-mode")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="搜索").click()
    page.wait_for_url("**/search/")
    page.get_by_role("searchbox", name="搜索课程、课、通知、学习圈").fill("毛笔字")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/search/?q=*#search-form")
    main = page.inner_text("main")
    assert "找到 3 门课程" in main
    assert page.locator(".search-hit mark").first.inner_text() == "书法"
    # Seen without scrolling, with the search box still in view above it.
    viewport_height = page.viewport_size["height"]
    assert first_result_bottom(page) <= viewport_height, "first result below the first screen"
    box = page.get_by_role("searchbox").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport_height
    assert_elder_friendly(window, "search-elder" if elder else "search", elder=elder)

    page.locator(".search-hit a").first.click()
    page.get_by_role("heading", level=1, name="书法入门").wait_for()


@pytest.mark.parametrize("width", [390, 1280])
def test_pinyin_typed_marks_the_chinese_words(open_window, password, width):
    window = open_window(width)
    window.log_in("13900000001", password)
    page = window.open("/search/?q=shufa")
    assert "找到 " in page.inner_text("main")
    assert page.locator(".search-hit mark").first.inner_text() == "书法"
    window.screenshot("search-pinyin")
