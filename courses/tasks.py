"""Background work for courses: telling a retiree their waitlisted seat came free."""

from django_tasks import task

from core.tasks import PEOPLE_WAITING

from . import services
from .models import Enrollment


@task(priority=PEOPLE_WAITING)
def tell_promoted_retiree(enrollment_id: int) -> None:
    enrollment = (
        Enrollment.objects.select_related("course", "retiree").filter(pk=enrollment_id).first()
    )
    if enrollment:
        services.tell_promoted_retiree(enrollment)
