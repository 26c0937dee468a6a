"""Reads of study circles: which circles a person sees, unread counts, history pages, the
snapshot a (re)joining chat client gets."""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import manages_institution
from notices.selectors import ancestor_paths
from rooms.models import RoomEvent, RoomMember
from rooms.selectors import REPLAY_LIMIT, presence_of
from rooms.services import event_frame

from .models import Circle, CircleMember, MessageReport, Work
from .permissions import membership

PAGE = 30


@dataclass
class CircleRow:
    circle: Circle
    member: CircleMember | None
    unread: int


def unread_counts(user: User) -> dict[int, int]:
    """circle id → chat messages by others after what the member last read, in one query."""
    rows = (
        CircleMember.objects.filter(user=user, status=CircleMember.Status.ACTIVE)
        .annotate(
            unread=Count(
                "circle__room__events",
                filter=Q(
                    circle__room__events__type="chat.message",
                    circle__room__events__deleted=False,
                    circle__room__events__seq__gt=F("last_read_seq"),
                )
                & ~Q(circle__room__events__author=user),
            )
        )
        .values_list("circle_id", "unread")
    )
    return dict(rows)


def circles_of(user: User) -> list[CircleRow]:
    """我的学习圈, with unread counts (as unread_counts counts them), in one query."""
    unread_events = (
        RoomEvent.objects.filter(
            room=OuterRef("circle__room"),
            type="chat.message",
            deleted=False,
            seq__gt=OuterRef("last_read_seq"),
        )
        .exclude(author=user)
        .order_by()
        .values("room")
        .annotate(count=Count("pk"))
        .values("count")
    )
    members = (
        CircleMember.objects.filter(user=user, status=CircleMember.Status.ACTIVE)
        .select_related("circle", "circle__course")
        .annotate(unread=Coalesce(Subquery(unread_events, output_field=IntegerField()), 0))
        .order_by("circle__name")
    )
    return [CircleRow(m.circle, m, m.unread) for m in members]


def circles_seen_by(user: User) -> QuerySet[Circle]:
    """The circles of circles_of and circles_to_join in one query (for the site's search):
    those the user is in, and the interest circles open to their institution."""
    if not user.is_authenticated:
        return Circle.objects.none()
    condition = Q(memberships__user=user, memberships__status=CircleMember.Status.ACTIVE)
    if user.is_retiree and user.institution_id:
        condition |= Q(
            kind=Circle.Kind.INTEREST, institution__path__in=ancestor_paths(user.institution)
        )
    return Circle.objects.filter(condition)


def circles_to_join(user: User) -> list[CircleRow]:
    """Interest circles open to the user's institution that they are not in (yet)."""
    if not (user.is_retiree and user.institution_id):
        return []
    path = user.institution.path
    mine = {
        m.circle_id: m
        for m in CircleMember.objects.filter(user=user).exclude(status=CircleMember.Status.ACTIVE)
    }
    active = CircleMember.objects.filter(user=user, status=CircleMember.Status.ACTIVE)
    candidates = (
        Circle.objects.filter(kind=Circle.Kind.INTEREST)
        .exclude(pk__in=active.values("circle_id"))
        .select_related("institution")
        .annotate(members=Count("memberships", filter=Q(memberships__status="active")))
    )
    return [
        CircleRow(circle, mine.get(circle.pk), 0)
        for circle in candidates
        if path.startswith(circle.institution.path)
    ]


def total_unread(user: User) -> int:
    return sum(unread_counts(user).values())


def messages_before(circle: Circle, before_seq: int | None, size: int = PAGE) -> dict:
    """A page of chat history, oldest first, ending just before before_seq (the newest page
    when None)."""
    events = RoomEvent.objects.filter(room_id=circle.room_id, type="chat.message")
    if before_seq:
        events = events.filter(seq__lt=before_seq)
    page = list(events.order_by("-seq")[: size + 1])
    more = len(page) > size
    return {"messages": [event_frame(e) for e in reversed(page[:size])], "more": more}


def events_after(circle: Circle, last_seq: int) -> list[dict] | None:
    missed = list(
        RoomEvent.objects.filter(room_id=circle.room_id, seq__gt=last_seq).order_by("seq")[
            : REPLAY_LIMIT + 1
        ]
    )
    if len(missed) > REPLAY_LIMIT:
        return None
    return [event_frame(event) for event in missed]


def circle_snapshot(circle: Circle, user: User, moderates: bool) -> dict:
    circle.room.refresh_from_db()
    member = membership(user, circle)
    muted_until = (
        RoomMember.objects.filter(room_id=circle.room_id, user=user)
        .values_list("muted_until", flat=True)
        .first()
    )
    history = messages_before(circle, None)
    presence = presence_of(circle.room_id)
    return {
        "circle": {"id": circle.pk, "name": circle.name},
        "me": {
            "user_id": user.pk,
            "name": user.name,
            "moderates": moderates,
            "role": member.role if member else "staff",
            "muted_until": muted_until.isoformat() if muted_until else None,
            "last_read_seq": member.last_read_seq if member else 0,
        },
        "last_seq": circle.room.last_seq,
        "recent_chat": history["messages"],
        "more": history["more"],
        "presence": presence if moderates else {"count": presence["count"]},
    }


def members_of(circle: Circle) -> QuerySet[CircleMember]:
    return (
        CircleMember.objects.filter(circle=circle)
        .exclude(status__in=[CircleMember.Status.LEFT, CircleMember.Status.REJECTED])
        .select_related("user", "user__institution")
        .order_by("status", "role", "user__name")
    )


def works_of(circle: Circle, user: User) -> QuerySet[Work]:
    return (
        Work.objects.filter(circle=circle)
        .select_related("author")
        .prefetch_related("files")
        .annotate(
            like_count=Count("likes", distinct=True),
            comment_count=Count("comments", distinct=True),
            liked=Count("likes", filter=Q(likes__user=user), distinct=True),
        )
    )


def reports_for(staff: User) -> QuerySet[MessageReport]:
    """Open reports in the staff member's institution subtree, oldest first."""
    reports = MessageReport.objects.filter(outcome=MessageReport.Outcome.OPEN).select_related(
        "circle", "circle__institution", "event", "event__author", "reporter"
    )
    if staff.is_platform_admin:
        return reports.order_by("created_at")
    if not staff.is_institution_staff or staff.institution_id is None:
        return reports.none()
    return reports.filter(circle__institution__path__startswith=staff.institution.path).order_by(
        "created_at"
    )


def may_handle(staff: User, report: MessageReport) -> bool:
    return manages_institution(staff, report.circle.institution)
