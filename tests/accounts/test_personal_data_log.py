"""个人信息查看记录 (PIPL): every view and export of other people's phone numbers, addresses and
care flags is written down; staff of the people's institution review it; exports say who made
them and when."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import PersonalDataAccess, RetireeProfile, RosterUpload, User
from accounts.services import record_personal_data_access
from courses.models import LessonProgress
from notices.factories import NoticePageFactory
from notices.models import NoticeReceipt
from tests.conftest import user

pytestmark = pytest.mark.django_db


def subjects_of(access: PersonalDataAccess) -> set[str]:
    return set(access.subjects.values_list("name", flat=True))


def test_a_retiree_record_opened_by_staff_is_written_down(cast, client_as):
    profile = RetireeProfile.objects.get(user__username="13500000002")
    edit = client_as("staff_first").get(f"/admin/retirees/edit/{profile.pk}/")
    assert edit.status_code == 200 and "13611110002" in edit.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.viewer_name, access.action, access.what) == ("周敏", "view", "高秀兰的资料")
    assert subjects_of(access) == {"高秀兰"} and access.subject_count == 1
    assert access.path == f"/admin/retirees/edit/{profile.pk}/"

    client_as("staff_first").get("/admin/retirees/")
    listed = PersonalDataAccess.objects.first()  # newest first
    assert listed.what == "军休干部名单"
    assert "高秀兰" in subjects_of(listed) and "韩卫国" not in subjects_of(listed)  # 测试二所's


def test_refused_and_own_lookups_write_nothing(cast, client_as):
    profile = RetireeProfile.objects.get(user__username="13500000002")
    assert client_as("staff_second").get(f"/admin/retirees/edit/{profile.pk}/").status_code == 404
    assert client_as("13500000002").get("/me/").status_code == 200  # one's own data
    assert not PersonalDataAccess.objects.exists()
    me = user("13500000002")
    assert record_personal_data_access(me, "自己", [me], path="/me/") is None


def test_care_list_login_help_and_notice_follow_up_are_recorded(places, client_as):
    long_ago = timezone.now() - datetime.timedelta(days=100)
    User.objects.update(last_login=timezone.now(), date_joined=long_ago)
    User.objects.filter(name="高秀兰").update(last_login=long_ago)  # 独居, 高龄
    LessonProgress.objects.update(updated_at=long_ago)
    NoticeReceipt.objects.update(read_at=None)
    staff = client_as("staff_first")
    assert "高秀兰" in staff.get(reverse("care_list") + "?days=7").content.decode()
    staff.get(reverse("login_help"))  # nobody is locked: nothing shown, nothing written
    care = PersonalDataAccess.objects.get()
    assert care.what == "关怀名单（7天没动静）" and subjects_of(care) == {"高秀兰"}

    notice = NoticePageFactory(institution=places["first"])
    staff.get(reverse("notice_followup_detail", args=[notice.pk]))
    viewed = PersonalDataAccess.objects.first()
    assert viewed.what == f"通知送达情况：{notice.title}" and viewed.action == "view"


def test_an_export_is_recorded_and_says_who_made_it_and_when(places, client_as):
    notice = NoticePageFactory(institution=places["first"])
    export = client_as("staff_first").get(reverse("notice_followup_export", args=[notice.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value.startswith(f"通知：{notice.title}")
    assert "周敏 于 " in sheet["A1"].value and "导出" in sheet["A1"].value
    assert "周敏 于 " in sheet.oddFooter.left.text
    access = PersonalDataAccess.objects.get()
    assert access.action == "export" and access.what == f"未送达名单：{notice.title}"
    not_reached = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert subjects_of(access) == not_reached


def test_staff_review_the_records_of_their_own_people_only(cast, client_as):
    first = RetireeProfile.objects.get(user__username="13500000002")  # 高秀兰, 测试一所
    second = RetireeProfile.objects.get(user__username="13500000008")  # 宋玉洁, 测试二所
    client_as("staff_first").get(f"/admin/retirees/edit/{first.pk}/")
    client_as("staff_second").get(f"/admin/retirees/edit/{second.pk}/")
    log = reverse("personal_data_log")

    own = client_as("staff_first").get(log).content.decode()
    assert "高秀兰的资料" in own and "宋玉洁" not in own
    center = client_as("staff_center").get(log).content.decode()  # above both
    assert "高秀兰的资料" in center and "宋玉洁的资料" in center
    found = client_as("staff_center").get(log, {"person": "13500000008"}).content.decode()
    assert "宋玉洁的资料" in found and "高秀兰的资料" not in found
    by_viewer = client_as("staff_center").get(log, {"person": "周敏"}).content.decode()
    assert "高秀兰的资料" in by_viewer and "宋玉洁的资料" not in by_viewer

    assert client_as("13500000002").get(log).status_code in (302, 403)
    assert client_as("teacher_huang").get(log).status_code in (302, 403)


def test_the_initial_passwords_download_is_recorded(cast, client_as):
    staff = client_as("staff_first")
    content = "姓名,手机号,所属军休所\n钱学军,13700000001,测试一所\n"
    upload = staff.post(
        reverse("roster_upload"),
        {"roster": SimpleUploadedFile("名单.csv", content.encode("utf-8"), "text/csv")},
    )
    assert upload.status_code == 302, upload.content.decode()[:2000]
    staff.post(upload["Location"])
    stored = RosterUpload.objects.get(uploaded_by__username="staff_first")
    passwords = staff.post(reverse("roster_passwords", args=[stored.pk]))
    sheet = load_workbook(io.BytesIO(passwords.content)).active
    assert "周敏 于 " in sheet["A1"].value
    access = PersonalDataAccess.objects.get()
    assert access.action == "export" and subjects_of(access) == {"钱学军"}
