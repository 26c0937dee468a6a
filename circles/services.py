"""Writes of study circles: membership, chat, shared files, works, moderation. Chat goes
through the same room machinery as a live class (append_event, event frames, publish)."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.refusals import Refused
from courses.models import CoursePage, Enrollment
from rooms.fanout import publish_after_commit
from rooms.models import Room, RoomEvent, RoomMember
from rooms.services import Outcome, append_event, delete_message, stored

from .media_checks import checked_upload
from .models import (
    Circle,
    CircleFile,
    CircleMember,
    MessageReport,
    Work,
    WorkComment,
    WorkLike,
)
from .permissions import in_circle_scope, membership, moderates_circle

MAX_MUTE_MINUTES = 7 * 24 * 60
Role = CircleMember.Role
Status = CircleMember.Status


def require_moderator(user: User, circle: Circle) -> None:
    if not moderates_circle(user, circle):
        raise Refused("forbidden", "只有圈主、副圈主和老师可以这样做。")


def require_member(user: User, circle: Circle) -> CircleMember:
    member = membership(user, circle)
    if member is None:
        raise Refused("forbidden", "请先加入这个学习圈。")
    return member


# Membership


def set_membership(circle: Circle, user: User, *, role: str, status: str) -> CircleMember:
    """Someone who becomes an active member starts reading from now: messages from before
    they joined are history, not unread."""
    current = CircleMember.objects.filter(circle=circle, user=user).first()
    defaults = {"role": role, "status": status}
    if status == Status.ACTIVE and (current is None or current.status != Status.ACTIVE):
        defaults["last_read_seq"] = room_seq(circle)
    member, _ = CircleMember.objects.update_or_create(circle=circle, user=user, defaults=defaults)
    return member


def room_seq(circle: Circle) -> int:
    return Room.objects.values_list("last_seq", flat=True).get(pk=circle.room_id)


@transaction.atomic
def create_class_circle(course: CoursePage) -> Circle:
    """A course's 班级圈: its enrolled retirees and its instructors, kept in step with
    enrollment from then on."""
    circle, created = Circle.objects.get_or_create(
        course=course,
        kind=Circle.Kind.CLASS,
        defaults={
            "name": f"{course.title}班",
            "description": f"《{course.title}》的同学和老师在这里交流。",
            "institution": course.institution,
        },
    )
    if created:
        fill_class_circle(circle)
    return circle


def fill_class_circle(circle: Circle) -> None:
    """Everyone enrolled, and the course's instructors as 老师, are members."""
    if circle.kind != Circle.Kind.CLASS or circle.course_id is None:
        return
    course = circle.course
    for instructor in course.instructors.all():
        current = CircleMember.objects.filter(circle=circle, user=instructor).first()
        if current is None or current.status != Status.ACTIVE:
            set_membership(circle, instructor, role=Role.INSTRUCTOR, status=Status.ACTIVE)
    for enrollment in Enrollment.objects.filter(
        course=course, status=Enrollment.Status.ENROLLED
    ).select_related("retiree"):
        follow_enrollment(enrollment)


def follow_enrollment(enrollment: Enrollment) -> None:
    """Enrolled → in the course's class circle; withdrawn or waitlisted → out of it (their
    messages stay)."""
    for circle in Circle.objects.filter(course_id=enrollment.course_id, kind=Circle.Kind.CLASS):
        current = CircleMember.objects.filter(circle=circle, user_id=enrollment.retiree_id).first()
        if enrollment.status == Enrollment.Status.ENROLLED:
            if current is None or current.status != Status.ACTIVE:
                set_membership(
                    circle,
                    enrollment.retiree,
                    role=current.role if current else Role.MEMBER,
                    status=Status.ACTIVE,
                )
        elif current is not None and current.status == Status.ACTIVE:
            CircleMember.objects.filter(pk=current.pk).update(status=Status.LEFT)


@transaction.atomic
def apply_to_join(circle: Circle, user: User) -> CircleMember:
    if circle.kind != Circle.Kind.INTEREST:
        raise Refused("forbidden", "班级圈由报名课程的同学自动组成，不用申请。")
    if not (user.is_retiree and in_circle_scope(user, circle)):
        raise Refused("forbidden", "这个学习圈只对本机构的学员开放。")
    current = CircleMember.objects.filter(circle=circle, user=user).first()
    if current is not None and current.status in (Status.ACTIVE, Status.PENDING):
        return current
    return set_membership(circle, user, role=Role.MEMBER, status=Status.PENDING)


