"""学期报表 page and its .xlsx export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.permissions import require_retiree_manager
from core.humanize import human_datetime
from core.spreadsheets import Sheet, workbook_bytes, xlsx_response
from courses.models import Term

from .charts import bar_chart
from .models import ReportExport
from .report_selectors import TermReport, current_term, term_report
from .services import finish_report_export, request_report_export


def figure(value, suffix: str = "") -> str:
    return "—" if value is None else f"{value}{suffix}"


def month_day(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日"


def chosen_term(request: HttpRequest) -> Term | None:
    term_id = request.GET.get("term", "")
    if term_id.isdigit():
        term = Term.objects.filter(pk=int(term_id)).first()
        if term is not None:
            return term
    return current_term()


def fill_rate(row) -> int:
    """Enrolled as a whole percentage of the seats (0 for a course without a limit)."""
    return round(100 * row.enrolled / row.capacity) if row.capacity else 0


def charts_of(report: TermReport) -> list:
    return [
        bar_chart(
            "各类别报名人数",
            [(row.label, row.enrolled, f"{row.enrolled} 人") for row in report.by_category],
        ),
        # How full each course is: 5 of 20 draws a quarter bar, 5 of 25 a fifth.
        bar_chart(
            "各课程报满程度（已报名/名额）",
            [
                (row.label, fill_rate(row), f"{row.enrolled}/{row.capacity} 人，{fill_rate(row)}%")
                for row in report.by_course
            ],
            scale=100,
        ),
        bar_chart(
            "直播课出勤率（按上课时间）",
            [
                (
                    f"{month_day(row.live_class.starts_at)} {row.live_class.title}",
                    row.rate or 0,
                    figure(row.rate, "%"),
                )
                for row in report.attendance
            ],
            scale=100,
        ),
        bar_chart(
            "通知阅读率",
            [
                (row.notice.title, row.read_rate or 0, figure(row.read_rate, "%"))
                for row in report.notices
            ],
            scale=100,
        ),
        bar_chart(
            "课程满意度（5 星满分）",
            [
                (row.label, row.average or 0, f"{figure(row.average, ' 星')}（{row.count} 人评）")
                for row in report.satisfaction_by_course
            ],
            scale=5,
        ),
    ]


def term_report_view(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    term = chosen_term(request)
    report = term_report(request.user, term) if term else None
    if report is not None and request.GET.get("format") == "xlsx":
        # A worker builds the workbook; the download page waits for it.
        export = request_report_export(staff=request.user, term=term)
        return redirect("term_report_export", export_id=export.pk)
    return render(
        request,
        "staff/admin/term_report.html",
        {
            "report": report,
            "terms": Term.objects.order_by("-starts_on"),
            "charts": charts_of(report) if report else [],
            "page_title": "学期报表",
            "header_icon": "table",
        },
    )


def satisfaction_sheet(name: str, label: str, rows) -> Sheet:
    return Sheet(
        name,
        f"{name}（5 星满分）",
        [label, "平均星数", "评价人数"],
        ([row.label, row.average, row.count] for row in rows),
        [24, 12, 12],
    )


def report_workbook(report: TermReport) -> bytes:
    term = report.term.name
    return workbook_bytes(
        [
            Sheet(
                "课程报名",
                f"{term} 各课程报名人数",
                ["课程", "报名人数", "名额"],
                ([r.label, r.enrolled, r.capacity] for r in report.by_course),
                [24, 12, 12],
            ),
            Sheet(
                "类别报名",
                f"{term} 各类别报名人数",
                ["类别", "报名人数", "名额"],
                ([r.label, r.enrolled, r.capacity] for r in report.by_category),
                [20, 12, 12],
            ),
            Sheet(
                "直播出勤",
                f"{term} 直播课出勤率",
                ["直播课", "课程", "上课时间", "应到", "实到", "出勤率（%）"],
                (
                    [
                        r.live_class.title,
                        r.live_class.course.title,
                        human_datetime(r.live_class.starts_at),
                        r.roster,
                        r.present,
                        r.rate,
                    ]
                    for r in report.attendance
                ),  # fmt: skip
                [24, 18, 22, 8, 8, 12],
            ),
            Sheet(
                "通知阅读",
                f"{term} 通知阅读和确认",
                ["通知", "发布机构", "应送达", "已读", "阅读率（%）", "已确认", "确认率（%）"],
                (
                    [
                        r.notice.title,
                        r.notice.institution.name,
                        r.audience,
                        r.read,
                        r.read_rate,
                        r.acknowledged,
                        r.acknowledged_rate,
                    ]
                    for r in report.notices
                ),  # fmt: skip
                [36, 20, 10, 8, 12, 8, 12],
            ),
            satisfaction_sheet("课程满意度", "课程", report.satisfaction_by_course),
            satisfaction_sheet("教师满意度", "教师", report.satisfaction_by_instructor),
            satisfaction_sheet("机构满意度", "机构", report.satisfaction_by_institution),
        ]
    )


def build_export(export: ReportExport) -> None:
    """The worker's part: the workbook of the requester's own subtree. Running it twice
    writes the same file again."""
    report = term_report(export.requested_by, export.term)
    finish_report_export(export=export, content=report_workbook(report))


def term_report_export_view(request: HttpRequest, export_id: int) -> HttpResponse:
    """The .xlsx once it is built; until then a page that looks again every few seconds."""
    require_retiree_manager(request.user)
    export = get_object_or_404(ReportExport, pk=export_id, requested_by=request.user)
    if export.finished_at is None:
        return render(
            request,
            "staff/admin/term_report_export.html",
            {"export": export, "page_title": "学期报表", "header_icon": "table"},
        )
    return xlsx_response(bytes(export.content), f"term-{export.term_id}-report.xlsx")
