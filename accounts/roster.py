"""Roster files (花名册): the template staff download, reading an .xlsx or .csv they fill in,
and checking every row before anything is written. Writing is accounts.services.import_roster."""

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from core.refusals import Refused
from core.spreadsheets import xlsx_bytes

from .models import (
    Institution,
    RetireeProfile,
    User,
    landline_or_mobile_validator,
    mobile_validator,
)

COLUMNS = [
    "姓名",
    "手机号",
    "离休/退休",
    "军官/士官",
    "所属军休所",
    "紧急联系人",
    "紧急联系电话",
    "关怀标记",
]
REQUIRED_COLUMNS = ["姓名", "手机号", "所属军休所"]
MAX_ROWS = 20_000  # a 中心's whole roster in one file
MAX_LINE_CHARS = 2_000  # a CSV line; a full roster row is well under 200
RETIREMENT = {label: value for value, label in RetireeProfile.Retirement.choices}
RANK = {label: value for value, label in RetireeProfile.Rank.choices}
CARE_FLAGS = {label: name for name, label in RetireeProfile.CARE_FLAGS}
FLAG_SEPARATORS = "、，,;； "


class RosterFileError(Refused):
    """The file as a whole cannot be read: wrong kind, no header, too many rows."""


@dataclass
class RosterRow:
    line: int  # the row number staff see in their spreadsheet
    name: str
    phone: str
    institution: Institution | None
    retirement: str
    rank: str
    emergency_contact_name: str
    emergency_contact_phone: str
    care_flags: set[str]
    errors: list[str] = field(default_factory=list)

    def profile_fields(self) -> dict:
        fields = {
            "retirement": self.retirement,
            "rank": self.rank,
            "emergency_contact_name": self.emergency_contact_name,
            "emergency_contact_phone": self.emergency_contact_phone,
        }
        fields.update({name: name in self.care_flags for name, _ in RetireeProfile.CARE_FLAGS})
        return fields


@dataclass
class RosterCheck:
    rows: list[RosterRow]

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(row.line, error) for row in self.rows for error in row.errors]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors


def template_xlsx() -> bytes:
    """The file staff fill in: the header row first, one example row, nothing else."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "王德胜",
            "13800001111",
            "退休",
            "军官",
            "第一军休所",
            "王小红",
            "13800002222",
            "高龄、独居",
        ]
    )
    for letter, width in zip("ABCDEFGH", [10, 14, 10, 10, 16, 12, 16, 20], strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("填写说明")
    for line in [
        ["第一行是表头，不要改；从第二行起一行一位军休干部，示例行可以删掉或改成真人。"],
        ["必填：姓名、手机号（11位，是登录账号）、所属军休所（写机构全称）。"],
        ["离休/退休 填“离休”或“退休”，不填按退休；军官/士官 填“军官”或“士官”，不填按军官。"],
        ["关怀标记 可填：失能、失智、重病、高龄、独居、空巢，几个之间用顿号隔开。"],
        ["同一个手机号再导入一次，会更新这个人的信息，不会多出一个账号。"],
    ]:
        notes.append(line)
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The cells of the first sheet (or the CSV), as text, header row first. Reading stops one
    row past MAX_ROWS and keeps only the columns up to the header's last roster column: a
    few KB of .xlsx may declare a million rows of 16,384 cells, which a reader pads out."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(content)
    if lower.endswith(".csv"):
        return read_csv(content)
    raise RosterFileError("invalid", "只能导入 .xlsx 或 .csv 文件，请用下载的模板填写。")


def table_width(header: list[str]) -> int:
    """How many columns to read: up to the last one the roster uses, nothing to the right."""
    return max((index + 1 for index, cell in enumerate(header) if cell in COLUMNS), default=0)


def open_xlsx(content: bytes):
    """The workbook, read-only (close it after use); a file openpyxl cannot open is refused."""
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as problem:  # openpyxl raises many kinds for a broken file
        raise RosterFileError(
            "invalid", "这个 Excel 文件打不开，请用下载的模板重新填写后保存为 .xlsx。"
        ) from problem


def read_xlsx(content: bytes) -> list[list[str]]:
    workbook = open_xlsx(content)
    try:
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        header = [cell_text(value) for value in first]
        width = table_width(header)
        if not width:  # openpyxl reads max_col=0 as "every column"
            return [header]
        rows = sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 2, max_col=width, values_only=True)
        return [header, *([cell_text(value) for value in row] for row in rows)]
    finally:
        workbook.close()


def decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError("invalid", "这个 CSV 文件的文字编码认不出来，请另存为“CSV UTF-8”。")


def read_csv(content: bytes) -> list[list[str]]:
    text = decode_csv(content)
    reader = csv.reader(short_lines(io.StringIO(text)))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        width = table_width(header)
        rows = itertools.islice(reader, MAX_ROWS + 1)
        return [header, *([cell.strip() for cell in row[:width]] for row in rows)]
    except csv.Error as problem:  # e.g. a quoted cell that never ends
        raise RosterFileError(
            "invalid", "这个 CSV 文件的格式不对，请用下载的模板填写。"
        ) from problem


def short_lines(lines: Iterable[str]) -> Iterator[str]:
    """The CSV's lines, refused as soon as one is longer than any roster row can be."""
    for line in lines:
        if len(line) > MAX_LINE_CHARS:
            raise RosterFileError(
                "invalid", f"文件里有一行太长了（超过 {MAX_LINE_CHARS} 个字），请用下载的模板填写。"
            )
        yield line