@transaction.atomic
def decide_application(circle: Circle, leader: User, applicant_id: int, approve: bool) -> None:
    require_moderator(leader, circle)
    application = CircleMember.objects.filter(
        circle=circle, user_id=applicant_id, status=Status.PENDING
    ).first()
    if application is None:
        raise Refused("not_found", "这份申请已经处理过了。")
    status = Status.ACTIVE if approve else Status.REJECTED
    set_membership(circle, application.user, role=application.role, status=status)


def may_leave(member: CircleMember) -> bool:
    """A 圈主 hands over first; a class circle's students leave it by leaving the course."""
    if member.role == Role.LEADER:
        return False
    return not (member.circle.kind == Circle.Kind.CLASS and member.role == Role.MEMBER)


@transaction.atomic
def leave_circle(circle: Circle, user: User) -> None:
    member = require_member(user, circle)
    if member.role == Role.LEADER:
        raise Refused("leader", "圈主要先请工作人员另选圈主，才能退出。")
    if not may_leave(member):
        raise Refused("class", "班级圈跟着课程走：退出这门课，就离开了班级圈。")
    CircleMember.objects.filter(pk=member.pk).update(status=Status.LEFT)


@transaction.atomic
def appoint(circle: Circle, user: User, role: str) -> CircleMember:
    """Staff (or the admin form) make someone 圈主 or 副圈主; a circle has one 圈主."""
    if role == Role.LEADER:
        CircleMember.objects.filter(circle=circle, role=Role.LEADER).exclude(user=user).update(
            role=Role.DEPUTY
        )
    return set_membership(circle, user, role=role, status=Status.ACTIVE)


# Chat


def author_data(circle: Circle, user: User) -> dict:
    member = membership(user, circle)
    return {
        "author_id": user.pk,
        "author": user.name or user.username,
        "role": member.get_role_display() if member and member.role != Role.MEMBER else "",
        "teacher": bool(member and member.moderates),
    }


def check_may_speak(circle: Circle, user: User) -> None:
    if moderates_circle(user, circle):
        return
    require_member(user, circle)
    until = (
        RoomMember.objects.filter(room_id=circle.room_id, user=user)
        .values_list("muted_until", flat=True)
        .first()
    )
    if until is not None and until > timezone.now():
        when = timezone.localtime(until)
        raise Refused("muted", f"圈主暂时关闭了您的发言，到 {when:%m月%d日 %H:%M} 恢复。")


@transaction.atomic
def send_circle_chat(circle: Circle, user: User, text: str, client_id: str) -> Outcome:
    check_may_speak(circle, user)
    data = {"kind": "text", "text": text, **author_data(circle, user)}
    event, created = append_event(
        circle.room, "chat.message", data, author=user, client_id=client_id
    )
    mark_read(circle, user, event.seq)
    return stored(event, created)


@transaction.atomic
def share_file(
    circle: Circle,
    user: User,
    upload: UploadedFile,
    *,
    kind: str,
    seconds: int = 0,
    client_id: str = "",
) -> Outcome:
    """A voice message, picture or short video: checked, saved through Django's storage (S3
    when configured), then posted in the chat like a text message."""
    check_may_speak(circle, user)
    if client_id:
        earlier = RoomEvent.objects.filter(room=circle.room, author=user, client_id=client_id)
        if earlier.exists():
            return stored(earlier.get(), False)
    checked = checked_upload(upload, kind, seconds)
    shared = CircleFile.objects.create(circle=circle, uploader=user, **checked)
    data = {
        "kind": shared.kind,
        "file_id": shared.pk,
        "url": file_url(shared),
        "seconds": shared.seconds,
        **author_data(circle, user),
    }
    event, created = append_event(
        circle.room, "chat.message", data, author=user, client_id=client_id
    )
    mark_read(circle, user, event.seq)
    outcome = stored(event, created)
    publish_after_commit(circle.room_id, outcome.broadcasts)
    return outcome


def file_url(shared: CircleFile) -> str:
    from django.urls import reverse

    return reverse("circles:file", args=[shared.circle_id, shared.pk])


