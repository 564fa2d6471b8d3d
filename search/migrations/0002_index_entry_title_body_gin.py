"""PostgreSQL only: a GIN index on `title || body` of Wagtail's search index entries.

The database backend filters on exactly this expression (`(title || body) @@ query`); with
only the per-column GIN indexes Wagtail creates, every search scanned every entry (about 60 ms
at 5,000 pages even when nothing matched, bench/search.py). ANALYZE also gathers statistics
on the expression, which helps the planner estimate how many entries match.
"""

from django.db import migrations

INDEX = "site_search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
        "USING gin ((title || body))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0001_french_text_search"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
