"""live/ keeps live classes and polls; the room models now belong to rooms/ and the circle models
to circles/, on the same tables. Their content types are relabelled in place, so permissions,
groups and Wagtail's log entries that point at them by id keep working."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {
    "rooms": ["room", "roomevent", "roommember", "presence"],
    "circles": [
        "circle",
        "circlemember",
        "circlefile",
        "work",
        "workcomment",
        "worklike",
        "messagereport",
    ],
}


def relabel(apps, old: str, new: dict[str, str]) -> None:
    """Each moved model's content type row changes its app label (model name → new label)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, label in new.items():
        # A row under the new label exists only when the new app was migrated on its own
        # before this ran; it was made moments ago, so the older row (with what points at it)
        # is the one to keep.
        ContentType.objects.filter(app_label=label, model=model).delete()
        ContentType.objects.filter(app_label=old, model=model).update(app_label=label)


def move_content_types(apps, schema_editor) -> None:
    relabel(apps, "live", {model: app for app, models in MOVED.items() for model in models})


def move_content_types_back(apps, schema_editor) -> None:
    for app, models in MOVED.items():
        relabel(apps, app, {model: "live" for model in models})


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('circles', '0001_initial'),
        ('live', '0003_presence_seen_at'),
        ('rooms', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (db_table): only which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='work',
                    name='circle',
                ),
                migrations.RemoveField(
                    model_name='circlefile',
                    name='circle',
                ),
                migrations.RemoveField(
                    model_name='circlemember',
                    name='circle',
                ),
                migrations.RemoveField(
                    model_name='messagereport',
                    name='circle',
                ),
                migrations.RemoveField(
                    model_name='circlefile',
                    name='uploader',
                ),
                migrations.RemoveField(
                    model_name='circlefile',
                    name='work',
                ),
                migrations.RemoveField(
                    model_name='circlemember',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='messagereport',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='messagereport',
                    name='handled_by',
                ),
                migrations.RemoveField(
                    model_name='messagereport',
                    name='reporter',
                ),
                migrations.RemoveField(
                    model_name='presence',
                    name='room',
                ),
                migrations.RemoveField(
                    model_name='presence',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='roommember',
                    name='room',
                ),
                migrations.RemoveField(
                    model_name='roomevent',
                    name='room',
                ),
                migrations.AlterField(
                    model_name='liveclass',
                    name='room',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='live_class', to='rooms.room'),
                ),
                migrations.RemoveField(
                    model_name='roomevent',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='roommember',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='work',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='worklike',
                    name='work',
                ),
                migrations.RemoveField(
                    model_name='workcomment',
                    name='work',
                ),
                migrations.RemoveField(
                    model_name='workcomment',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='worklike',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Circle',
                ),
                migrations.DeleteModel(
                    name='CircleFile',
                ),
                migrations.DeleteModel(
                    name='CircleMember',
                ),
                migrations.DeleteModel(
                    name='MessageReport',
                ),
                migrations.DeleteModel(
                    name='Presence',
                ),
                migrations.DeleteModel(
                    name='Room',
                ),
                migrations.DeleteModel(
                    name='RoomEvent',
                ),
                migrations.DeleteModel(
                    name='RoomMember',
                ),
                migrations.DeleteModel(
                    name='Work',
                ),
                migrations.DeleteModel(
                    name='WorkComment',
                ),
                migrations.DeleteModel(
                    name='WorkLike',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
