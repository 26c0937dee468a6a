"""Reads: who a notice is addressed to, what a reader sees, and how far a notice has reached."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from accounts.models import Institution, RetireeProfile, User
from accounts.permissions import staff_scope
from courses.models import LessonPage

from .models import NoticeAttachment, NoticePage, NoticeReceipt


def ancestor_paths(institution: Institution) -> list[str]:
    """The materialised paths of the institution and of every institution above it."""
    step = Institution.steplen
    return [institution.path[:end] for end in range(step, len(institution.path) + 1, step)]


def visible_now(notices: QuerySet[NoticePage]) -> QuerySet[NoticePage]:
    """Live, past their go-live time and not yet expired (even before the scheduler runs)."""
    now = timezone.now()
    return notices.filter(live=True).filter(
        Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
        Q(expire_at__isnull=True) | Q(expire_at__gt=now),
    )


def addressed_to(user: User) -> Q:
    """A filter on NoticePage: notices whose audience includes this retiree."""
    if not (user.is_authenticated and user.is_retiree and user.institution_id):
        return Q(pk__in=[])
    paths = ancestor_paths(user.institution)
    chosen_institution = NoticePage.audience_institutions.through.objects.filter(
        noticepage_id=OuterRef("pk"), institution__path__in=paths
    )
    chosen_retiree = NoticePage.audience_retirees.through.objects.filter(
        noticepage_id=OuterRef("pk"), user_id=user.pk
    )
    return (
        Q(audience=NoticePage.Audience.SUBTREE, institution__path__in=paths)
        | Q(audience=NoticePage.Audience.INSTITUTIONS) & Exists(chosen_institution)
        | Q(audience=NoticePage.Audience.RETIREES) & Exists(chosen_retiree)
    )


def followed_by(user: User) -> Q:
    """A filter on NoticePage: notices a staff member follows up, those published in their
    subtree and those from above that may reach it. Administrators follow everything."""
    if user.is_authenticated and user.is_platform_admin:
        return Q()
    scope = staff_scope(user)
    if scope is None:
        return Q(pk__in=[])
    return Q(institution__path__startswith=scope.path) | Q(
        institution__path__in=ancestor_paths(scope)
    )


def notices_for(user: User) -> QuerySet[NoticePage]:
    """What this reader may read: a retiree their own notices, staff their institution's."""
    condition = (
        addressed_to(user) if user.is_authenticated and user.is_retiree else followed_by(user)
    )
    return (
        visible_now(NoticePage.objects.filter(condition))
        .select_related("institution")
        .order_by("-pinned", "-first_published_at")
    )


def may_read(user: User, notice: NoticePage) -> bool:
    return notices_for(user).filter(pk=notice.pk).exists()


def receipts_of(user: User, notices: list[NoticePage]) -> dict[int, NoticeReceipt]:
    if not (user.is_authenticated and user.is_retiree):
        return {}
    receipts = NoticeReceipt.objects.filter(retiree=user, notice__in=[n.pk for n in notices])
    return {receipt.notice_id: receipt for receipt in receipts}


def unread_notices(user: User) -> QuerySet[NoticePage]:
    """The reader's notices that 通知 marks 未读: addressed to them and never opened."""
    if not (user.is_authenticated and user.is_retiree):
        return NoticePage.objects.none()
    read = NoticeReceipt.objects.filter(
        notice_id=OuterRef("pk"), retiree=user, read_at__isnull=False
    )
    return notices_for(user).exclude(Exists(read))


def unread_notice_count(user: User) -> int:
    return unread_notices(user).count()


def unread_notice_ids(user: User) -> set[int]:
    """The reader's unread notices, by id: no page objects (nor their URLs) are built."""
    return set(unread_notices(user).values_list("pk", flat=True))


def audience_of(notice: NoticePage) -> QuerySet[User]:
    """Every active retiree the notice is addressed to."""
    retirees = User.objects.filter(role=User.Role.RETIREE, is_active=True)
    if notice.audience == NoticePage.Audience.SUBTREE:
        return retirees.filter(institution__path__startswith=notice.institution.path)
    if notice.audience == NoticePage.Audience.INSTITUTIONS:
        paths = [institution.path for institution in notice.audience_institutions.all()]
        if not paths:
            return retirees.none()
        condition = Q()
        for path in paths:
            condition |= Q(institution__path__startswith=path)
        return retirees.filter(condition)
    return retirees.filter(pk__in=[person.pk for person in notice.audience_retirees.all()])


@dataclass
class FollowUpRow:
    """One institution's figures; its own people and everyone below it."""

    institution: Institution
    audience: int = 0
    read: int = 0
    acknowledged: int = 0
    conveyed: int = 0
    reached: int = 0

    @property
    def not_reached(self) -> int:
        return self.audience - self.reached

    @property
    def indent(self) -> int:
        return self.institution.depth


@dataclass
class PersonToReach:
    retiree_id: int
    name: str
    phone: str
    institution: Institution
    care_flags: list[str]
    read_at: datetime | None
    emergency_contact: str
    reminded_at: datetime | None = None  # 未读提醒 sent


@dataclass
class FollowUp:
    notice: NoticePage
    rows: list[FollowUpRow] = field(default_factory=list)
    not_reached: list[PersonToReach] = field(default_factory=list)

    @property
    def total(self) -> FollowUpRow | None:
        return self.rows[0] if self.rows else None


