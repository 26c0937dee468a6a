"""Background work for accounts: dropping old uploaded rosters."""

from django_tasks import task

from . import services


@task()
def clean_old_uploads() -> int:
    return services.forget_old_roster_files()
