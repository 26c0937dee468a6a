"""学习圈 pages: the list, one circle's chat, members and applications, works, and the HTTP
ends of the chat (history pages, file uploads, serving shared files to members)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.media import file_response
from core.refusals import Refused

from . import selectors, services
from .forms import CommentForm, WorkForm
from .media_checks import MAX_VOICE_SECONDS
from .models import Circle, CircleFile, CircleMember
from .permissions import may_apply, may_enter_circle, membership, moderates_circle


def circle_or_404(circle_id: int) -> Circle:
    return get_object_or_404(
        Circle.objects.select_related("room", "institution", "course"), pk=circle_id
    )


def entered_circle_or_404(request: HttpRequest, circle_id: int) -> Circle:
    """The circle, for its members and its staff; a 404 for anyone else (no guessing ids)."""
    circle = circle_or_404(circle_id)
    if not may_enter_circle(request.user, circle):
        raise Http404
    return circle


def circle_context(request: HttpRequest, circle: Circle, tab: str) -> dict:
    return {
        "circle": circle,
        "tab": tab,
        "member": membership(request.user, circle),
        "moderates": moderates_circle(request.user, circle),
    }


@login_required
def circle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "circles/list.html",
        {
            "mine": selectors.circles_of(request.user),
            "to_join": selectors.circles_to_join(request.user),
        },
    )


@login_required
def circle_chat(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circle_or_404(circle_id)
    if not may_enter_circle(request.user, circle):
        if not may_apply(request.user, circle):
            raise Http404
        application = CircleMember.objects.filter(circle=circle, user=request.user).first()
        return render(request, "circles/intro.html", {"circle": circle, "application": application})
    context = circle_context(request, circle, "chat")
    context["max_voice_seconds"] = MAX_VOICE_SECONDS
    return render(request, "circles/chat.html", context)


@require_POST
@login_required
def apply(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circle_or_404(circle_id)
    if not may_apply(request.user, circle):
        raise Http404
    services.apply_to_join(circle, request.user)
    messages.success(request, "申请已经送到圈主那里，圈主同意后您就能进圈聊天了。")
    return redirect("circles:chat", circle_id=circle.pk)


@require_POST
@login_required
def leave(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    try:
        services.leave_circle(circle, request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("circles:members", circle_id=circle.pk)
    messages.success(request, f"您已经退出了“{circle.name}”。")
    return redirect("circles:list")


@login_required
def members(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    context = circle_context(request, circle, "members")
    everyone = list(selectors.members_of(circle))
    member = context["member"]
    context.update(
        pending=[m for m in everyone if m.status == CircleMember.Status.PENDING],
        active=[m for m in everyone if m.status == CircleMember.Status.ACTIVE],
        may_leave=member is not None and services.may_leave(member),
    )
    return render(request, "circles/members.html", context)


@require_POST
@login_required
def decide(request: HttpRequest, circle_id: int, user_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_application(circle, request.user, user_id, approve)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, "已同意，他（她）现在是圈里的成员了。" if approve else "已婉拒这份申请。"
        )
    return redirect("circles:members", circle_id=circle.pk)


@login_required
def history(request: HttpRequest, circle_id: int) -> JsonResponse:
    """Older messages, a page at a time, as the reader scrolls up."""
    circle = entered_circle_or_404(request, circle_id)
    try:
        before = int(request.GET.get("before", "0"))
    except ValueError:
        before = 0
    return JsonResponse(selectors.messages_before(circle, before or None))


@require_POST
@login_required
def upload(request: HttpRequest, circle_id: int) -> JsonResponse:
    """A voice message, picture or short video for the chat."""
    circle = entered_circle_or_404(request, circle_id)
    shared = request.FILES.get("file")
    if shared is None:
        return JsonResponse({"error": "没有收到文件，请再试一次。"}, status=400)
    try:
        seconds = round(float(request.POST.get("seconds", "0")))
    except ValueError:
        seconds = 0
    kind = request.POST.get("kind", "")
    if kind not in ("voice", "image", "video"):
        return JsonResponse({"error": "只能分享语音、图片和短视频。"}, status=400)
    try:
        outcome = services.share_file(
            circle,
            request.user,
            shared,
            kind=kind,
            seconds=seconds,
            client_id=request.POST.get("id", "")[:64],
        )
    except Refused as refusal:
        return JsonResponse({"error": refusal.message, "code": refusal.code}, status=400)
    return JsonResponse({"seq": outcome.seq})


@login_required
def circle_file(request: HttpRequest, circle_id: int, file_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    shared = get_object_or_404(CircleFile, pk=file_id, circle=circle)
    # From the disk, through nginx, or a short-lived signed link to the bucket.
    return file_response(request, shared.file.name, content_type=shared.content_type)


@login_required
def works(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    form = WorkForm()
    if request.method == "POST":
        form = WorkForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                work = services.post_work(
                    circle,
                    request.user,
                    form.cleaned_data["title"],
                    form.cleaned_data["description"],
                    form.cleaned_data["files"],
                )
            except Refused as refusal:
                form.add_error("files", refusal.message)
            else:
                messages.success(request, f"作品《{work.title}》已经展示出来了。")
                return redirect("circles:work", circle_id=circle.pk, work_id=work.pk)
    context = circle_context(request, circle, "works")
    context.update(form=form, works=selectors.works_of(circle, request.user))
    return render(request, "circles/works.html", context, status=400 if form.errors else 200)


@login_required
def work_detail(request: HttpRequest, circle_id: int, work_id: int) -> HttpResponse:
    circle = entered_circle_or_404(request, circle_id)
    work = get_object_or_404(selectors.works_of(circle, request.user), pk=work_id)
    form = CommentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "like":
                services.toggle_like(work, request.user)
                return redirect("circles:work", circle_id=circle.pk, work_id=work.pk)
            if action in ("pin", "unpin"):
                services.set_pinned(work, request.user, action == "pin")
                messages.success(request, "已置顶。" if action == "pin" else "已取消置顶。")
                return redirect("circles:work", circle_id=circle.pk, work_id=work.pk)
            form = CommentForm(request.POST)
            if form.is_valid():
                services.comment_on_work(work, request.user, form.cleaned_data["text"])
                messages.success(request, "评论已发出。")
                return redirect("circles:work", circle_id=circle.pk, work_id=work.pk)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("circles:work", circle_id=circle.pk, work_id=work.pk)
    context = circle_context(request, circle, "works")
    context.update(
        work=work,
        form=form,
        comments=work.comments.select_related("author"),
    )
    return render(request, "circles/work.html", context, status=400 if form.errors else 200)
