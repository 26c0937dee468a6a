"""The list of people a notice has not reached yet, as .xlsx for staff to work through."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.humanize import human_datetime

from .selectors import FollowUp

NOT_REACHED_COLUMNS = [
    "姓名",
    "手机号",
    "所属机构",
    "关怀标记",
    "阅读情况",
    "紧急联系人",
    "告知结果",
]


def not_reached_workbook(follow_up: FollowUp) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "未送达名单"
    sheet.append([f"通知：{follow_up.notice.title}"])
    sheet.append(NOT_REACHED_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for person in follow_up.not_reached:
        sheet.append(
            [
                person.name,
                person.phone,
                person.institution.name,
                "、".join(person.care_flags),
                f"{human_datetime(person.read_at)}已读，未确认" if person.read_at else "未读",
                person.emergency_contact,
                "",
            ]
        )
    for column, width in zip("ABCDEFG", [10, 14, 22, 24, 26, 24, 20], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
