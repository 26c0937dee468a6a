"""Background work for staff: the care list's count each morning, 学期报表 workbooks."""

from django_tasks import task

from . import reports, services
from .models import ReportExport


@task()
def count_care_list() -> int:
    """Each staff member is told how many people on their care list wait for a call today."""
    return services.tell_care_list_counts()


@task()
def build_term_report(export_id: int) -> None:
    export = ReportExport.objects.select_related("requested_by", "term").filter(pk=export_id)
    if found := export.first():
        reports.build_export(found)


@task()
def clean_old_exports() -> int:
    return services.forget_old_exports()
