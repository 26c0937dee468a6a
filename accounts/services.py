import datetime
import json
import logging
import os
import secrets
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.refusals import Refused

from . import tasks
from .models import (
    FailedLogin,
    HelperAction,
    HelperConsent,
    Institution,
    Notification,
    PersonalDataAccess,
    PushSubscription,
    RetireeProfile,
    RosterUpload,
    User,
)
from .roster import (
    PROGRESS_EVERY,
    RosterCheck,
    RosterFileError,
    check_roster,
    open_roster,
    passwords_xlsx,
)

PREVIEW_ROWS = 50  # rows shown on the page before 确认导入

logger = logging.getLogger(__name__)

ROLE_GROUPS: dict[str, tuple[str, list[str]]] = {
    # role: (group name, "app_label.codename" permissions)
    User.Role.RETIREE: ("军休干部", []),
    User.Role.INSTRUCTOR: (
        "授课教师",
        ["wagtailadmin.access_admin", *[f"live.{a}_liveclass" for a in ("add", "change", "view")]],
    ),
    User.Role.STAFF: (
        "机构工作人员",
        [
            "wagtailadmin.access_admin",
            "accounts.view_retireeprofile",
            "accounts.add_retireeprofile",
            "accounts.change_retireeprofile",
            *[
                f"{app}.{action}_{model}"
                for action in ("add", "change", "view", "delete")
                for app, model in (("live", "liveclass"), ("circles", "circle"))
            ],
        ],
    ),
    User.Role.ADMIN: ("平台管理员", ["wagtailadmin.access_admin"]),
    User.Role.FAMILY: ("家属", []),
}


def ensure_role_groups() -> dict[str, Group]:
    """Create (or bring up to date) one group per role with its permissions."""
    groups = {}
    for role, (group_name, permission_names) in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for dotted in permission_names:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
        groups[role] = group
    return groups


def notification_group(user_id: int) -> str:
    return f"notify.user.{user_id}"


def generate_initial_password() -> str:
    """Eight digits: easy to read out on the phone and to type on a phone keypad."""
    return f"{secrets.randbelow(10**8):08d}"


@transaction.atomic
def save_user_with_role(
    *,
    role: str,
    name: str,
    username: str,
    password: str | None,
    phone: str | None = None,
    institution: Institution | None = None,
    keep_password: bool = False,
) -> User:
    """Create or update a user by account name and put them in their role's group.
    password None makes the password unusable, unless keep_password leaves it as it is."""
    user, _ = User.objects.get_or_create(username=username, defaults={"name": name})
    user.name = name
    user.phone = phone or None
    user.role = role
    user.institution = institution
    user.is_superuser = role == User.Role.ADMIN
    user.is_staff = role == User.Role.ADMIN
    if password is not None:
        user.set_password(password)
    elif not keep_password:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    role_groups = ensure_role_groups()
    # Only the role groups change here: other apps add per-course or per-institution groups.
    user.groups.remove(*[group for other, group in role_groups.items() if other != role])
    user.groups.add(role_groups[role])
    return user


@transaction.atomic
def save_retiree(
    *,
    name: str,
    phone: str,
    institution: Institution,
    password: str | None,
    keep_password: bool = False,
    **profile_fields,
) -> RetireeProfile:
    """Create or update a retiree (keyed by mobile number, which is also their account name)."""
    user = save_user_with_role(
        role=User.Role.RETIREE,
        name=name,
        username=phone,
        phone=phone,
        institution=institution,
        password=password,
        keep_password=keep_password,
    )
    profile, _ = RetireeProfile.objects.update_or_create(user=user, defaults=profile_fields)
    return profile


def set_elder_mode(user: User, enabled: bool) -> None:
    if user.elder_mode != enabled:
        user.elder_mode = enabled
        user.save(update_fields=["elder_mode"])


def notify_user(
    user: User, kind: str, text: str, url: str = "", *, about: str = ""
) -> Notification | None:
    """Store a notification and, once the transaction commits, push it to the user's open
    pages over /ws/notify/. Users who are offline see it on their next page. With `about`,
    nothing is stored or pushed if the user already has this kind about this thing (None)."""
    created = notify_users([user.pk], kind, text, url, about=about)
    return created[0] if created else None