def follow_up(notice: NoticePage, viewer: User) -> FollowUp:
    """How far the notice has reached the people the viewer looks after, rolled up along the
    institution tree, and who has not been reached yet (care-flagged people first)."""
    scope = None if viewer.is_platform_admin else staff_scope(viewer)
    if scope is None and not viewer.is_platform_admin:
        return FollowUp(notice)
    # The deeper of the two: staff of a 军休所 see their own part of a 中心's notice, and
    # staff of a 中心 see the whole of a 军休所's notice.
    top = notice.institution
    if scope is not None and len(scope.path) > len(top.path):
        top = scope
    people = list(
        audience_of(notice)
        .filter(institution__path__startswith=top.path)
        .values_list("pk", "name", "phone", "institution_id")
    )
    receipts = {
        receipt.retiree_id: receipt
        for receipt in NoticeReceipt.objects.filter(notice=notice).only(
            "retiree_id", "read_at", "acknowledged_at", "conveyed", "reminded_at"
        )
    }
    institutions = {
        institution.pk: institution
        for institution in Institution.objects.filter(
            pk__in={institution_id for *_, institution_id in people}
        )
    }
    shown_paths = {top.path}
    for institution in institutions.values():
        shown_paths.update(p for p in ancestor_paths(institution) if p.startswith(top.path))
    rows = {
        institution.path: FollowUpRow(institution)
        for institution in Institution.objects.filter(path__in=shown_paths)
    }
    profiles = {
        profile.user_id: profile
        for profile in RetireeProfile.objects.filter(user_id__in=[pk for pk, *_ in people])
    }
    to_reach = []
    for pk, name, phone, institution_id in people:
        receipt = receipts.get(pk)
        reached = bool(receipt and receipt.is_reached(notice.requires_acknowledgement))
        institution = institutions[institution_id]
        for path in ancestor_paths(institution):
            row = rows.get(path)
            if row is not None:
                row.audience += 1
                row.read += bool(receipt and receipt.read_at)
                row.acknowledged += bool(receipt and receipt.acknowledged_at)
                row.conveyed += bool(receipt and receipt.conveyed)
                row.reached += reached
        if not reached:
            profile = profiles.get(pk)
            to_reach.append(
                PersonToReach(
                    retiree_id=pk,
                    name=name,
                    phone=phone or "",
                    institution=institution,
                    care_flags=profile.care_flag_labels if profile else [],
                    read_at=receipt.read_at if receipt else None,
                    emergency_contact=emergency_contact_of(profile),
                    reminded_at=receipt.reminded_at if receipt else None,
                )
            )
    to_reach.sort(key=lambda person: (not person.care_flags, person.institution.path, person.name))
    return FollowUp(notice, rows=[rows[path] for path in sorted(rows)], not_reached=to_reach)


def emergency_contact_of(profile: RetireeProfile | None) -> str:
    if profile is None or not profile.emergency_contact_name:
        return ""
    return f"{profile.emergency_contact_name} {profile.emergency_contact_phone}".strip()


def followed_notices(viewer: User) -> QuerySet[NoticePage]:
    return (
        NoticePage.objects.filter(followed_by(viewer), live=True)
        .select_related("institution")
        .order_by("-first_published_at")
    )


def reached_counts(notices: list[NoticePage], viewer: User) -> dict[int, tuple[int, int]]:
    """For each notice: (people in the viewer's scope it is addressed to, of whom reached)."""
    result = {}
    for notice in notices:
        summary = follow_up(notice, viewer).total
        result[notice.pk] = (summary.audience, summary.reached) if summary else (0, 0)
    return result


def pages_linking(document: AbstractDocument) -> list[int]:
    """Ids of pages whose content uses the document (Wagtail's reference index)."""
    references = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return [int(object_id) for object_id in references.values_list("object_id", flat=True)]


def notices_with_document(document: AbstractDocument) -> QuerySet[NoticePage]:
    """Notices that attach the document or link to it in their text."""
    return NoticePage.objects.filter(
        Q(attachments__document=document) | Q(pk__in=pages_linking(document))
    ).distinct()


def documents_in_admin_for(user: User) -> QuerySet[AbstractDocument]:
    """The documents this user may see in the admin: those in collections their groups may
    use, less attachments of notices they do not follow (an instructor may choose any
    handout, not a 军休所's notice attachments)."""
    policy = policy_registry.get_by_type(get_document_model())
    documents = policy.instances_user_has_any_permission_for(user, ["change", "choose"])
    if user.is_superuser:
        return documents
    attached = NoticeAttachment.objects.exclude(
        page__in=NoticePage.objects.filter(followed_by(user))
    )
    return documents.exclude(pk__in=attached.values("document_id"))


def may_download_document(user: User, document: AbstractDocument) -> bool:
    """A notice's document: for the people the notice is addressed to and the staff who may
    see it in the admin. A lesson's handout: for anyone, like the lesson page. Any other
    document: for admin users who may see it in its collection."""
    if user.is_authenticated and documents_in_admin_for(user).filter(pk=document.pk).exists():
        return True
    notices = notices_with_document(document)
    if notices.exists():
        return notices_for(user).filter(pk__in=notices.values("pk")).exists()
    return LessonPage.objects.live().public().filter(pk__in=pages_linking(document)).exists()