@transaction.atomic
def delete_circle_message(circle: Circle, user: User, seq: int) -> Outcome:
    require_moderator(user, circle)
    return delete_message(circle.room, user, seq)


@transaction.atomic
def mute_for(circle: Circle, user: User, target_id: int, minutes: int) -> Outcome:
    """禁言 for a period (0 lifts it). Moderators cannot mute each other."""
    require_moderator(user, circle)
    target = User.objects.filter(pk=target_id).first()
    if target is None or moderates_circle(target, circle):
        raise Refused("not_found", "不能禁言这个人。")
    if minutes > MAX_MUTE_MINUTES:  # refused, not shortened: the moderator learns the limit
        raise Refused("too_long", "禁言最长 7 天。")
    until = timezone.now() + datetime.timedelta(minutes=minutes) if minutes else None
    RoomMember.objects.update_or_create(
        room=circle.room, user=target, defaults={"muted_until": until, "muted": bool(until)}
    )
    data = {
        "user_id": target.pk,
        "name": target.name,
        "muted": bool(until),
        "until": until.isoformat() if until else None,
    }
    return stored(*append_event(circle.room, "member.muted", data, author=user))


@transaction.atomic
def report_message(circle: Circle, user: User, seq: int, reason: str) -> Outcome:
    require_member(user, circle)
    event = RoomEvent.objects.filter(
        room=circle.room, seq=seq, type="chat.message", deleted=False
    ).first()
    if event is None:
        raise Refused("not_found", "这条消息已经没有了。")
    try:
        with transaction.atomic():
            MessageReport.objects.create(circle=circle, event=event, reporter=user, reason=reason)
    except IntegrityError:
        pass  # reported twice by the same person: once is enough
    return Outcome()


@transaction.atomic
def handle_report(report: MessageReport, staff: User, outcome: str) -> None:
    """Staff decide: delete the message, delete it and mute its author for a day, or leave it."""
    circle = report.circle
    require_moderator(staff, circle)
    done = Outcome()
    if outcome in (MessageReport.Outcome.DELETED, MessageReport.Outcome.MUTED):
        if not report.event.deleted:
            done.broadcasts += delete_message(circle.room, staff, report.event.seq).broadcasts
        author_id = report.event.author_id
        if outcome == MessageReport.Outcome.MUTED and author_id:
            try:
                done.broadcasts += mute_for(circle, staff, author_id, 24 * 60).broadcasts
            except Refused:  # a 圈主 or teacher is not muted: staff talk to them instead
                outcome = MessageReport.Outcome.DELETED
    MessageReport.objects.filter(event=report.event, outcome=MessageReport.Outcome.OPEN).update(
        outcome=outcome, handled_by=staff, handled_at=timezone.now()
    )
    publish_after_commit(circle.room_id, done.broadcasts)


def mark_read(circle: Circle, user: User, seq: int) -> Outcome:
    """Read up to seq (never backwards, never past the last message)."""
    seq = min(seq, room_seq(circle))
    CircleMember.objects.filter(circle=circle, user=user, last_read_seq__lt=seq).update(
        last_read_seq=seq
    )
    return Outcome()


# Works


@transaction.atomic
def post_work(
    circle: Circle, user: User, title: str, description: str, uploads: list[UploadedFile]
) -> Work:
    require_member(user, circle)
    if not uploads:
        raise Refused("invalid", "请至少选一张照片或一段录音、录像。")
    checked = [checked_upload(upload, None, 0) for upload in uploads]
    work = Work.objects.create(circle=circle, author=user, title=title, description=description)
    for item in checked:
        CircleFile.objects.create(circle=circle, uploader=user, work=work, **item)
    return work


def comment_on_work(work: Work, user: User, text: str) -> WorkComment:
    require_member(user, work.circle)
    return WorkComment.objects.create(work=work, author=user, text=text)


@transaction.atomic
def toggle_like(work: Work, user: User) -> bool:
    """Like, or take the like back. Returns whether it is liked now."""
    require_member(user, work.circle)
    deleted, _ = WorkLike.objects.filter(work=work, user=user).delete()
    if deleted:
        return False
    WorkLike.objects.create(work=work, user=user)
    return True


def set_pinned(work: Work, user: User, pinned: bool) -> None:
    require_moderator(user, work.circle)
    Work.objects.filter(pk=work.pk).update(pinned=pinned)
