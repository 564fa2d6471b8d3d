"""The page tree's and the collections' roots are called « Root » by Wagtail's own migrations,
and the page explorer shows that name to French editors: call them « Racine »."""

from django.db import migrations

FRENCH = "Racine"


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=FRENCH, draft_title=FRENCH)
    Collection.objects.filter(depth=1, name="Root").update(name=FRENCH)


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=FRENCH).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=FRENCH).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("renouveau", "0005_rgaa_criteria_preloaded"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
