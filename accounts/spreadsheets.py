"""One way to hand staff a spreadsheet: a title line, a bold header row, the rows, column
widths that fit Chinese text."""

from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    sheet: str, title: str, header: list[str], rows: Iterable[list], widths: list[int]
) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append([title])
    worksheet.append(header)
    for cell in worksheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(row)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
