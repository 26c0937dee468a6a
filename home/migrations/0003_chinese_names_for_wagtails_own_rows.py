"""Rows Wagtail's own migrations create with English names that staff see in the admin: the
root collection, the tree's root page and the default workflow and its task."""

from django.db import migrations

NAMES = [
    ("wagtailcore", "Collection", {"depth": 1, "name": "Root"}, {"name": "全部文件"}),
    ("wagtailcore", "Page", {"depth": 1, "title": "Root"}, {"title": "全部页面"}),
    ("wagtailcore", "Workflow", {"name": "Moderators approval"}, {"name": "审核后发布"}),
    ("wagtailcore", "Task", {"name": "Moderators approval"}, {"name": "审核"}),
]


def to_chinese(apps, schema_editor):
    for app, model, english, chinese in NAMES:
        apps.get_model(app, model).objects.filter(**english).update(**chinese)


def to_english(apps, schema_editor):
    for app, model, english, chinese in NAMES:
        apps.get_model(app, model).objects.filter(**chinese).update(**english)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_plural_names"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
