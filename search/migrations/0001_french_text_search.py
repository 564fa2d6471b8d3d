"""PostgreSQL text-search configurations that ignore accents (no-op on other databases).

`french_unaccent`: accents removed, then the French stemmer ("cités" and "cite" → "cit").
`simple_unaccent`: accents removed, no stemming, for title autocomplete.
`unaccent` is a trusted extension since PostgreSQL 13: the database owner may create it.
"""

from django.db import migrations

CONFIGURATIONS = {
    # name: (copied configuration, dictionaries for words with non-ASCII letters)
    "french_unaccent": ("french", "unaccent, french_stem"),
    "simple_unaccent": ("simple", "unaccent, simple"),
}


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    with schema_editor.connection.cursor() as cursor:
        for name, (source, dictionaries) in CONFIGURATIONS.items():
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [name])
            if cursor.fetchone():
                continue
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source})")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} "
                f"ALTER MAPPING FOR hword, hword_part, word WITH {dictionaries}"
            )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0001_initial")]

    operations = [migrations.RunPython(create_configurations, drop_configurations, elidable=False)]
