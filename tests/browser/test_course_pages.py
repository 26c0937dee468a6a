import pytest

from courses.models import CoursePage
from tests.browser.conftest import assert_elder_friendly


@pytest.mark.parametrize("width", [1280, 390])
def test_retiree_finds_a_course_by_searching_and_enrolls(open_window, width, password):
    window = open_window(width)
    page = window.log_in("13900000005", password)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="课程").click()
    page.wait_for_url("**/courses/")
    assert_elder_friendly(window, "catalog")

    page.get_by_role("searchbox", name="找课程").fill("书法")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/courses/?q=*")
    assert "找到 3 门课" in page.inner_text("main")
    assert_elder_friendly(window, "catalog-search")

    page.get_by_role("link", name="书法入门").click()
    page.get_by_role("heading", level=1, name="书法入门").wait_for()
    assert_elder_friendly(window, "course")
    page.get_by_role("button", name="报名这门课").click()
    page.get_by_text("报名成功").wait_for()
    assert page.get_by_role("button", name="退出这门课").is_visible()
    assert_elder_friendly(window, "course-enrolled")

    page.get_by_role("link", name="继续学习：握笔与坐姿").click()
    page.get_by_role("heading", level=1, name="握笔与坐姿").wait_for()
    assert_elder_friendly(window, "lesson")

    window.open("/me/")
    assert "书法入门" in page.inner_text("main")
    assert_elder_friendly(window, "me-with-courses")


def test_catalog_filters_in_elder_mode(open_window):
    window = open_window(390)
    page = window.open("/courses/")
    page.get_by_role("button", name="开启长辈模式").click()
    page.wait_for_selector("html.elder-mode")
    page.get_by_text("按类别、学期、方式挑选").click()
    page.get_by_label("上课方式").select_option(label="线上")
    page.get_by_role("button", name="按条件挑选").click()
    page.wait_for_url("**mode=online*")
    shown = page.locator(".course-card-title").all_inner_texts()
    online = set(CoursePage.objects.filter(mode="online").values_list("title", flat=True))
    assert shown and set(shown) <= online
    assert_elder_friendly(window, "catalog-filtered-elder", elder=True)
