"""The full-text side of SearchEntry, which Django's schema editor cannot express: on
PostgreSQL a `simple` tsvector (title and pinyin weighted A, summary B, body C) with a GIN
index and a pg_trgm index on titles; on SQLite an FTS5 table kept in step by triggers."""

from django.db import migrations

# A plain column filled by a trigger rather than a generated one, so that copying rows in
# and out (tests/snapshot.py, backups) keeps working.
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchentry ADD COLUMN document tsvector",
    # Small vectors of the title (and pinyin) and of title and summary: which of them holds
    # every word of a query ranks a result (search.selectors), cheaper than filtering weights.
    "ALTER TABLE search_searchentry ADD COLUMN title_document tsvector",
    "ALTER TABLE search_searchentry ADD COLUMN lead_document tsvector",
    """CREATE FUNCTION search_entry_document() RETURNS trigger AS $$
    BEGIN
        NEW.title_document := to_tsvector('simple', NEW.title_words || ' ' || NEW.pinyin);
        NEW.lead_document := NEW.title_document || to_tsvector('simple', NEW.summary_words);
        NEW.document :=
            setweight(NEW.title_document, 'A')
            || setweight(to_tsvector('simple', NEW.summary_words), 'B')
            || setweight(to_tsvector('simple', NEW.body_words), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_entry_document()""",
    "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
    "CREATE INDEX search_entry_title_trgm ON search_searchentry USING gin (title gin_trgm_ops)",
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP TRIGGER IF EXISTS search_entry_document ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_document()",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS lead_document",
]

COLUMNS = "title_words, summary_words, body_words, pinyin"
OLD = "old.title_words, old.summary_words, old.body_words, old.pinyin"
NEW = "new.title_words, new.summary_words, new.body_words, new.pinyin"
SQLITE = [
    f"""CREATE VIRTUAL TABLE search_searchentry_fts USING fts5({COLUMNS},
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    f"""CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD}); END""",
    f"""CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO search_searchentry_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
