import datetime

from django.db import transaction

from accounts.models import User
from accounts.selectors import retiree_profiles_visible_to
from core.refusals import Refused

from .models import CareContact


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
