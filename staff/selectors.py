"""关怀名单: who has gone quiet. A retiree with a care flag is on the list when, for the chosen
number of days, they have not logged in, been in a live class, opened a lesson or read a
notice, and nobody has called on them or visited."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from accounts.models import RetireeProfile, User
from accounts.selectors import retiree_profiles_visible_to
from courses.models import LessonProgress
from notices.models import NoticeReceipt
from rooms.models import Presence

from .models import CareContact

DEFAULT_QUIET_DAYS = 14
CARE_FLAG_FIELDS = [name for name, _ in RetireeProfile.CARE_FLAGS]


def latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def with_quiet_since(profiles: QuerySet[RetireeProfile]) -> QuerySet[RetireeProfile]:
    """quiet_since: the last sign of life (or of a contact); the account's creation if none."""
    person = OuterRef("user_id")
    contact_day = latest(CareContact.objects.filter(retiree=person), "contacted_on")
    signs = [
        F("user__last_login"),
        latest(Presence.objects.filter(user=person), "joined_at"),
        latest(LessonProgress.objects.filter(retiree=person), "updated_at"),
        latest(NoticeReceipt.objects.filter(retiree=person, read_at__isnull=False), "read_at"),
        Cast(contact_day, DateTimeField()),
    ]
    # Greatest is NULL on SQLite when any argument is: give each the creation time instead.
    joined = F("user__date_joined")
    return profiles.annotate(
        quiet_since=Greatest(*[Coalesce(sign, joined) for sign in signs]),
        last_contact_on=contact_day,
    )


@dataclass
class CareRow:
    profile: RetireeProfile
    quiet_days: int
    mine: bool
    last_contact: CareContact | None


def care_list(viewer: User, quiet_days: int = DEFAULT_QUIET_DAYS) -> list[CareRow]:
    """The viewer's subtree, people with a care flag only, quiet for quiet_days or more; the
    viewer's own households first, then the longest quiet first."""
    now = timezone.now()
    flagged = Q()
    for field in CARE_FLAG_FIELDS:
        flagged |= Q(**{field: True})
    profiles = (
        with_quiet_since(retiree_profiles_visible_to(viewer).filter(flagged))
        .filter(quiet_since__lte=now - datetime.timedelta(days=quiet_days), user__is_active=True)
        .select_related("assigned_staff")
        .annotate(
            not_mine=Case(
                When(assigned_staff=viewer.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("not_mine", "quiet_since", "user__name")
    )
    profiles = list(profiles)
    contacts = {}
    for contact in CareContact.objects.filter(
        retiree__in=[p.user_id for p in profiles]
    ).select_related("staff"):
        contacts.setdefault(contact.retiree_id, contact)  # newest first (Meta.ordering)
    return [
        CareRow(
            profile=profile,
            quiet_days=(now - profile.quiet_since).days,
            mine=profile.not_mine == 0,
            last_contact=contacts.get(profile.user_id),
        )
        for profile in profiles
    ]


def contacts_visible_to(viewer: User) -> QuerySet[CareContact]:
    visible = retiree_profiles_visible_to(viewer).values("user_id")
    return CareContact.objects.filter(retiree__in=visible).select_related("retiree", "staff")
