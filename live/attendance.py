"""出勤情况: a class's attendance against its roster, for staff and the instructor, in the
Wagtail admin, with an .xlsx export."""

from django.shortcuts import get_object_or_404, render

from accounts.models import PersonalDataAccess
from accounts.permissions import can_see_personal_data
from accounts.services import record_personal_data_access
from core.humanize import human_datetime, human_time
from core.spreadsheets import xlsx_bytes, xlsx_response

from .selectors import attendance_of, classes_run_by

COLUMNS = ["姓名", "手机号", "出勤情况", "在课堂分钟数", "进入时间", "离开时间"]


def attendance_report(request, class_id: int):
    live_class = get_object_or_404(classes_run_by(request.user), pk=class_id)
    rows = attendance_of(live_class)
    export = request.GET.get("format") == "xlsx"
    # An instructor sees who came; phone numbers are for the people's own institution's staff.
    phones_shown = {
        row.retiree.pk for row in rows if can_see_personal_data(request.user, row.retiree)
    }
    record_personal_data_access(
        request.user,
        f"出勤情况：{live_class}",
        phones_shown,
        path=request.get_full_path(),
        action=PersonalDataAccess.Action.EXPORT if export else PersonalDataAccess.Action.VIEW,
    )
    if export:
        content = xlsx_bytes(
            "出勤",
            f"{live_class}（{human_datetime(live_class.starts_at)}）",
            COLUMNS,
            (
                [
                    row.retiree.name,
                    row.retiree.phone if row.retiree.pk in phones_shown else "",
                    row.status,
                    row.minutes,
                    human_time(row.first_joined) if row.first_joined else "",
                    human_time(row.last_left) if row.last_left else "",
                ]
                for row in rows
            ),
            [10, 14, 10, 14, 12, 12],
            exported_by=request.user,
        )
        return xlsx_response(content, f"live-class-{live_class.pk}-attendance.xlsx")
    return render(
        request,
        "live/admin/attendance.html",
        {
            "live_class": live_class,
            "rows": rows,
            "phones_shown": phones_shown,
            "page_title": "出勤情况",
            "page_subtitle": str(live_class),
            "header_icon": "user",
        },
    )
