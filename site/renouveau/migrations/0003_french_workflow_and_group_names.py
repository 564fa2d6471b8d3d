"""Wagtail's default groups, workflow and task are data with English names, which the French
admin shows as is (« Soumettre à Moderators approval »): give them French names.

Runs after the Wagtail migrations that look these groups up by their English names."""

from django.db import migrations

GROUPS = {"Moderators": "Modérateurs", "Editors": "Rédacteurs"}
WORKFLOWS = {"Moderators approval": "Validation par les modérateurs"}


def to_french(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for english, french in GROUPS.items():
        if not Group.objects.filter(name=french).exists():
            Group.objects.filter(name=english).update(name=french)
    for english, french in WORKFLOWS.items():
        Workflow.objects.filter(name=english).update(name=french)
        Task.objects.filter(name=english).update(name=french)


def to_english(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for english, french in GROUPS.items():
        Group.objects.filter(name=french).update(name=english)
    for english, french in WORKFLOWS.items():
        Workflow.objects.filter(name=french).update(name=english)
        Task.objects.filter(name=french).update(name=english)


class Migration(migrations.Migration):
    dependencies = [
        ("renouveau", "0002_legal_pages_and_forms"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
