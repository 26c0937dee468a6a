"""学期报表 on a seeded data set, against figures worked out by hand."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from courses.factories import CategoryFactory, CoursePageFactory
from courses.models import CourseEvaluation, CoursePage, Enrollment, Term
from live.models import LiveClass
from notices.factories import NoticePageFactory
from notices.models import NoticePage, NoticeReceipt
from rooms.models import Presence
from staff.models import ReportExport
from staff.report_selectors import EnrollmentRow, TermReport, current_term, term_report
from staff.reports import charts_of

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def person(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def seeded(cast):
    return seed_term(*cast)


def seed_term(places, people) -> NoticePage:
    """In 测试一所's subtree (what staff_first sees) this term:
    书法课 (书画, 黄文清): 01 02 04 enrolled; stars course 5, 4 / teacher 5, 3
    临帖课 (书画, 黄文清): nobody
    手机课 (智能手机与网络, 吴雅韵): 01 02 enrolled; stars course 3 / teacher 2
    太极课 (太极与运动, 吴雅韵, 测试一所服务站): 06 enrolled
    国画课 (书画, 黄文清, 测试二所): 03 enrolled, 1 star: not staff_first's.
    One 书法课 live class, 9:00–10:00 on 11月20日: 01 and 04 there the whole hour, 02 absent.
    冬季供暖 notice of 测试一所: read by 01 and 02."""
    term, _ = Term.objects.get_or_create(
        name="2026年秋季学期",
        defaults={"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 1, 20)},
    )
    huang, wu = people["teacher_huang"], people["teacher_wu"]
    for title, category, teacher, place in [
        ("书法课", "书画", huang, "first"),
        ("临帖课", "书画", huang, "first"),
        ("手机课", "智能手机与网络", wu, "first"),
        ("太极课", "太极与运动", wu, "station"),
        ("国画课", "书画", huang, "second"),
    ]:
        CoursePageFactory(
            title=title, category=CategoryFactory(name=category), term=term,
            instructors=[teacher], institution=places[place],
        )  # fmt: skip
    now = timezone.now()
    seed = {
        "书法课": ["13500000001", "13500000002", "13500000004"],
        "手机课": ["13500000001", "13500000002"],
        "太极课": ["13500000006"],
        "国画课": ["13500000003"],
    }
    for title, logins in seed.items():
        for login in logins:
            Enrollment.objects.create(
                course=CoursePage.objects.get(title=title), retiree=person(login),
                status="enrolled", queued_at=now,
            )  # fmt: skip
    for title, login, course_stars, teacher_stars in [
        ("书法课", "13500000001", 5, 5),
        ("书法课", "13500000002", 4, 3),
        ("手机课", "13500000001", 3, 2),
        ("国画课", "13500000003", 1, 1),
    ]:
        CourseEvaluation.objects.create(
            course=CoursePage.objects.get(title=title), retiree=person(login),
            course_stars=course_stars, instructor_stars=teacher_stars,
        )  # fmt: skip
    starts = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    live_class = LiveClass.objects.create(
        course=CoursePage.objects.get(title="书法课"), instructor=person("teacher_huang"),
        title="楷书的点", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        state="ended",
    )  # fmt: skip
    for login in ("13500000001", "13500000004"):
        Presence.objects.create(
            room=live_class.room, user=person(login), channel_name=login,
            joined_at=starts - datetime.timedelta(minutes=5),
            left_at=starts + datetime.timedelta(minutes=61),
        )  # fmt: skip
    notice = NoticePageFactory(institution=places["first"], title="冬季供暖通知")
    NoticeReceipt.objects.filter(notice=notice).delete()  # the announcement's, unread
    for login in ("13500000001", "13500000002"):
        NoticeReceipt.objects.create(notice=notice, retiree=person(login), read_at=now)
    return notice


def test_figures_match_the_hand_count(seeded):
    term = Term.objects.get(name="2026年秋季学期")
    report = term_report(
        person("staff_first"), term, now=datetime.datetime(2026, 11, 29, tzinfo=SHANGHAI)
    )

    enrolled = {row.label: row.enrolled for row in report.by_course}
    assert enrolled == {
        "书法课": 3,
        "临帖课": 0,
        "手机课": 2,
        "太极课": 1,
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
    assert course_stars["书法课"] == (4.5, 2)
    assert course_stars["手机课"] == (3.0, 1)
    assert course_stars["临帖课"] == (None, 0)
    assert "国画课" not in course_stars  # 测试二所's
    teachers = {row.label: (row.average, row.count) for row in report.satisfaction_by_instructor}
    assert teachers == {"黄文清": (4.0, 2), "吴雅韵": (2.0, 1)}
    places = {row.label: (row.average, row.count) for row in report.satisfaction_by_institution}
    assert places == {"测试一所": (4.0, 3), "测试一所服务站": (None, 0)}


def test_the_center_sees_both_institutions_and_the_other_institute_only_its_own(seeded):
    term = Term.objects.get(name="2026年秋季学期")
    center = {row.label for row in term_report(person("staff_center"), term).satisfaction_by_course}
    assert {"书法课", "国画课"} <= center
    second = term_report(person("staff_second"), term)
    assert "书法课" not in {row.label for row in second.by_course}
    assert {r.label: r.average for r in second.satisfaction_by_course}["国画课"] == 1.0


def test_page_charts_and_export(seeded, client_as):
    staff = client_as("staff_first")
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
    assert client_as("staff_second").get(export.redirect_chain[0][0]).status_code == 404
    other = client_as("staff_second").get(reverse("term_report") + "?format=xlsx", follow=True)
    sheet = load_workbook(io.BytesIO(other.content))["课程报名"]
    assert "书法课" not in [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert client_as("13500000001").get(reverse("term_report")).status_code in (302, 403)


def test_course_bars_show_how_full_each_course_is():
    """5 of 20 and 5 of 25 are not equally full: the bar follows the share of seats taken,
    and both numbers are written beside it."""
    report = TermReport(
        term=None,
        by_course=[EnrollmentRow("书法课", 5, 20), EnrollmentRow("国画课", 5, 25)],
    )
    chart = next(c for c in charts_of(report) if c.title.startswith("各课程"))
    quarter, fifth = chart.bars
    assert quarter.width == pytest.approx(chart.bar_area / 4)
    assert fifth.width == pytest.approx(chart.bar_area / 5)
    assert quarter.text == "5/20 人，25%" and fifth.text == "5/25 人，20%"


def test_the_export_page_waits_until_the_worker_has_built_it(seeded, client_as):
    staff = person("staff_first")
    export = ReportExport.objects.create(requested_by=staff, term=current_term())
    page = client_as("staff_first").get(reverse("term_report_export", args=[export.pk]))
    assert page.status_code == 200 and "正在生成" in page.content.decode()
