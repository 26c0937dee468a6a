import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from .models import (
    FailedLogin,
    HelperAction,
    HelperConsent,
    Institution,
    Notification,
    PersonalDataAccess,
    RetireeProfile,
    RosterUpload,
    User,
)
from .permissions import staff_scope


def institutions_managed_by(user: User) -> QuerySet[Institution]:
    if user.is_authenticated and user.is_platform_admin:
        return Institution.objects.all()
    scope = staff_scope(user)
    if scope is None:
        return Institution.objects.none()
    return scope.subtree()


def retiree_profiles_visible_to(user: User) -> QuerySet[RetireeProfile]:
    """Retiree profiles a staff member may list, view and edit: their own subtree only."""
    profiles = RetireeProfile.objects.select_related("user", "user__institution")
    if user.is_authenticated and user.is_platform_admin:
        return profiles
    scope = staff_scope(user)
    if scope is None:
        return profiles.none()
    return profiles.filter(user__institution__path__startswith=scope.path)


def unread_notifications(user: User, limit: int = 5) -> list[Notification]:
    if not user.is_authenticated:
        return []
    return list(user.notifications.filter(read_at__isnull=True)[:limit])


def staff_of(institutions: QuerySet[Institution]) -> QuerySet[User]:
    """Staff members working at any of these institutions (包户 candidates)."""
    return User.objects.filter(role=User.Role.STAFF, institution__in=institutions, is_active=True)


def retirees_helped_by(helper: User) -> QuerySet[User]:
    """The retirees who have consented, and not revoked it, to this person acting for them."""
    if not helper.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        helpers_allowed__helper=helper, helpers_allowed__revoked_at=None, is_active=True
    ).order_by("name")


def consents_visible_to(staff: User) -> QuerySet[HelperConsent]:
    visible = retiree_profiles_visible_to(staff).values("user_id")
    return HelperConsent.objects.filter(retiree__in=visible).select_related(
        "retiree", "helper", "recorded_by"
    )


def helper_actions_visible_to(staff: User) -> QuerySet[HelperAction]:
    visible = retiree_profiles_visible_to(staff).values("user_id")
    return HelperAction.objects.filter(retiree__in=visible).select_related("retiree")


def lock_window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


# The first wait of an (address, account name) pair with too many failures; doubled for each
# further failure.
FIRST_LOGIN_WAIT_SECONDS = 30


@dataclass(frozen=True)
class LoginRefusal:
    """Why a login is refused whatever the password: the account name is locked, or this
    address must wait `seconds` before trying this account name again."""

    locked: bool
    seconds: int = 0


def login_refusal(identifier: str, address: str | None) -> LoginRefusal | None:
    """LOGIN_FAILURE_LIMIT recent failures for an account name, from anywhere, lock it. From
    LOGIN_ADDRESS_FAILURE_LIMIT failures for it from one address, that address waits after
    each: other account names from the same address are not held up."""
    here = Q(address=address)
    counts = FailedLogin.objects.filter(
        identifier=FailedLogin.key(identifier), at__gte=lock_window_start()
    ).aggregate(total=Count("id"), here=Count("id", filter=here), last_here=Max("at", filter=here))
    if counts["total"] >= settings.LOGIN_FAILURE_LIMIT:
        return LoginRefusal(locked=True)
    beyond = counts["here"] - settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if address is None or beyond < 0:
        return None
    wait = min(FIRST_LOGIN_WAIT_SECONDS * 2**beyond, settings.LOGIN_LOCK_MINUTES * 60)
    left = counts["last_here"] + datetime.timedelta(seconds=wait) - timezone.now()
    if left.total_seconds() <= 0:
        return None
    return LoginRefusal(locked=False, seconds=math.ceil(left.total_seconds()))


def locked_accounts_visible_to(staff: User) -> list[tuple[User, int]]:
    """Accounts of the staff member's retirees locked now, with their failure counts."""
    counts = dict(
        FailedLogin.objects.filter(at__gte=lock_window_start())
        .values_list("identifier")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.LOGIN_FAILURE_LIMIT)
    )
    if not counts:
        return []
    visible = retiree_profiles_visible_to(staff).filter(
        Q(user__username__in=counts) | Q(user__phone__in=counts)
    )
    return [
        (p.user, counts.get(p.user.username, 0) or counts.get(p.user.phone or "", 0))
        for p in visible
    ]


def personal_data_accesses_visible_to(
    staff: User, person: str = ""
) -> QuerySet[PersonalDataAccess]:
    """Who looked at whose personal data: a platform administrator sees every record; staff
    see the records about people of their subtree and those made by staff of their subtree.
    `person` narrows to records about, or made by, someone of that name or phone number."""
    accesses = PersonalDataAccess.objects.all()
    if not staff.is_platform_admin:
        scope = staff_scope(staff)
        if scope is None:
            return accesses.none()
        accesses = accesses.filter(
            Q(subjects__institution__path__startswith=scope.path)
            | Q(viewer__institution__path__startswith=scope.path)
        )
    if person:
        accesses = accesses.filter(
            Q(subjects__name=person)
            | Q(subjects__phone=person)
            | Q(viewer_name=person)
            | Q(viewer__phone=person)
        )
    ids = accesses.values("pk")
    return PersonalDataAccess.objects.filter(pk__in=ids).order_by("-at", "-pk")


def roster_task_failed(*, upload: RosterUpload) -> bool:
    """Whether the roster's queued check or write has failed (the task backend keeps its
    result; the failure handler tries it again a few times, so it may still come good)."""
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not upload.task_id or not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(upload.task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status == TaskResultStatus.FAILED
