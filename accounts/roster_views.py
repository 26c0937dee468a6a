"""花名册导入 in the staff workspace: upload, preview with every error, confirm, download the
new accounts' initial passwords once."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.spreadsheets import xlsx_response

from .models import PersonalDataAccess, RosterUpload, User
from .permissions import require_retiree_manager
from .roster import (
    COLUMNS,
    RosterFileError,
    check_roster,
    phones_in_passwords_xlsx,
    template_xlsx,
)
from .services import (
    RosterInvalid,
    import_roster,
    record_personal_data_access,
    take_initial_passwords,
    upload_roster,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PREVIEW_ROWS = 50
HEADER = {"page_title": "导入花名册", "header_icon": "upload"}


def own_upload(request: HttpRequest, upload_id: int) -> RosterUpload:
    require_retiree_manager(request.user)
    return get_object_or_404(RosterUpload, pk=upload_id, uploaded_by=request.user)


def roster_upload(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("roster")
        if upload is None:
            error = "请先选一个文件。"
        elif upload.size > MAX_UPLOAD_BYTES:
            error = "文件太大了（最大 5MB）。一次最多导入一万人。"
        else:
            try:
                stored, _ = upload_roster(request.user, upload.name, upload.read())
            except RosterFileError as problem:
                error = str(problem)
            else:
                return redirect("roster_preview", stored.pk)
    return render(
        request,
        "accounts/admin/roster_upload.html",
        {"error": error, "columns": COLUMNS, **HEADER},
        status=400 if error else 200,
    )


def roster_template(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    return xlsx_response(template_xlsx(), "roster-template.xlsx")


def roster_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = own_upload(request, upload_id)
    if upload.imported_at:
        return redirect("roster_done", upload.pk)
    check = check_roster(upload.filename, bytes(upload.content), request.user)
    if request.method == "POST":
        try:
            import_roster(upload, request.user)
        except RosterInvalid as invalid:
            check = invalid.check  # changed since the preview (someone else registered a phone)
        else:
            return redirect("roster_done", upload.pk)
    phones = [row.phone for row in check.rows]
    known = User.objects.filter(username__in=phones).count() if check.valid else 0
    return render(
        request,
        "accounts/admin/roster_preview.html",
        {
            "upload": upload,
            "check": check,
            "errors": check.errors,
            "rows": check.rows[:PREVIEW_ROWS],
            "more": max(0, len(check.rows) - PREVIEW_ROWS),
            "new_count": len(check.rows) - known,
            "update_count": known,
            **HEADER,
        },
    )


def roster_done(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = own_upload(request, upload_id)
    if not upload.imported_at:
        return redirect("roster_preview", upload.pk)
    return render(request, "accounts/admin/roster_done.html", {"upload": upload, **HEADER})


@require_POST
def roster_passwords(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = own_upload(request, upload_id)
    content = take_initial_passwords(upload)
    if content is None:
        messages.error(
            request,
            "初始密码表已经下载过了，为了安全只能下载一次。忘了的请到“军休干部”里重设密码。",
        )
        return redirect("roster_done", upload.pk)
    phones = phones_in_passwords_xlsx(content)
    record_personal_data_access(
        request.user,
        f"初始密码表：{upload.filename}",
        User.objects.filter(username__in=phones),
        path=request.get_full_path(),
        action=PersonalDataAccess.Action.EXPORT,
    )
    return xlsx_response(content, f"initial-passwords-{upload.pk}.xlsx")
