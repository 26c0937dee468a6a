"""Writes: notice indexes and their publishing rights, read receipts, acknowledgements,
conveyance by staff, and the announcement when a notice goes live."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from accounts.models import Institution, Notification, User
from accounts.permissions import manages_institution
from accounts.services import notify_users
from core.refusals import Refused

from .models import NoticeIndexPage, NoticePage, NoticeReceipt
from .selectors import audience_of, may_read

NOTICE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
NOTICE_DOCUMENT_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


class NoticeRefused(Refused):
    """A receipt, acknowledgement or conveyance that cannot be recorded."""


def publishers_group_name(institution: Institution) -> str:
    return f"通知发布-{institution.pk}"


def ensure_notices_root(home: Page) -> NoticeIndexPage:
    root = NoticeIndexPage.objects.filter(institution__isnull=True).first()
    if root is None:
        root = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    return root


@transaction.atomic
def ensure_notice_index(institution: Institution) -> NoticeIndexPage:
    """The institution's notice index, nested under its parent institution's (so that a
    中心's staff may also publish for the 军休所 below), and the group of its publishers."""
    index = NoticeIndexPage.objects.filter(institution=institution).first()
    if index is None:
        parent_institution = institution.get_parent()
        if parent_institution is not None:
            parent = ensure_notice_index(parent_institution)
        else:
            from home.models import HomePage

            parent = ensure_notices_root(HomePage.objects.get())
        index = parent.add_child(
            instance=NoticeIndexPage(
                title=institution.name,
                slug=f"{institution.kind}-{institution.pk}",
                institution=institution,
            )
        )
    grant_staff_their_notice_index(institution, index)
    return index


def ensure_notice_indexes() -> None:
    for institution in Institution.objects.order_by("path"):
        ensure_notice_index(institution)


def grant_staff_their_notice_index(institution: Institution, index: NoticeIndexPage) -> Group:
    """Staff of the institution may write, publish and attach files under its index only."""
    group, _ = Group.objects.get_or_create(name=publishers_group_name(institution))
    for codename in NOTICE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = attachments_collection(institution)
    for app_label, codename in NOTICE_DOCUMENT_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    group.user_set.set(
        User.objects.filter(role=User.Role.STAFF, institution=institution, is_active=True)
    )
    return group


def attachments_collection(institution: Institution) -> Collection:
    name = f"通知附件·{institution.name}"
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
        # Attachments are for the institution's own people: no download without logging in.
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def put_staff_in_their_publishers_group(user: User) -> None:
    """Keep a staff member's publishing rights in step with their institution."""
    publisher_groups = Group.objects.filter(name__startswith="通知发布-")
    user.groups.remove(*publisher_groups)
    if user.is_active and user.is_institution_staff and user.institution_id:
        group = publisher_groups.filter(name=publishers_group_name(user.institution)).first()
        if group is not None:
            user.groups.add(group)


def record_notice_read(
    notice: NoticePage, retiree: User, *, audience_checked: bool = False
) -> NoticeReceipt | None:
    """The first time an addressed retiree opens the notice. Opening it again changes nothing
    (and writes nothing). The notice's pending reminder goes away too. `audience_checked`: the
    caller has just asked may_read."""
    if not (retiree.is_retiree and (audience_checked or may_read(retiree, notice))):
        return None
    opened = NoticeReceipt.objects.filter(notice=notice, retiree=retiree).first()
    if opened is not None and opened.read_at is not None:
        return opened
    with transaction.atomic():
        receipt, _ = NoticeReceipt.objects.get_or_create(notice=notice, retiree=retiree)
        if receipt.read_at is None:
            NoticeReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
            receipt.refresh_from_db()
        Notification.objects.filter(
            user=retiree, kind="notice", url=notice.url, read_at__isnull=True
        ).update(read_at=timezone.now())
    return receipt


@transaction.atomic
def acknowledge_notice(notice: NoticePage, retiree: User) -> NoticeReceipt:
    """我已阅读并知悉: recorded once; pressing it again keeps the first time."""
    if not (retiree.is_retiree and may_read(retiree, notice)):
        raise NoticeRefused("forbidden", "这条通知不是发给您的。")
    if not notice.requires_acknowledgement:
        raise NoticeRefused("invalid", "这条通知不需要确认。")
    receipt = record_notice_read(notice, retiree, audience_checked=True)
    NoticeReceipt.objects.filter(pk=receipt.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    receipt.refresh_from_db()
    return receipt


@transaction.atomic
def record_conveyance(
    notice: NoticePage, retiree: User, staff: User, method: str, note: str = ""
) -> NoticeReceipt:
    """已电话告知 / 已上门告知: staff told the retiree in person, which counts as conveyed."""
    if not manages_institution(staff, retiree.institution):
        raise NoticeRefused("not_found", "这位军休干部不归您的机构管理。")
    if not audience_of(notice).filter(pk=retiree.pk).exists():
        raise NoticeRefused("invalid", "这条通知不是发给这位军休干部的。")
    if method not in NoticeReceipt.Conveyed.values:
        raise NoticeRefused("invalid", "请选择告知方式。")
    receipt, _ = NoticeReceipt.objects.get_or_create(notice=notice, retiree=retiree)
    receipt.conveyed = method
    receipt.conveyed_note = note.strip()[:200]
    receipt.conveyed_by = staff
    receipt.conveyed_at = timezone.now()
    receipt.save(update_fields=["conveyed", "conveyed_note", "conveyed_by", "conveyed_at"])
    return receipt


def announce_notice(notice: NoticePage) -> int:
    """When a notice goes live (a task, notices.tasks): remind every addressed retiree not
    reminded before (those added to the audience by a later edit too). Online pages get the
    banner at once over /ws/notify/; the others see it on their next page. ANNOUNCE_BATCH_SIZE
    people at a time, each batch in its own transaction with their receipts: a worker
    stopped halfway leaves the rest for the next run, and nobody is told twice. Returns how
    many were reminded."""
    if not notice.live or (notice.expire_at and notice.expire_at <= timezone.now()):
        return 0
    already = NoticeReceipt.objects.filter(notice=notice, notified_at__isnull=False).values(
        "retiree_id"
    )
    newcomers = list(audience_of(notice).exclude(pk__in=already).values_list("pk", flat=True))
    label = "请确认已读" if notice.requires_acknowledgement else "新通知"
    size = settings.ANNOUNCE_BATCH_SIZE
    for start in range(0, len(newcomers), size):
        with transaction.atomic():
            mark_notified(notice, newcomers[start : start + size])
            notify_users(
                newcomers[start : start + size],
                "notice",
                f"{label}：{notice.title}",
                notice.url,
                about=f"notice:{notice.pk}",
            )
    return len(newcomers)


def mark_notified(notice: NoticePage, retiree_ids: list[int]) -> None:
    now = timezone.now()
    existing = set(
        NoticeReceipt.objects.filter(notice=notice, retiree_id__in=retiree_ids).values_list(
            "retiree_id", flat=True
        )
    )
    NoticeReceipt.objects.filter(notice=notice, retiree_id__in=existing).update(notified_at=now)
    NoticeReceipt.objects.bulk_create(
        [
            NoticeReceipt(notice=notice, retiree_id=pk, notified_at=now)
            for pk in retiree_ids
            if pk not in existing
        ]
    )


def send_unread_reminders(*, now: datetime.datetime | None = None) -> int:
    """未读提醒: a live notice needing 我已阅读并知悉, told UNREAD_REMINDER_DAYS days ago or
    more and still not acknowledged (nor conveyed by staff), reminds its retiree once; the
    receipt's reminded_at shows it on the follow-up list. Returns how many were reminded."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.UNREAD_REMINDER_DAYS)
    waiting = (
        NoticeReceipt.objects.filter(
            notice__live=True,
            notice__requires_acknowledgement=True,
            notified_at__lte=cutoff,
            acknowledged_at__isnull=True,
            reminded_at__isnull=True,
            conveyed="",
        )
    ).exclude(notice__expire_at__lte=now)
    reminded = 0
    for notice in NoticePage.objects.filter(pk__in=waiting.values("notice_id")):
        retiree_ids = list(waiting.filter(notice=notice).values_list("retiree_id", flat=True))
        with transaction.atomic():
            NoticeReceipt.objects.filter(notice=notice, retiree_id__in=retiree_ids).update(
                reminded_at=now
            )
            notify_users(
                retiree_ids,
                "notice_unread",
                f"您还没有确认这份通知，请点开看一看：{notice.title}",
                notice.url,
                about=f"notice:{notice.pk}",
            )
        reminded += len(retiree_ids)
    return reminded
