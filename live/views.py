from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.refusals import Refused
from courses.selectors import has_rated_class
from courses.services import rate_class

from .forms import ClassRatingForm
from .janus import janus_configured, room_access
from .models import LiveClass
from .permissions import may_enter, teaches
from .recording import accept_recording, save_chunk
from .selectors import classes_today_for, doors_open, is_removed
from .slides import accept_slides


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """今日直播: today's classes, each with one big 进入课堂 button (active 15 minutes before)."""
    now = timezone.now()
    rows = [
        {
            "live_class": live_class,
            "open": doors_open(live_class, now),
            "ended": live_class.state == LiveClass.State.ENDED or live_class.ends_at <= now,
        }
        for live_class in classes_today_for(request.user, now)
    ]
    return render(request, "live/today.html", {"rows": rows})


@login_required
def room(request: HttpRequest, class_id: int) -> HttpResponse:
    live_class = get_object_or_404(
        LiveClass.objects.select_related("course", "course__institution", "instructor"),
        pk=class_id,
    )
    refusal = None
    if not may_enter(request.user, live_class):
        course = live_class.course.title
        refusal = f"这节直播课只对报名了《{course}》的学员开放。想上这门课，可以先到课程中心报名。"
    elif is_removed(live_class, request.user):
        refusal = "老师请您离开了这节课。有疑问请打电话给工作人员。"
    if refusal:
        return render(
            request,
            "live/closed.html",
            {"live_class": live_class, "refusal": refusal},
            status=403,
        )
    is_teacher = teaches(request.user, live_class)
    janus, video_unavailable = janus_access_for(request.user, live_class)
    return render(
        request,
        "live/room.html",
        {
            "live_class": live_class,
            "is_teacher": is_teacher,
            "ask_rating": not is_teacher
            and not has_rated_class(request.user, rating_session(live_class)),
            "rating_form": ClassRatingForm(),
            "ice_servers": settings.LIVE_ICE_SERVERS,
            "janus": janus,
            "video_unavailable": video_unavailable,
        },
    )


def janus_access_for(user, live_class: LiveClass) -> tuple[dict | None, bool]:
    """This person's access to the class's Janus room (asked only after the room's own
    permission check let them in), and whether the video panel must say video is unavailable:
    Janus configured but unreachable, or no Janus and the browser-to-browser fallback off."""
    if live_class.video != LiveClass.Video.WEBRTC:
        return None, False
    if janus_configured():
        access = room_access(class_id=live_class.pk, user_id=user.pk, description=live_class.title)
        return (access.as_json(), False) if access else (None, True)
    return None, not settings.LIVE_MESH_FALLBACK


def rating_session(live_class: LiveClass) -> str:
    return f"live-{live_class.pk}"


@require_POST
@login_required
def rate(request: HttpRequest, class_id: int) -> HttpResponse:
    """The 1–5 stars asked once at the end of the class; they feed the course's satisfaction."""
    live_class = get_object_or_404(LiveClass.objects.select_related("course"), pk=class_id)
    if not may_enter(request.user, live_class) or teaches(request.user, live_class):
        raise Http404
    form = ClassRatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选一个星级（1 到 5 星）再提交。")
        return redirect("live:room", class_id=live_class.pk)
    created = rate_class(
        retiree=request.user,
        course=live_class.course,
        session=rating_session(live_class),
        stars=form.cleaned_data["stars"],
    )
    messages.success(request, "谢谢您的评价！" if created else "这节课您已经评过了，谢谢！")
    return redirect("live:today")


@require_POST
@login_required
def upload_slides(request: HttpRequest, class_id: int) -> HttpResponse:
    live_class = taught_class_or_404(request, class_id)
    # The room page sends this with fetch, so that a broadcast in progress is not cut off by
    # a page load; without JavaScript it is a plain form and a redirect.
    wants_json = request.headers.get("Accept") == "application/json"
    try:
        accept_slides(live_class, request.user, request.FILES.getlist("slides"))
    except Refused as refusal:
        if wants_json:
            return JsonResponse({"error": refusal.message}, status=400)
        messages.error(request, refusal.message)
    else:
        # Rendering a long PDF takes a while: a worker does it, and the room shows page 1
        # to everyone when it is ready.
        done = "课件收到了，正在转换；转换好后大家会看到第 1 页。"
        if wants_json:
            return JsonResponse({"message": done})
        messages.success(request, done)
    return redirect("live:room", class_id=live_class.pk)


def taught_class_or_404(request: HttpRequest, class_id: int) -> LiveClass:
    live_class = get_object_or_404(LiveClass.objects.select_related("course"), pk=class_id)
    if not teaches(request.user, live_class):
        raise Http404
    return live_class


@require_POST
@login_required
def recording_chunk(request: HttpRequest, class_id: int, upload_id: str, index: int):
    live_class = taught_class_or_404(request, class_id)
    try:
        save_chunk(live_class, request.user, upload_id, index, request.body)
    except Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    return JsonResponse({"ok": True})


@require_POST
@login_required
def recording_finish(request: HttpRequest, class_id: int, upload_id: str):
    live_class = taught_class_or_404(request, class_id)
    try:
        chunks = int(request.POST.get("chunks", ""))
        accept_recording(live_class, request.user, upload_id, chunks)
    except ValueError:
        return JsonResponse({"error": "录像分段数不对。"}, status=400)
    except Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    return JsonResponse({"message": "录像传好了，正在整理成草稿课时，整理好后会提醒您。"})
