"""The list of people a notice has not reached yet, as .xlsx for staff to work through."""

from core.humanize import human_datetime
from core.spreadsheets import xlsx_bytes

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


def not_reached_workbook(follow_up: FollowUp, exported_by=None) -> bytes:
    rows = (
        [
            person.name,
            person.phone,
            person.institution.name,
            "、".join(person.care_flags),
            f"{human_datetime(person.read_at)}已读，未确认" if person.read_at else "未读",
            person.emergency_contact,
            "",
        ]
        for person in follow_up.not_reached
    )
    return xlsx_bytes(
        "未送达名单",
        f"通知：{follow_up.notice.title}",
        NOT_REACHED_COLUMNS,
        rows,
        [10, 14, 22, 24, 26, 24, 20],
        exported_by,
    )
