"""花名册导入 in the staff workspace: upload, preview with every error, confirm, download the
new accounts' initial passwords once. Checking and writing run in tasks; while they run, the
preview page shows their progress from the upload's row and looks again every few seconds."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.spreadsheets import xlsx_response

from .models import PersonalDataAccess, RosterUpload, User
from .permissions import require_retiree_manager
from .roster import (
    COLUMNS,
    MAX_ROWS,
    RosterFileError,
    phones_in_passwords_xlsx,
    template_xlsx,
)
from .selectors import roster_task_failed
from .services import (
    confirm_roster,
    record_personal_data_access,
    take_initial_passwords,
    upload_roster,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ERRORS_SHOWN = 500  # a file wrong in every row still gives a page staff can read
HEADER = {"page_title": "导入花名册", "header_icon": "upload"}


def own_upload(request: HttpRequest, upload_id: int) -> RosterUpload:
    require_retiree_manager(request.user)
    # The file and the passwords table stay in the database: the progress page is asked
    # for every few seconds and needs neither.
    uploads = RosterUpload.objects.defer("content", "passwords_xlsx")
    return get_object_or_404(uploads, pk=upload_id, uploaded_by=request.user)


def roster_upload(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("roster")
        if upload is None:
            error = "请先选一个文件。"
        elif upload.size > MAX_UPLOAD_BYTES:
            error = f"文件太大了（最大 5MB）。一次最多导入 {MAX_ROWS} 人。"
        else:
            try:
                stored = upload_roster(
                    staff=request.user, filename=upload.name, content=upload.read()
                )
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
    if request.method == "POST":
        confirm_roster(upload=upload)  # refused quietly unless the rows checked out
        return redirect("roster_preview", upload.pk)
    if upload.imported_at:
        return redirect("roster_done", upload.pk)
    State = RosterUpload.State
    if upload.state in (State.CHECKING, State.WRITING):
        return render(
            request,
            "accounts/admin/roster_progress.html",
            {
                "upload": upload,
                "writing": upload.state == State.WRITING,
                "failed": roster_task_failed(upload=upload),
                **HEADER,
            },
        )
    errors = upload.errors if upload.state == State.INVALID else []
    return render(
        request,
        "accounts/admin/roster_preview.html",
        {
            "upload": upload,
            "refused": upload.problem if upload.state == State.REFUSED else "",
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "rows": upload.preview,
            "more": max(0, upload.rows_total - len(upload.preview)),
            "update_count": upload.rows_total - upload.new_count,
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