def open_roster(filename: str, content: bytes) -> None:
    """What can be said about the file at once, while staff wait for the upload: its kind,
    its encoding, its header row and (CSV) its line lengths. Checking every row is left to
    the task (accounts.tasks.check_roster_upload). Raises RosterFileError."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        header = read_xlsx_header(content)
    elif lower.endswith(".csv"):
        header = read_csv_header(content)
    else:
        raise RosterFileError("invalid", "只能导入 .xlsx 或 .csv 文件，请用下载的模板填写。")
    check_header(header)


def read_xlsx_header(content: bytes) -> list[str]:
    workbook = open_xlsx(content)
    try:
        first = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        return [cell_text(value) for value in first]
    finally:
        workbook.close()


def read_csv_header(content: bytes) -> list[str]:
    """The header row; every line is read once (and none kept) so that an endless line or a
    quote that never closes is refused now rather than in the task."""
    text = decode_csv(content)
    reader = csv.reader(short_lines(io.StringIO(text)))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        for _ in itertools.islice(reader, MAX_ROWS + 1):
            pass
    except csv.Error as problem:
        raise RosterFileError(
            "invalid", "这个 CSV 文件的格式不对，请用下载的模板填写。"
        ) from problem
    return header


def check_header(header: list[str]) -> None:
    if not any(header):
        raise RosterFileError("invalid", "文件是空的，或者第1行没有表头。")
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RosterFileError(
            "invalid", f"第1行表头缺少“{'”“'.join(missing)}”。请用下载的模板，表头不要改。"
        )


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel stored as a number
    return str(value).strip()


PROGRESS_EVERY = 500  # rows between two progress reports


def check_roster(
    filename: str,
    content: bytes,
    staff: User,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> RosterCheck:
    """Every row checked, every problem described in Chinese with its row number. progress,
    if given, hears (rows checked, rows in all) every PROGRESS_EVERY rows and at the end."""
    from .selectors import institutions_managed_by

    table = [row for row in read_table(filename, content)]
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise RosterFileError("invalid", "文件是空的。")
    header = [cell.strip() for cell in table[0]]
    check_header(header)
    if len(table) - 1 > MAX_ROWS:
        raise RosterFileError("invalid", f"一次最多导入 {MAX_ROWS} 行，请分成几个文件。")
    position = {column: header.index(column) for column in COLUMNS if column in header}

    places = {}
    for institution in institutions_managed_by(staff):
        places.setdefault(institution.name, institution)
    rows = []
    total = len(table) - 1
    for line, cells in enumerate(table[1:], start=2):
        if any(cells):
            rows.append(check_row(line, row_values(cells, position), places))
        if progress and (line - 1) % PROGRESS_EVERY == 0:
            progress(line - 1, total)
    check_phones(rows, staff)
    if progress:
        progress(total, total)
    if not rows:
        raise RosterFileError("invalid", "文件里只有表头，没有军休干部。")
    return RosterCheck(rows)


def row_values(cells: list[str], position: dict[str, int]):
    """column name → that cell's text ("" where the column or the cell is missing)."""

    def value(column: str) -> str:
        index = position.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return value


