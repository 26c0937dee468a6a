"""On PostgreSQL, a GIN index over each kind's documents: a search asks one kind at a time
(search.selectors.found_hits), and with the whole table's index the planner read every row
for a common word of the many lessons (a sequential scan of 80,000 entries, about a second)
where this index reads only the matches."""

from django.db import migrations

KINDS = ["course", "lesson", "notice", "circle"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX search_entry_document_{kind} ON search_searchentry"
            f" USING gin (document) WHERE kind = '{kind}'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_document_{kind}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(create, drop)]
