import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import retiree_profiles_visible_to
from accounts.services import notify_user
from core.refusals import Refused
from courses.models import Term

from .models import CareContact, ReportExport
from .selectors import care_list


class NotYours(Refused):
    """The retiree is not in the staff member's subtree."""


@transaction.atomic
def record_care_contact(
    staff: User, retiree_id: int, method: str, contacted_on: datetime.date, note: str
) -> CareContact:
    profile = retiree_profiles_visible_to(staff).filter(user_id=retiree_id).first()
    if profile is None:
        raise NotYours("not_found", "这位军休干部不归您的机构管理。")
    contact = CareContact(
        retiree=profile.user, staff=staff, method=method, contacted_on=contacted_on, note=note
    )
    contact.full_clean()
    contact.save()
    return contact


def tell_care_list_counts(*, now: datetime.datetime | None = None) -> int:
    """Each active staff member with anyone on their care list gets today's count, once a day
    (the date is the notification's key). Returns how many staff were told."""
    today = timezone.localdate(now or timezone.now())
    told = 0
    for staff in User.objects.filter(role=User.Role.STAFF, is_active=True):
        count = len(care_list(staff))
        if count and notify_user(
            staff,
            "care_list",
            f"今天关怀名单上有 {count} 位老人，好些天没有联系了，请打个电话问候。",
            reverse("care_list"),
            about=f"care_list:{today.isoformat()}",
        ):
            told += 1
    return told


def request_report_export(*, staff: User, term: Term) -> ReportExport:
    """Queued in the same transaction: the worker (staff.tasks) finds the row."""
    from . import tasks  # staff.tasks imports this module

    with transaction.atomic():
        export = ReportExport.objects.create(requested_by=staff, term=term)
        tasks.build_term_report.enqueue(export.pk)
    return export


def finish_report_export(*, export: ReportExport, content: bytes) -> None:
    ReportExport.objects.filter(pk=export.pk).update(content=content, finished_at=timezone.now())


EXPORTS_KEPT_DAYS = 2


def forget_old_exports(*, now: datetime.datetime | None = None) -> int:
    """Report workbooks are downloaded at once; two days later they are dropped."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=EXPORTS_KEPT_DAYS)
    deleted, _ = ReportExport.objects.filter(requested_at__lt=cutoff).delete()
    return deleted
