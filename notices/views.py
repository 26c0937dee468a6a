from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .models import NoticeIndexPage, NoticePage
from .selectors import may_read, notices_for, receipts_of
from .services import NoticeRefused, acknowledge_notice, record_notice_read


def notice_list_context(request: HttpRequest, index: NoticeIndexPage) -> dict:
    """Everything addressed to the reader (pinned, then newest), each marked 未读 or not."""
    notices = list(notices_for(request.user).filter(path__startswith=index.path)[:100])
    receipts = receipts_of(request.user, notices)
    rows = []
    for notice in notices:
        receipt = receipts.get(notice.pk)
        rows.append(
            {
                "notice": notice,
                "unread": request.user.is_retiree and not (receipt and receipt.read_at),
                "needs_acknowledgement": request.user.is_retiree
                and notice.requires_acknowledgement
                and not (receipt and receipt.acknowledged_at),
            }
        )
    return {"rows": rows, "unread_count": sum(row["unread"] for row in rows)}


def notice_context(request: HttpRequest, notice: NoticePage) -> dict:
    """Opening a notice records the first read. Nobody outside its audience learns it exists."""
    if not may_read(request.user, notice):
        raise Http404
    receipt = record_notice_read(notice, request.user, audience_checked=True)
    return {
        "receipt": receipt,
        "attachments": [a.document for a in notice.attachments.select_related("document")],
    }


@require_POST
@login_required
def acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(NoticePage, pk=notice_id)
    if not may_read(request.user, notice):
        raise Http404
    try:
        acknowledge_notice(notice, request.user)
    except NoticeRefused as reason:
        messages.error(request, str(reason))
    else:
        messages.success(request, "已记下：您已阅读并知悉这条通知。")
    return redirect(notice.url)
