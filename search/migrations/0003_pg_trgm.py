"""PostgreSQL only: the `pg_trgm` extension, whose `similarity()` ranks the words offered by
« Vouliez-vous dire … ? » (search/vocabulary.py). A trusted extension since PostgreSQL 13: the
database owner can create it."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("site_search", "0002_index_entry_title_body_gin")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop, elidable=False)]
