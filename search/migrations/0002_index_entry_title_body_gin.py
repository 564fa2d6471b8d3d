"""PostgreSQL only: a GIN index on `title || body` of Wagtail's search index entries.

The database backend filters on exactly this expression (`(title || body) @@ query`); with
only the per-column GIN indexes Wagtail creates, every search scanned every entry (about 60 ms
at 5,000 pages even when nothing matched, bench/search.py). ANALYZE also gathers statistics
on the expression, which helps the planner estimate how many entries match.

Wagtail's model is another app's, so Django's `AddIndex` (which acts on this app's models)
cannot carry it: the schema editor's public `add_index` does, on the historical model, with
a functional index (`Func` joining the two columns with `||`) instead of SQL naming the table.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations
from django.db.models import F, Func

INDEX = GinIndex(
    Func(F("title"), F("body"), template="(%(expressions)s)", arg_joiner=" || "),
    name="site_search_indexentry_title_body_gin",
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("wagtailsearch", "IndexEntry"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("wagtailsearch", "IndexEntry"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0001_french_text_search"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
