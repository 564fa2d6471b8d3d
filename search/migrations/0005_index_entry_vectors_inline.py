"""PostgreSQL only: keep the `title` and `body` vectors of Wagtail's search index entries in
the table row (storage MAIN: compressed, moved out of line only when the row could not fit a
page otherwise).

A search checks `title @@ query OR body @@ query` on each entry it reads until it has 1,001
matches (search/pg.py). With the default storage (EXTENDED) each body (about 2.2 KB
compressed) lives in the TOAST table, and so does the title as soon as the row is larger than
2 KB: every check first looks them up in the TOAST index and reads their chunks. Kept in the
row, a common word's 1,001 matches are read about three times faster (bench/search.py); the
texts (`title_text`, `body_text`, read for ten excerpts) stay out of line.

The new storage applies to the rows written after it: the existing vectors are rewritten once
(`|| ''::tsvector` builds a new, identical vector), as `update_index` would.
"""

from django.db import migrations

COLUMNS = ("title", "body")


def set_storage(storage: str, rewrite: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model("wagtailsearch", "IndexEntry")
        table = schema_editor.quote_name(model._meta.db_table)
        alter = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS)
        schema_editor.execute(f"ALTER TABLE {table} {alter}")
        if rewrite:
            assign = ", ".join(f"{column} = {column} || ''::tsvector" for column in COLUMNS)
            schema_editor.execute(f"UPDATE {table} SET {assign}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0004_vocabulary"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            set_storage("MAIN", rewrite=True),
            set_storage("EXTENDED", rewrite=False),
            elidable=False,
        )
    ]
