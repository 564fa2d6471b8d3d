"""Contact-form messages (Wagtail's form submissions) are personal data: readable and
exportable by the roles that answer them (« Modérateurs », and superusers), not by
« Rédacteurs », whom Wagtail lets see the answers of every form page they may edit
(renouveau.admin_permissions.contact_messages_for_user)."""

from django.db import migrations

MODERATORS = ["Modérateurs", "Moderators"]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailforms", model="formsubmission"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_formsubmission",
        defaults={"name": "Can view form submission"},
    )
    for group in Group.objects.filter(name__in=MODERATORS):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permission = Permission.objects.filter(
        content_type__app_label="wagtailforms", codename="view_formsubmission"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name__in=MODERATORS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("renouveau", "0006_french_root_names"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