def notify_users(
    user_ids: Iterable[int], kind: str, text: str, url: str = "", *, about: str = ""
) -> list[Notification]:
    """notify_user for many people at once: one insert, and one trip into the event loop for
    all the pushes. With `about` (the idempotency key with user and kind), people who already
    have this notification are left out: a task run again tells nobody twice. Returns the
    notifications stored by this call."""
    user_ids = list(user_ids)
    if about:
        told = set(
            Notification.objects.filter(kind=kind, about=about, user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
        user_ids = [pk for pk in user_ids if pk not in told]
        # A second worker racing on the same people loses on the unique constraint, so each
        # person has one stored notification (read back for its id: ignore_conflicts
        # returns none); in such a rare race both may push it.
        Notification.objects.bulk_create(
            [
                Notification(user_id=pk, kind=kind, text=text, url=url, about=about)
                for pk in user_ids
            ],
            ignore_conflicts=True,
        )
        notifications = list(
            Notification.objects.filter(kind=kind, about=about, user_id__in=user_ids)
        )
    else:
        notifications = Notification.objects.bulk_create(
            [Notification(user_id=pk, kind=kind, text=text, url=url) for pk in user_ids]
        )
    messages = [
        (
            notification_group(notification.user_id),
            {
                "type": "notify.message",
                "id": notification.pk,
                "kind": kind,
                "text": text,
                "url": url,
            },
        )
        for notification in notifications
    ]

    async def push_all() -> None:
        layer = get_channel_layer()
        try:
            for group, message in messages:
                await layer.group_send(group, message)
        except Exception:  # Redis away: they are stored, and shown on the next page
            logger.warning("notifications not pushed: channel layer unreachable", exc_info=True)

    transaction.on_commit(async_to_sync(push_all))
    pk_list = [notification.pk for notification in notifications]
    if pk_list and PushSubscription.objects.filter(user_id__in=user_ids).exists():
        # 手机提醒 through the push services is slow network work: a task's.
        transaction.on_commit(lambda: tasks.push_notifications.enqueue(pk_list))
    return notifications


def mark_notification_read(user: User, notification_id: int) -> bool:
    updated = Notification.objects.filter(
        pk=notification_id, user=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated)


def mark_reminders_seen(*, user: User, notifications: list[Notification]) -> None:
    """我的提醒 has shown these: they leave the reminder line. A notice's reminder stays until
    the notice itself is opened, so that "read" means the same on 我的 and on 通知."""
    shown = [n.pk for n in notifications if n.kind != "notice" and n.read_at is None]
    if shown:
        Notification.objects.filter(pk__in=shown, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


class RosterInvalid(Refused):
    """The roster no longer checks out (someone registered a phone since the preview)."""

    def __init__(self, check: RosterCheck):
        super().__init__("invalid", "花名册里有要改正的地方，请看每一行的说明。")
        self.check = check


def hash_initial_passwords(passwords: list[str]) -> list[str]:
    """Hashed on every core: PBKDF2 in hashlib releases the GIL."""
    hasher = "accounts.hashers.InitialPasswordHasher"
    name = "pbkdf2_sha256_initial" if hasher in settings.PASSWORD_HASHERS else "default"
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda password: make_password(password, hasher=name), passwords))


def upload_roster(*, staff: User, filename: str, content: bytes) -> RosterUpload:
    """Keep the file and queue its checking (accounts.tasks.check_roster_upload); nothing
    about any retiree is written yet. Raises roster.RosterFileError at once when the file
    cannot be a roster at all (its kind, encoding, header)."""
    open_roster(filename, content)
    upload = RosterUpload.objects.create(
        uploaded_by=staff, filename=filename[:200], content=content
    )
    upload.task_id = tasks.check_roster_upload.enqueue(upload.pk).id
    RosterUpload.objects.filter(pk=upload.pk).update(task_id=upload.task_id)
    return upload


def record_roster_progress(*, upload_id: int, **counts: int) -> None:
    """rows_total / rows_checked / rows_written as the task gets on, each in its own small
    write, so that the page (another process) sees them at once."""
    RosterUpload.objects.filter(pk=upload_id).update(**counts)


def check_roster_upload(*, upload_id: int) -> RosterUpload | None:
    """Check every row of an uploaded roster and keep the outcome for the page: each error
    with its row number, or the first rows and how many accounts are new. Safe to run twice."""
    upload = RosterUpload.objects.filter(pk=upload_id, imported_at__isnull=True).first()
    if upload is None or upload.state not in (RosterUpload.State.CHECKING,):
        return upload

    def progress(checked: int, total: int) -> None:
        record_roster_progress(upload_id=upload_id, rows_checked=checked, rows_total=total)

    try:
        check = check_roster(
            upload.filename, bytes(upload.content), upload.uploaded_by, progress=progress
        )
    except RosterFileError as problem:
        RosterUpload.objects.filter(pk=upload_id).update(
            state=RosterUpload.State.REFUSED, problem=str(problem)
        )
        return None
    keep_roster_check(upload_id=upload_id, check=check)
    return RosterUpload.objects.get(pk=upload_id)


def keep_roster_check(*, upload_id: int, check: RosterCheck) -> None:
    phones = [row.phone for row in check.rows]
    known = User.objects.filter(username__in=phones).count() if check.valid else 0
    RosterUpload.objects.filter(pk=upload_id).update(
        state=RosterUpload.State.CHECKED if check.valid else RosterUpload.State.INVALID,
        rows_total=len(check.rows),
        rows_checked=len(check.rows),
        errors=[list(error) for error in check.errors],
        preview=[
            [
                row.line,
                row.name,
                row.phone,
                row.institution.name if row.institution else "",
                len(row.care_flags),
            ]
            for row in check.rows[:PREVIEW_ROWS]
        ],  # fmt: skip
        new_count=len(check.rows) - known,
    )


def confirm_roster(*, upload: RosterUpload) -> bool:
    """确认导入: queue the writing of a roster that checked out. A roster with errors (a forged
    confirmation) is not queued. A second press while writing queues it again, which is
    harmless: the import takes the upload's row lock and finds it done."""
    queued = RosterUpload.objects.filter(
        pk=upload.pk,
        imported_at__isnull=True,
        state__in=[RosterUpload.State.CHECKED, RosterUpload.State.WRITING],
    ).update(state=RosterUpload.State.WRITING, rows_written=0)
    if queued:
        result = tasks.import_roster_upload.enqueue(upload.pk)
        RosterUpload.objects.filter(pk=upload.pk).update(task_id=result.id)
    return bool(queued)


def import_roster(*, upload_id: int) -> RosterUpload:
    """Write every row of a checked roster in one transaction: all rows or none. A phone
    number already registered updates that retiree; a new one gets an account with a
    generated initial password, kept once for staff to download. The rows are checked
    again first (someone may have registered a phone since the preview): if they no longer
    check out, nothing is written and the page shows why."""
    upload = RosterUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    if upload.imported_at is not None:
        return upload
    staff = upload.uploaded_by
    check = check_roster(upload.filename, bytes(upload.content), staff)
    if not check.valid:
        keep_roster_check(upload_id=upload_id, check=check)
        return RosterUpload.objects.get(pk=upload_id)
    # Hashing is most of the time; done before the transaction, in steps the page can show.
    taken = set(
        User.objects.filter(username__in=[r.phone for r in check.rows]).values_list(
            "username", flat=True
        )
    )
    passwords = {row.phone: generate_initial_password() for row in check.rows}
    hashed: dict[str, str] = {}
    fresh = [row.phone for row in check.rows if row.phone not in taken]
    ready = len(check.rows) - len(fresh)  # updates need no password
    record_roster_progress(upload_id=upload_id, rows_written=ready)
    step = PROGRESS_EVERY * 2
    for start in range(0, len(fresh), step):
        chunk = fresh[start : start + step]
        hashed.update(
            zip(chunk, hash_initial_passwords([passwords[p] for p in chunk]), strict=True)
        )
        ready += len(chunk)
        record_roster_progress(upload_id=upload_id, rows_written=ready)
    try:
        upload = write_roster(upload_id=upload_id, passwords=passwords, hashed=hashed)
    except RosterInvalid as invalid:
        keep_roster_check(upload_id=upload_id, check=invalid.check)
        return RosterUpload.objects.get(pk=upload_id)
    return upload


@transaction.atomic
def write_roster(
    *, upload_id: int, passwords: dict[str, str], hashed: dict[str, str]
) -> RosterUpload:
    upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
    if upload.imported_at is not None:
        return upload  # a second run of the task
    staff = upload.uploaded_by
    check = check_roster(upload.filename, bytes(upload.content), staff)
    if not check.valid:
        raise RosterInvalid(check)
    rows = check.rows
    existing = {u.username: u for u in User.objects.filter(username__in=[r.phone for r in rows])}
    new_rows = [row for row in rows if row.phone not in existing]
    for row in new_rows:  # a phone whose account was deleted since the hashing
        if row.phone not in hashed:
            hashed[row.phone] = hash_initial_passwords([passwords[row.phone]])[0]
    created = [
        User(
            username=row.phone,
            name=row.name,
            phone=row.phone,
            institution=row.institution,
            role=User.Role.RETIREE,
            must_change_password=True,
            password=hashed[row.phone],
        )
        for row in new_rows
    ]
    User.objects.bulk_create(created, batch_size=500)
    ensure_role_groups()[User.Role.RETIREE].user_set.add(*created)
    RetireeProfile.objects.bulk_create(
        [
            RetireeProfile(user=user, **row.profile_fields())
            for row, user in zip(new_rows, created, strict=True)
        ],
        batch_size=500,
    )

    # Existing retirees: only what differs is written (re-importing the same file writes
    # nothing), one small UPDATE each, which is faster than bulk_update's CASE expressions.
    profiles = {p.user_id: p for p in RetireeProfile.objects.filter(user__in=existing.values())}
    now = timezone.now()
    for row in rows:
        user = existing.get(row.phone)
        if user is None:
            continue
        account = {"name": row.name, "phone": row.phone, "institution": row.institution}
        if any(getattr(user, field) != value for field, value in account.items()):
            User.objects.filter(pk=user.pk).update(**account)
        profile = profiles[user.pk]
        fields = row.profile_fields()
        if any(getattr(profile, field) != value for field, value in fields.items()):
            RetireeProfile.objects.filter(pk=profile.pk).update(**fields, updated_at=now)

    handed_out = [
        (row.name, row.phone, row.institution.name, passwords[row.phone]) for row in new_rows
    ]
    upload.imported_at = now
    upload.state = RosterUpload.State.DONE
    upload.rows_written = len(rows)
    upload.created_count, upload.updated_count = len(new_rows), len(existing)
    upload.passwords_xlsx = passwords_xlsx(handed_out, staff) if handed_out else None
    upload.content = b""  # the file held personal data; what it said is now in the tables
    upload.save()
    return upload


@transaction.atomic
def take_initial_passwords(upload: RosterUpload) -> bytes | None:
    """The passwords spreadsheet, once: after this download it is gone."""
    upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
    content = upload.passwords_xlsx
    if content is not None:
        upload.passwords_xlsx = None
        upload.save(update_fields=["passwords_xlsx"])
    return bytes(content) if content is not None else None


def change_own_password(user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


class HelpRefused(Refused):
    """代为操作 cannot be granted or used."""


@transaction.atomic
def record_helper_consent(
    staff: User,
    *,
    retiree: User,
    helper_phone: str,
    helper_name: str,
    relation: str,
    given: str,
    note: str = "",
) -> tuple[HelperConsent, str | None]:
    """Staff record a retiree's consent. A helper without an account gets a family account
    (login: their phone) and an initial password, returned once for staff to hand over."""
    from .selectors import retiree_profiles_visible_to

    if not retiree_profiles_visible_to(staff).filter(user=retiree).exists():
        raise HelpRefused("not_found", "这位军休干部不归您管理。")
    helper = User.objects.filter(Q(username=helper_phone) | Q(phone=helper_phone)).first()
    password = None
    if helper is None:
        password = generate_initial_password()
        helper = save_user_with_role(
            role=User.Role.FAMILY,
            name=helper_name,
            username=helper_phone,
            phone=helper_phone,
            password=password,
        )
        User.objects.filter(pk=helper.pk).update(must_change_password=True)
    if helper.pk == retiree.pk:
        raise HelpRefused("invalid", "不能自己代自己操作。")
    if HelperConsent.objects.filter(retiree=retiree, helper=helper, revoked_at=None).exists():
        raise HelpRefused("invalid", f"{helper.name}已经可以代{retiree.name}操作了。")
    consent = HelperConsent.objects.create(
        retiree=retiree, helper=helper, relation=relation, given=given, note=note,
        recorded_by=staff,
    )  # fmt: skip
    return consent, password


def revoke_helper_consent(staff: User, consent_id: int) -> HelperConsent:
    from .selectors import consents_visible_to

    consent = consents_visible_to(staff).filter(pk=consent_id, revoked_at=None).first()
    if consent is None:
        raise HelpRefused("not_found", "找不到这条授权，或者已经撤销了。")
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    return consent


def record_helper_action(helper: User, retiree: User, action: str, path: str) -> HelperAction:
    return HelperAction.objects.create(
        helper=helper, helper_name=helper.name or helper.username, retiree=retiree,
        action=action[:200], path=path[:300],
    )  # fmt: skip


def record_failed_login(identifier: str, address: str | None) -> None:
    FailedLogin.objects.create(identifier=FailedLogin.key(identifier), address=address or None)


def forget_failed_logins(user: User) -> None:
    """After a successful login, or when staff unlock: the count starts again."""
    names = {user.username, user.phone} - {None, ""}
    FailedLogin.objects.filter(identifier__in=names).delete()


def unlock_account(staff: User, user_id: int) -> User:
    from .selectors import retiree_profiles_visible_to

    profile = retiree_profiles_visible_to(staff).filter(user_id=user_id).first()
    if profile is None:
        raise HelpRefused("not_found", "这位军休干部不归您管理。")
    forget_failed_logins(profile.user)
    return profile.user


@transaction.atomic
def reset_password_by_staff(staff: User, user_id: int) -> tuple[User, str]:
    """Staff-assisted reset (the retiree phoned the duty line): a new 8-digit password to read
    out, to be replaced at the next login; any lock is lifted."""
    user = unlock_account(staff, user_id)
    password = generate_initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return user, password


def record_personal_data_access(
    viewer: User,
    what: str,
    people: Iterable[User | int],
    *,
    path: str,
    action: str = PersonalDataAccess.Action.VIEW,
) -> PersonalDataAccess | None:
    """Write down that `viewer` saw (or exported) these people's personal data. Seeing one's
    own is not recorded; nothing is written when nobody else was shown."""
    ids = {person if isinstance(person, int) else person.pk for person in people} - {viewer.pk}
    if not ids:
        return None
    access = PersonalDataAccess.objects.create(
        viewer=viewer,
        viewer_name=viewer.name or viewer.username,
        action=action,
        what=what[:200],
        path=path[:300],
        subject_count=len(ids),
    )
    link = PersonalDataAccess.subjects.through
    link.objects.bulk_create(
        [link(personaldataaccess_id=access.pk, user_id=user_id) for user_id in sorted(ids)],
        batch_size=1000,
    )
    return access


ROSTER_FILES_KEPT_DAYS = 7


def forget_old_roster_files(*, now: datetime.datetime | None = None) -> int:
    """Roster files and initial-password tables hold personal data: a week after the upload
    they are dropped (the record of who imported how many stays). Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=ROSTER_FILES_KEPT_DAYS)
    return (
        RosterUpload.objects.filter(uploaded_at__lt=cutoff)
        .exclude(content=b"", passwords_xlsx=None)
        .update(content=b"", passwords_xlsx=None)
    )


def save_push_subscription(*, user: User, endpoint: str, p256dh: str, auth: str) -> None:
    """手机提醒 turned on in one browser; the same browser again updates its keys."""
    PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )


def remove_push_subscription(*, user: User, endpoint: str) -> None:
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


def in_quiet_hours(moment: datetime.datetime) -> bool:
    hour = timezone.localtime(moment).hour
    return hour >= settings.PUSH_QUIET_FROM_HOUR or hour < settings.PUSH_QUIET_UNTIL_HOUR


def may_push_now(notification: Notification, now: datetime.datetime) -> bool:
    """Nothing between 21:00 and 7:00 Beijing time, but a class's last-quarter-hour reminder
    (in quiet hours only for a class before 7:30) goes at once."""
    soon_reminder = notification.kind == "class_reminder" and notification.about.endswith(":soon")
    return soon_reminder or not in_quiet_hours(now)


def push_notifications(*, notification_ids: list[int], now: datetime.datetime | None = None):
    """Web Push for stored notifications to every device of their person (pywebpush, VAPID
    keys from settings); devices the push service calls gone (404, 410) are forgotten.
    Returns the notifications held back for quiet hours, for the task to send at 7:00."""
    from pywebpush import WebPushException, webpush

    now = now or timezone.now()
    held = []
    notifications = Notification.objects.filter(pk__in=notification_ids)
    devices = PushSubscription.objects.filter(user_id__in=notifications.values("user_id"))
    by_user: dict[int, list[PushSubscription]] = {}
    for device in devices:
        by_user.setdefault(device.user_id, []).append(device)
    for notification in notifications:
        if notification.user_id not in by_user:
            continue
        if not may_push_now(notification, now):
            held.append(notification.pk)
            continue
        payload = json.dumps(
            {
                "title": "军休老年大学",
                "body": notification.text,
                "url": notification.url,
                "tag": f"notification-{notification.pk}",
            },
            ensure_ascii=False,
        )
        for device in by_user[notification.user_id]:
            try:
                webpush(
                    {
                        "endpoint": device.endpoint,
                        "keys": {"p256dh": device.p256dh, "auth": device.auth},
                    },
                    data=payload,
                    vapid_private_key=settings.VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=12 * 3600,
                    timeout=10,
                )
            except WebPushException as problem:
                if problem.response is not None and problem.response.status_code in (404, 410):
                    device.delete()  # unsubscribed or expired: the push service says gone
                else:
                    raise
    return held
