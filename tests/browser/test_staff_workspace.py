"""The staff workspace in a real browser: upload a roster, read the errors, fix, confirm,
download the initial passwords."""

import io

from openpyxl import load_workbook

from accounts.models import User
from tests.accounts.test_roster_import import xlsx_file
from tests.browser.conftest import run_outside_browser_loop

# The demo site's places (the browser tests log in as the demo's staff).
GOOD_ROWS = [
    ["赵国强", "13700000001", "离休", "军官", "第一军休所", "赵小军", "13700009001", "高龄、独居"],
    ["钱淑芬", "13700000002", "退休", "士官", "万寿路服务站", "", "", ""],
    ["孙建华", "137 0000 0003", "", "", "第一军休所", "孙丽", "010-62221234", "失能"],
]


def test_roster_preview_and_confirm(open_window, password, tmp_path):
    window = open_window(1280)
    window.log_in("jxs1", password)
    page = window.open("/admin/")
    page.get_by_role("link", name="导入花名册").first.click()
    page.wait_for_url("**/admin/roster/")

    bad = tmp_path / "花名册-有错.xlsx"
    bad.write_bytes(xlsx_file([GOOD_ROWS[0], ["", "123", "", "", "第九军休所", "", "", ""]]))
    page.get_by_label("花名册文件（.xlsx 或 .csv）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.locator("#roster-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "第3行" in text and "没有填姓名" in text and "第九军休所" in text
    assert page.get_by_role("button", name="确认导入").count() == 0
    window.screenshot("staff-roster-errors")
    assert run_outside_browser_loop(User.objects.filter(username="13700000001").exists) is False

    page.get_by_role("link", name="← 重新上传").click()
    good = tmp_path / "花名册.xlsx"
    good.write_bytes(xlsx_file(GOOD_ROWS))
    page.get_by_label("花名册文件（.xlsx 或 .csv）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    page.locator("#roster-ok", has_text="新建 3 个账号").wait_for()
    window.screenshot("staff-roster-preview")
    page.get_by_role("button", name="确认导入").click()
    page.locator("#roster-done", has_text="新建 3 个账号").wait_for()
    window.screenshot("staff-roster-done")

    with page.expect_download() as download:
        page.get_by_role("button", name="下载初始密码表（Excel）").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.cell(row=3, column=1).value == "赵国强"
    assert run_outside_browser_loop(User.objects.filter(username="13700000001").exists)


def test_care_list_record_a_visit(open_window, password):
    from accounts.models import RetireeProfile

    def make_zhang_quiet():
        User.objects.filter(username="13900000001").update(
            last_login=None, date_joined="2025-01-01T00:00Z"
        )
        RetireeProfile.objects.filter(user__username="13900000001").update(very_old=True)
        from courses.models import LessonProgress
        from notices.models import NoticeReceipt

        LessonProgress.objects.filter(retiree__username="13900000001").delete()
        NoticeReceipt.objects.filter(retiree__username="13900000001").update(read_at=None)

    run_outside_browser_loop(make_zhang_quiet)
    window = open_window(1280)
    window.log_in("jxs1", password)
    page = window.open("/admin/")
    page.get_by_role("link", name="关怀名单").first.click()
    row = page.locator("tr[data-retiree='13900000001']")
    row.wait_for()
    window.screenshot("staff-care-list")
    row.get_by_label("方式").select_option(label="上门")
    row.get_by_label("情况").fill("精神不错，腿脚不便")
    row.get_by_role("button", name="记下").click()
    page.get_by_text("已记下：上门联系了张建国").wait_for()
    assert page.locator("tr[data-retiree='13900000001']").count() == 0


def test_term_report_page(open_window):
    from accounts.factories import PASSWORD
    from tests.people import build_cast
    from tests.staff.test_term_report import seed_term

    run_outside_browser_loop(lambda: seed_term(*build_cast()))
    window = open_window(1280, 2600)
    window.log_in("staff_first", PASSWORD)
    page = window.open("/admin/")
    page.get_by_role("link", name="学期报表").first.click()
    page.locator("figure.report-chart svg.report-bar").first.wait_for()
    assert page.locator("figure.report-chart").count() == 5
    window.screenshot("staff-term-report")


def test_roster_progress_page_at_1280_and_390(open_window, password):
    """A roster being checked by the worker: the bar and its words, big enough to read, the
    same after a reload, then the result once the check is done."""
    from accounts.models import RosterUpload
    from accounts.services import check_roster_upload, record_roster_progress

    def uploading() -> int:
        upload = RosterUpload.objects.create(
            uploaded_by=User.objects.get(username="jxs1"),
            filename="花名册.xlsx",
            content=xlsx_file(GOOD_ROWS),
        )
        record_roster_progress(upload_id=upload.pk, rows_checked=1500, rows_total=4000)
        return upload.pk

    upload_id = run_outside_browser_loop(uploading)
    for width in (1280, 390):
        window = open_window(width)
        window.log_in("jxs1", password)
        page = window.open(f"/admin/roster/{upload_id}/")
        status = page.get_by_role("status").filter(has_text="已检查")
        assert "已检查 1500 行，共 4000 行" in status.inner_text()
        bar = page.locator("progress.roster-progress__bar")
        assert bar.get_attribute("value") == "1500" and bar.get_attribute("max") == "4000"
        box = bar.bounding_box()
        assert box["height"] >= 36 and box["width"] >= min(width - 80, 300)
        button = page.get_by_role("link", name="现在看一下进度")
        assert button.bounding_box()["height"] >= 44
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        window.screenshot("staff-roster-progress")
        assert not window.refused_by_policy and not window.script_errors

    run_outside_browser_loop(lambda: check_roster_upload(upload_id=upload_id))
    page.reload()  # what the page's own refresh does every 3 seconds
    page.locator("#roster-ok", has_text="全部 3 行都没问题").wait_for()
