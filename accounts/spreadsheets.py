"""One way to hand staff a spreadsheet: a title line, a bold header row, the rows, column
widths that fit Chinese text."""

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
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


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """One workbook, a sheet per table: each a title line, a bold header row, the rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append([sheet.title])
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
    sheet: str, title: str, header: list[str], rows: Iterable[list], widths: list[int]
) -> bytes:
    return workbook_bytes([Sheet(sheet, title, header, rows, widths)])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
