"""The demo site's rows, copied once per run into a snapshot beside the test database and put
back in a fraction of a second after a transactional test's flush (loading the demo again
through its Python code takes 4 to 7 seconds, most of the suite's time on PostgreSQL).

Django's foreign keys are deferred until commit on both SQLite and PostgreSQL, so the tables
are emptied and refilled in one transaction in any order."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from wagtail.models import Site

SCHEMA = "demo_snapshot"
# The database as migrated, before any test's rows: put back after the demo snapshot is taken,
# so that tests which build their own rows never see the demo's.
BASE = "base_snapshot"


def table_names() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def sqlite_snapshot_file(schema: str = SCHEMA) -> str:
    suffix = "-snapshot.sqlite3" if schema == SCHEMA else f"-{schema}.sqlite3"
    return str(connection.settings_dict["NAME"]).removesuffix(".sqlite3") + suffix


def snapshot_schema(cursor, schema: str = SCHEMA) -> None:
    """Make the snapshot reachable from this connection as `schema`."""
    if connection.vendor == "sqlite":
        attached = {row[1] for row in cursor.execute("PRAGMA database_list").fetchall()}
        if schema not in attached:
            cursor.execute(f"ATTACH DATABASE '{sqlite_snapshot_file(schema)}' AS {schema}")


def take(schema: str = SCHEMA) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            snapshot_schema(cursor, schema)
            for table in table_names():
                cursor.execute(f'DROP TABLE IF EXISTS {schema}."{table}"')
        else:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        for table in table_names():
            cursor.execute(f'CREATE TABLE {schema}."{table}" AS SELECT * FROM "{table}"')


def restore(schema: str = SCHEMA) -> None:
    tables = table_names()
    with transaction.atomic(), connection.cursor() as cursor:
        snapshot_schema(cursor, schema)
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))
        for table in tables:
            if connection.vendor == "sqlite":
                cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {schema}."{table}"')
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    # The flush's post_migrate gave content types new ids; the snapshot's are back now.
    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()
