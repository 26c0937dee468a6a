"""花名册导入: check every row first, write all or nothing, re-import updates, passwords once,
and the first login asks for a password of one's own."""

import csv
import io
import re
import tracemalloc
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from accounts.factories import PASSWORD
from accounts.models import RetireeProfile, RosterUpload, User
from accounts.roster import COLUMNS, MAX_LINE_CHARS, MAX_ROWS, check_roster

GOOD_ROWS = [
    ["赵国强", "13700000001", "离休", "军官", "测试一所", "赵小军", "13700009001", "高龄、独居"],
    ["钱淑芬", "13700000002", "退休", "士官", "测试一所服务站", "", "", ""],
    ["孙建华", "137 0000 0003", "", "", "测试一所", "孙丽", "010-62221234", "失能"],
]


def xlsx_file(rows: list[list], header: list[str] = COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def far_reaching_xlsx(rows: list[list]) -> bytes:
    """A few KB of .xlsx whose sheet declares A1:XFD1048576 and has one cell in that last
    row and column: a reader that trusts it pads out a million rows of 16,384 cells."""
    plain = zipfile.ZipFile(io.BytesIO(xlsx_file(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as crafted:
        for item in plain.infolist():
            data = plain.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(
                    r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', data.decode()
                )
                far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                data = xml.replace("</sheetData>", far + "</sheetData>").encode()
            crafted.writestr(item, data)
    return buffer.getvalue()


@pytest.fixture
def cells_read(monkeypatch) -> list[int]:
    """[cells openpyxl has handed out so far]; past a budget far above what a roster of
    MAX_ROWS rows needs, reading fails at once instead of running for minutes."""
    count, budget = [0], 16_384 + (MAX_ROWS + 2) * 2 * len(COLUMNS)
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(sheet, *args, **kwargs):
        for row in iter_rows(sheet, *args, **kwargs):
            count[0] += len(row)
            assert count[0] <= budget, f"read over {budget} cells"
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    return count


def csv_file(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, name: str = "花名册.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("roster_upload"), {"roster": file})


def upload_and_confirm(client, content: bytes, name: str = "花名册.xlsx") -> RosterUpload:
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()
    preview = client.get(response["Location"]).content.decode()
    assert "确认导入" in preview
    done = client.post(response["Location"])
    assert done.status_code == 302
    return RosterUpload.objects.latest("uploaded_at")


@pytest.mark.parametrize(
    "content,name",
    [(xlsx_file(GOOD_ROWS), "花名册.xlsx"), (csv_file(GOOD_ROWS), "花名册.csv")],
    ids=["xlsx", "csv"],
)
def test_a_valid_file_is_previewed_then_written(cast, client_as, content, name):
    staff = client_as("staff_first")
    response = upload(staff, content, name)
    preview = staff.get(response["Location"]).content.decode()
    assert "全部 3 行都没问题：新建 3 个账号，更新 0 位" in preview
    assert not User.objects.filter(username="13700000001").exists()  # nothing yet

    staff.post(response["Location"])
    zhao = RetireeProfile.objects.get(user__username="13700000001")
    assert zhao.user.name == "赵国强" and zhao.user.institution.name == "测试一所"
    assert zhao.retirement == "lixiu" and zhao.rank == "officer"
    assert zhao.very_old and zhao.living_alone and not zhao.disabled
    assert zhao.emergency_contact_phone == "13700009001"
    sun = RetireeProfile.objects.get(user__username="13700000003")
    assert sun.retirement == "tuixiu" and sun.disabled  # blanks take the defaults
    assert sun.user.groups.filter(name="军休干部").exists() and sun.user.must_change_password


def test_initial_passwords_download_once_and_work(cast, client_as):
    staff = client_as("staff_first")
    stored = upload_and_confirm(staff, xlsx_file(GOOD_ROWS))
    done = staff.get(reverse("roster_done", args=[stored.pk])).content.decode()
    assert "新建 3 个账号，更新 0 位" in done

    download = staff.post(reverse("roster_passwords", args=[stored.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {row[1] for row in rows} == {"13700000001", "13700000002", "13700000003"}
    name, phone, _, password = rows[0]
    assert authenticate(username=phone, password=password) is not None

    again = staff.post(reverse("roster_passwords", args=[stored.pk]))
    assert again.status_code == 302
    assert "只能下载一次" in staff.get(again["Location"]).content.decode()
    assert RosterUpload.objects.get(pk=stored.pk).content == b""  # the file is not kept


@pytest.mark.parametrize(
    "row,message",
    [
        (["", "13700000009", "退休", "军官", "测试一所", "", "", ""], "第3行：没有填姓名。"),
        (["周一", "1370000000", "", "", "测试一所", "", "", ""], "第3行：手机号“1370000000”不对"),
        (["周一", "13700000009", "", "", "第九军休所", "", "", ""], "所属军休所“第九军休所”找不到"),
        (["周一", "13700000009", "", "", "测试二所", "", "", ""], "所属军休所“测试二所”找不到"),
        (["周一", "13700000001", "", "", "测试一所", "", "", ""], "和第2行重复"),
        (["周一", "13700000009", "病退", "", "测试一所", "", "", ""], "只能填“离休”或“退休”"),
        (["周一", "13700000009", "", "将军", "测试一所", "", "", ""], "只能填“军官”或“士官”"),
        (["周一", "13700000009", "", "", "测试一所", "", "12", ""], "紧急联系电话“12”不对"),
        (
            ["周一", "13700000009", "", "", "测试一所", "", "", "高龄、有钱"],
            "关怀标记“有钱”不认识",
        ),
        (["周一", "13500000011", "", "", "测试一所", "", "", ""], "已经是别的机构"),
        (["周一", "teacher_huang", "", "", "测试一所", "", "", ""], "手机号“teacher_huang”不对"),
    ],
)
def test_each_kind_of_error_is_shown_with_its_row_and_nothing_is_written(
    cast, client_as, row, message
):
    staff = client_as("staff_first")  # 测试一所: 测试二所 and its people are not theirs
    response = upload(staff, xlsx_file([GOOD_ROWS[0], row]))
    preview = staff.get(response["Location"]).content.decode()
    shown = preview.replace("</td><td>", "：")
    assert message in shown, shown[shown.find("roster-errors") :][:800]
    assert "还没有导入任何人" in preview and "确认导入" not in preview

    # Confirming anyway (a forged POST) writes nothing: all or nothing.
    staff.post(response["Location"])
    assert not User.objects.filter(username="13700000001").exists()


def test_a_file_that_is_not_a_roster_is_refused_in_chinese(cast, client_as):
    staff = client_as("staff_first")
    wrong_kind = upload(staff, b"MZ\x90\x00", "名单.exe")
    assert "只能导入 .xlsx 或 .csv 文件" in wrong_kind.content.decode()
    broken = upload(staff, b"not a zip", "名单.xlsx")
    assert "这个 Excel 文件打不开" in broken.content.decode()
    no_header = upload(staff, xlsx_file(GOOD_ROWS, header=["名字", "电话"]))
    assert "第1行表头缺少“姓名”“手机号”“所属军休所”" in no_header.content.decode()
    assert RosterUpload.objects.count() == 0


def test_a_gbk_csv_from_chinese_excel_is_read(cast, client_as):
    staff = client_as("staff_first")
    upload_and_confirm(staff, csv_file(GOOD_ROWS, encoding="gb18030"), "花名册.csv")
    assert User.objects.get(username="13700000002").name == "钱淑芬"


def test_re_importing_updates_instead_of_duplicating(cast, client_as):
    staff = client_as("staff_first")
    upload_and_confirm(staff, xlsx_file(GOOD_ROWS))
    changed = [row[:] for row in GOOD_ROWS]
    changed[0][0], changed[0][7] = "赵国强（改名）", "高龄"
    before = User.objects.count()
    stored = upload_and_confirm(staff, xlsx_file(changed))
    assert User.objects.count() == before
    assert (stored.created_count, stored.updated_count) == (0, 3)
    zhao = RetireeProfile.objects.get(user__username="13700000001")
    assert zhao.user.name == "赵国强（改名）" and zhao.very_old and not zhao.living_alone
    assert stored.passwords_xlsx is None  # nobody new, no passwords to hand out


def test_a_retiree_of_ones_own_subtree_can_be_updated(cast, client_as):
    staff = client_as("staff_first")
    row = ["林志远", "13500000001", "离休", "军官", "测试一所", "", "", "高龄"]
    stored = upload_and_confirm(staff, xlsx_file([row]))
    assert (stored.created_count, stored.updated_count) == (0, 1)
    # Their own password still works: an update never resets it.
    assert authenticate(username="13500000001", password=PASSWORD) is not None


def test_uploads_belong_to_whoever_uploaded_them(cast, client_as):
    response = upload(client_as("staff_first"), xlsx_file(GOOD_ROWS))
    other_staff = client_as("staff_second")
    assert other_staff.get(response["Location"]).status_code == 404
    assert other_staff.post(response["Location"]).status_code == 404
    assert client_as("13500000001").get(reverse("roster_upload")).status_code in (302, 403)
    assert client_as("13500000001").get(reverse("roster_template")).status_code in (302, 403)


def test_the_template_has_the_chinese_columns(cast, client_as):
    response = client_as("staff_first").get(reverse("roster_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert COLUMNS == ["姓名", "手机号", "离休/退休", "军官/士官", "所属军休所"] + [
        "紧急联系人",
        "紧急联系电话",
        "关怀标记",
    ]


def test_first_login_asks_for_a_password_of_ones_own(cast, client_as, client):
    staff = client_as("staff_first")
    stored = upload_and_confirm(staff, xlsx_file(GOOD_ROWS[:1]))
    sheet = load_workbook(
        io.BytesIO(staff.post(reverse("roster_passwords", args=[stored.pk])).content)
    ).active
    _, phone, _, initial = next(sheet.iter_rows(min_row=3, values_only=True))

    client.post(reverse("accounts:login"), {"username": phone, "password": initial})
    assert client.get(reverse("home:me"))["Location"] == reverse("accounts:first_password")
    page = client.post(
        reverse("accounts:first_password"),
        {"new_password": "20261128", "new_password_again": "20261129"},
    )
    assert "两次输入的不一样" in page.content.decode()
    simple = client.post(
        reverse("accounts:first_password"),
        {"new_password": "123456", "new_password_again": "123456"},
    )
    assert "这个密码太简单了" in simple.content.decode()
    done = client.post(
        reverse("accounts:first_password"),
        {"new_password": "20261128", "new_password_again": "20261128"},
    )
    assert done["Location"] == reverse("home:me")
    assert client.get(reverse("home:me")).status_code == 200  # still logged in
    user = User.objects.get(username=phone)
    assert not user.must_change_password and user.check_password("20261128")
    assert user.password.startswith("md5$")  # re-hashed with the site's preferred hasher


def test_a_sheet_declaring_a_million_rows_is_read_only_as_far_as_a_roster_goes(cast, cells_read):
    content = far_reaching_xlsx(GOOD_ROWS)
    assert len(content) < 10_000
    staff = User.objects.get(username="staff_first")
    tracemalloc.start()
    try:
        check = check_roster("花名册.xlsx", content, staff)  # what the task does
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert check.valid and [row.name for row in check.rows] == ["赵国强", "钱淑芬", "孙建华"]
    assert cells_read[0] <= 16_384 + (MAX_ROWS + 1) * len(COLUMNS)
    assert peak < 20 * 1024 * 1024


def test_a_csv_line_longer_than_any_roster_row_is_refused_in_chinese(cast, client_as):
    staff = client_as("staff_first")
    endless = csv_file(GOOD_ROWS) + b"," * 3_000_000 + b"\r\n"
    refused = upload(staff, endless, "花名册.csv")
    assert refused.status_code == 400
    assert f"文件里有一行太长了（超过 {MAX_LINE_CHARS} 个字）" in refused.content.decode()
    assert RosterUpload.objects.count() == 0


def test_the_page_shows_the_tasks_progress_and_a_reload_shows_it_again(cast, client_as):
    """With the queue held (no worker), each step's progress is read from the database."""
    from django.test import override_settings

    from accounts import services

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    staff = client_as("staff_first")
    with override_settings(TASKS=dummy):
        location = upload(staff, xlsx_file(GOOD_ROWS))["Location"]
        stored = RosterUpload.objects.get()
        reading = staff.get(location).content.decode()
        assert "正在读取文件" in reading and 'http-equiv="refresh"' in reading

        services.record_roster_progress(upload_id=stored.pk, rows_checked=500, rows_total=1000)
        for _ in range(2):  # the same after a reload
            page = staff.get(location).content.decode()
            assert "已检查 <strong>500</strong> 行，共 1000 行" in page
            assert 'max="1000" value="500"' in page and "已完成 50%" in page

        services.check_roster_upload(upload_id=stored.pk)
        assert "全部 3 行都没问题" in staff.get(location).content.decode()
        staff.post(location)
        writing = staff.get(location).content.decode()
        assert "第二步：写入" in writing and "要么全部导入，要么一个也不导入" in writing
        assert not User.objects.filter(username="13700000001").exists()

        services.import_roster(upload_id=stored.pk)
    done = staff.get(location)
    assert done["Location"] == reverse("roster_done", args=[stored.pk])
    assert RosterUpload.objects.get().rows_written == 3
    assert User.objects.filter(username__startswith="137000000").count() == 3


def test_a_file_with_only_its_header_is_refused_by_the_check(cast, client_as):
    staff = client_as("staff_first")
    location = upload(staff, xlsx_file([]))["Location"]
    page = staff.get(location).content.decode()
    assert "文件里只有表头，没有军休干部。" in page and "还没有导入任何人" in page
    assert "确认导入" not in page
    staff.post(location)
    assert RosterUpload.objects.get().imported_at is None


def test_a_phone_registered_after_the_check_stops_the_whole_import(cast, client_as):
    """Between the preview and the writing, another 军休所 registers one of the phones: the
    task writes nobody and the page lists the row."""
    from django.test import override_settings

    from accounts import services

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    staff = client_as("staff_first")
    with override_settings(TASKS=dummy):
        location = upload(staff, xlsx_file(GOOD_ROWS))["Location"]
        stored = RosterUpload.objects.get()
        services.check_roster_upload(upload_id=stored.pk)
        staff.post(location)
        User.objects.create_user(
            username="13700000002",
            name="别人",
            role=User.Role.RETIREE,
            institution=User.objects.get(username="staff_second").institution,
        )
        services.import_roster(upload_id=stored.pk)
    page = staff.get(location).content.decode().replace("</td><td>", "：")
    assert "第3行：手机号 13700000002 已经是别的机构" in page
    assert not User.objects.filter(username__in=["13700000001", "13700000003"]).exists()


def test_a_failed_task_is_said_in_words_on_the_progress_page(cast, client_as):
    """A check that failed in the worker (recorded in the database queue as a worker does)
    is said on the page, with the way on; before that, only the progress."""
    from django.test import override_settings
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    staff = client_as("staff_first")
    with override_settings(TASKS=queue):
        location = upload(staff, xlsx_file(GOOD_ROWS))["Location"]
        waiting = staff.get(location).content.decode()
        assert "正在读取文件" in waiting and "这一步出错了" not in waiting
        task_id = RosterUpload.objects.get().task_id
        DBTaskResult.objects.filter(id=task_id).update(status=TaskResultStatus.FAILED)
        failed = staff.get(location).content.decode()
    assert "这一步出错了，还没有导入任何人" in failed and reverse("roster_upload") in failed
    assert not User.objects.filter(username="13700000001").exists()
