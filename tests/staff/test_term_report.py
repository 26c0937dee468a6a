"""学期报表 on a seeded data set, against figures worked out by hand."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from courses.models import CourseEvaluation, CoursePage, Enrollment, Term
from live.models import LiveClass
from notices.models import NoticePage, NoticeReceipt
from rooms.models import Presence
from staff.models import ReportExport
from staff.report_selectors import EnrollmentRow, TermReport, current_term, term_report
from staff.reports import charts_of

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def person(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def seeded(demo_people):
    return seed_term()


def seed_term() -> NoticePage:
    """In 第一军休所's subtree (what jxs1 sees) this term:
    书法入门 (书画, 刘书文): 01 02 04 enrolled; stars course 5, 4 / teacher 5, 3
    楷书进阶 (书画, 刘书文): nobody
    智能手机入门 (智能手机与网络, 周雅琴): 01 02 enrolled; stars course 3 / teacher 2
    二十四式太极拳 (太极与运动, 周雅琴, 万寿路服务站): 06 enrolled
    国画花鸟 (第二军休所): 03 enrolled, 1 star: not jxs1's.
    One 书法入门 live class, 9:00–10:00 on 11月20日: 01 and 04 there the whole hour, 02 absent.
    冬季供暖 notice: read by 01 and 02."""
    Enrollment.objects.all().delete()
    CourseEvaluation.objects.all().delete()
    now = timezone.now()
    seed = {
        "书法入门": ["13900000001", "13900000002", "13900000004"],
        "智能手机入门": ["13900000001", "13900000002"],
        "二十四式太极拳": ["13900000006"],
        "国画花鸟": ["13900000003"],
    }
    for title, logins in seed.items():
        for login in logins:
            Enrollment.objects.create(
                course=CoursePage.objects.get(title=title), retiree=person(login),
                status="enrolled", queued_at=now,
            )  # fmt: skip
    for title, login, course_stars, teacher_stars in [
        ("书法入门", "13900000001", 5, 5),
        ("书法入门", "13900000002", 4, 3),
        ("智能手机入门", "13900000001", 3, 2),
        ("国画花鸟", "13900000003", 1, 1),
    ]:
        CourseEvaluation.objects.create(
            course=CoursePage.objects.get(title=title), retiree=person(login),
            course_stars=course_stars, instructor_stars=teacher_stars,
        )  # fmt: skip
    starts = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    live_class = LiveClass.objects.create(
        course=CoursePage.objects.get(title="书法入门"), instructor=person("liushuwen"),
        title="楷书的点", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        state="ended",
    )  # fmt: skip
    for login in ("13900000001", "13900000004"):
        Presence.objects.create(
            room=live_class.room, user=person(login), channel_name=login,
            joined_at=starts - datetime.timedelta(minutes=5),
            left_at=starts + datetime.timedelta(minutes=61),
        )  # fmt: skip
    notice = NoticePage.objects.get(slug="winter-heating")
    NoticeReceipt.objects.filter(notice=notice).delete()
    for login in ("13900000001", "13900000002"):
        NoticeReceipt.objects.create(notice=notice, retiree=person(login), read_at=now)
    return notice


def test_figures_match_the_hand_count(seeded):
    term = Term.objects.get(name="2026年秋季学期")
    report = term_report(person("jxs1"), term, now=datetime.datetime(2026, 11, 29, tzinfo=SHANGHAI))

    enrolled = {row.label: row.enrolled for row in report.by_course}
    assert enrolled == {
        "书法入门": 3,
        "楷书进阶：欧体临帖": 0,
        "智能手机入门": 2,
        "二十四式太极拳": 1,
    }
    assert [(r.label, r.enrolled) for r in report.by_category] == [
        ("书画", 3), ("智能手机与网络", 2), ("太极与运动", 1),
    ]  # fmt: skip

    [attendance] = [row for row in report.attendance if row.live_class.title == "楷书的点"]
    assert (attendance.roster, attendance.present, attendance.rate) == (3, 2, 66.7)

    [winter] = [row for row in report.notices if row.notice.pk == seeded.pk]
    first = User.objects.filter(
        role="retiree", institution__path__startswith=seeded.institution.path
    ).count()
    assert (winter.audience, winter.read) == (first, 2)
    assert winter.read_rate == round(100 * 2 / first, 1)

    course_stars = {row.label: (row.average, row.count) for row in report.satisfaction_by_course}
    assert course_stars["书法入门"] == (4.5, 2)
    assert course_stars["智能手机入门"] == (3.0, 1)
    assert course_stars["楷书进阶：欧体临帖"] == (None, 0)
    assert "国画花鸟" not in course_stars  # 第二军休所's
    teachers = {row.label: (row.average, row.count) for row in report.satisfaction_by_instructor}
    assert teachers == {"刘书文": (4.0, 2), "周雅琴": (2.0, 1)}
    places = {row.label: (row.average, row.count) for row in report.satisfaction_by_institution}
    assert places == {"第一军休所": (4.0, 3), "万寿路服务站": (None, 0)}


def test_the_center_sees_both_institutions_and_the_other_institute_only_its_own(seeded):
    term = Term.objects.get(name="2026年秋季学期")
    center = {row.label for row in term_report(person("zhongxin"), term).satisfaction_by_course}
    assert {"书法入门", "国画花鸟"} <= center
    second = term_report(person("jxs2"), term)
    assert "书法入门" not in {row.label for row in second.by_course}
    assert {r.label: r.average for r in second.satisfaction_by_course}["国画花鸟"] == 1.0


def test_page_charts_and_export(seeded, client_as):
    staff = client_as("jxs1")
    page = staff.get(reverse("term_report")).content.decode()
    # Each chart is a list of words with a drawn bar: a screen reader reads the words.
    assert page.count('<figure class="report-chart">') == page.count('class="report-bars"') == 5
    assert "66.7%" in page and "4.5 星（2 人评）" in page  # figures written on the charts
    # A worker builds it (at once here: the tests run tasks inside the request).
    export = staff.get(reverse("term_report") + "?format=xlsx", follow=True)
    assert export.redirect_chain[0][0].startswith("/admin/term-report/exports/")
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == [
        "课程报名", "类别报名", "直播出勤", "通知阅读", "课程满意度", "教师满意度", "机构满意度",
    ]  # fmt: skip
    rows = list(workbook["直播出勤"].iter_rows(min_row=3, values_only=True))
    assert [row[3:] for row in rows if row[0] == "楷书的点"] == [(3, 2, 66.7)]
    # Someone else's export is not theirs to download.
    assert client_as("jxs2").get(export.redirect_chain[0][0]).status_code == 404
    other = client_as("jxs2").get(reverse("term_report") + "?format=xlsx", follow=True)
    sheet = load_workbook(io.BytesIO(other.content))["课程报名"]
    assert "书法入门" not in [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert client_as("13900000001").get(reverse("term_report")).status_code in (302, 403)


def test_course_bars_show_how_full_each_course_is():
    """5 of 20 and 5 of 25 are not equally full: the bar follows the share of seats taken,
    and both numbers are written beside it."""
    report = TermReport(
        term=None,
        by_course=[EnrollmentRow("书法入门", 5, 20), EnrollmentRow("国画花鸟", 5, 25)],
    )
    chart = next(c for c in charts_of(report) if c.title.startswith("各课程"))
    quarter, fifth = chart.bars
    assert quarter.width == pytest.approx(chart.bar_area / 4)
    assert fifth.width == pytest.approx(chart.bar_area / 5)
    assert quarter.text == "5/20 人，25%" and fifth.text == "5/25 人，20%"


def test_the_export_page_waits_until_the_worker_has_built_it(seeded, client_as):
    staff = person("jxs1")
    export = ReportExport.objects.create(requested_by=staff, term=current_term())
    page = client_as("jxs1").get(reverse("term_report_export", args=[export.pk]))
    assert page.status_code == 200 and "正在生成" in page.content.decode()
