from django.db import migrations, models


def fill_sort_titles(apps, schema_editor):
    from renouveau.french import sort_key

    CityPage = apps.get_model("cites_pages", "CityPage")
    for city in CityPage.objects.only("pk", "title").iterator():
        CityPage.objects.filter(pk=city.pk).update(sort_title=sort_key(city.title))


class Migration(migrations.Migration):
    dependencies = [
        ("cites_pages", "0004_webinar_join_link"),
    ]

    operations = [
        migrations.AddField(
            model_name="citypage",
            name="sort_title",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_sort_titles, migrations.RunPython.noop),
    ]
