from django.db import migrations


def mark_existing(apps, schema_editor):
    """Uploads from before the task: imported ones are done; one still waiting for its
    confirmation was checked in the request and has no task, so it is asked for again."""
    RosterUpload = apps.get_model("accounts", "RosterUpload")
    RosterUpload.objects.filter(imported_at__isnull=False).update(state="done")
    RosterUpload.objects.filter(imported_at__isnull=True).update(
        state="refused", problem="系统升级了，请把这个文件重新上传一次。"
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_roster_progress")]

    operations = [migrations.RunPython(mark_existing, migrations.RunPython.noop)]
