"""Background work for staff: the care list's count each morning."""

from django_tasks import task

from . import services


@task()
def count_care_list() -> int:
    """Each staff member is told how many people on their care list wait for a call today."""
    return services.tell_care_list_counts()