def check_row(line: int, value, places: dict[str, Institution]) -> RosterRow:
    errors = []
    name = value("姓名")
    if not name:
        errors.append("没有填姓名。")
    elif len(name) > 50:
        errors.append("姓名太长（最多50个字）。")
    phone = value("手机号").replace(" ", "").replace("-", "")
    if not phone:
        errors.append("没有填手机号。")
    elif not valid(mobile_validator, phone):
        errors.append(f"手机号“{phone}”不对，应是11位手机号码，例如 13812345678。")
    place_name = value("所属军休所")
    institution = places.get(place_name)
    if not place_name:
        errors.append("没有填所属军休所。")
    elif institution is None:
        errors.append(f"所属军休所“{place_name}”找不到，或不归您管理。请写机构全称。")
    retirement_label = value("离休/退休") or "退休"
    if retirement_label not in RETIREMENT:
        errors.append(f"离休/退休 只能填“离休”或“退休”，这里是“{retirement_label}”。")
    rank_label = value("军官/士官") or "军官"
    if rank_label not in RANK:
        errors.append(f"军官/士官 只能填“军官”或“士官”，这里是“{rank_label}”。")
    contact_phone = value("紧急联系电话").replace(" ", "")
    if contact_phone and not valid(landline_or_mobile_validator, contact_phone):
        errors.append(f"紧急联系电话“{contact_phone}”不对。")
    flags = set()
    for label in split_flags(value("关怀标记")):
        if label in CARE_FLAGS:
            flags.add(CARE_FLAGS[label])
        else:
            errors.append(f"关怀标记“{label}”不认识，可填：{'、'.join(CARE_FLAGS)}。")
    return RosterRow(
        line=line,
        name=name,
        phone=phone,
        institution=institution,
        retirement=RETIREMENT.get(retirement_label, ""),
        rank=RANK.get(rank_label, ""),
        emergency_contact_name=value("紧急联系人")[:50],
        emergency_contact_phone=contact_phone,
        care_flags=flags,
        errors=errors,
    )


def split_flags(text: str) -> list[str]:
    for separator in FLAG_SEPARATORS:
        text = text.replace(separator, " ")
    return text.split()


def valid(validator, text: str) -> bool:
    try:
        validator(text)
    except ValidationError:
        return False
    return True


def check_phones(rows: list[RosterRow], staff: User) -> None:
    """The same phone twice in the file; a phone that already belongs to someone this staff
    member does not manage (another institution's retiree, an instructor, staff)."""
    from .selectors import retiree_profiles_visible_to

    first_line: dict[str, int] = {}
    for row in rows:
        if not row.phone:
            continue
        if row.phone in first_line:
            row.errors.append(f"手机号 {row.phone} 和第{first_line[row.phone]}行重复。")
        else:
            first_line[row.phone] = row.line
    phones = list(first_line)
    taken = set(User.objects.filter(username__in=phones).values_list("username", flat=True)) | set(
        User.objects.filter(phone__in=phones).values_list("phone", flat=True)
    )
    if not taken:
        return
    mine = set(
        retiree_profiles_visible_to(staff)
        .filter(user__username__in=taken)
        .values_list("user__username", flat=True)
    )
    for row in rows:
        if row.phone in taken and row.phone not in mine:
            row.errors.append(
                f"手机号 {row.phone} 已经是别的机构或别的身份的账号，不能在这里导入。"
            )


def passwords_xlsx(people: list[tuple[str, str, str, str]], exported_by) -> bytes:
    """(name, phone, institution, password) for staff to print and hand out."""
    return xlsx_bytes(
        "初始密码",
        "新账号的初始密码（只能下载一次，请妥善保管；本人第一次登录时要换成自己的密码）",
        ["姓名", "登录账号（手机号）", "所属军休所", "初始密码"],
        [list(person) for person in people],
        [10, 20, 16, 12],
        exported_by,
    )


def phones_in_passwords_xlsx(content: bytes) -> list[str]:
    """The login phone numbers listed in a passwords spreadsheet made by passwords_xlsx."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [str(row[1]) for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
