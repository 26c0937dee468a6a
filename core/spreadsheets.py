"""One way to hand staff a spreadsheet: a title line, a bold header row, the rows, column
widths that fit Chinese text."""

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    name: str
    title: str
    header: list[str]
    rows: Iterable[list]
    widths: list[int]


def export_stamp(exported_by) -> str:
    """Who exported a table of personal data, and when (Beijing time), written on it."""
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    name = exported_by.name or exported_by.username
    return f"{name} 于 {when} 导出。含个人信息，请妥善保管，不要外传。"


def workbook_bytes(sheets: list[Sheet], exported_by=None) -> bytes:
    """One workbook, a sheet per table: each a title line, a bold header row, the rows. With
    `exported_by`, every sheet says who exported it and when, beside its title and in the
    footer of every printed page."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = export_stamp(exported_by) if exported_by is not None else ""
    if stamp:
        workbook.properties.creator = exported_by.name or exported_by.username
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append([f"{sheet.title}　（{stamp}）" if stamp else sheet.title])
        if stamp:
            worksheet.oddFooter.left.text = stamp
        worksheet.append(sheet.header)
        for cell in worksheet[2]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append(row)
        for index, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(
    sheet: str,
    title: str,
    header: list[str],
    rows: Iterable[list],
    widths: list[int],
    exported_by=None,
) -> bytes:
    return workbook_bytes([Sheet(sheet, title, header, rows, widths)], exported_by)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
