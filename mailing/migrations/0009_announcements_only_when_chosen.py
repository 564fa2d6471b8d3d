"""Webinar announcements defaulted to on and no form asked: turn them off for everyone who never
ticked them on the preferences page (the only place that offered them), and record why."""

import logging

from django.db import migrations

logger = logging.getLogger("mailing.migrations")

SOURCE = "Migration 0009 : annonces de webinaires jamais choisies, désactivées"


def chose_announcements(change) -> bool:
    value = (change.changes or {}).get("webinar_announcements") or {}
    return isinstance(value, dict) and value.get("après") is True


def forwards(apps, schema_editor):
    Subscriber = apps.get_model("mailing", "Subscriber")
    PreferenceChange = apps.get_model("mailing", "PreferenceChange")
    ConsentRecord = apps.get_model("mailing", "ConsentRecord")
    chose = {
        change.subscriber_id
        for change in PreferenceChange.objects.filter(changes__has_key="webinar_announcements")
        if chose_announcements(change)
    }
    never_chose = list(
        Subscriber.objects.filter(webinar_announcements=True)
        .exclude(pk__in=chose)
        .values_list("pk", flat=True)
    )
    for start in range(0, len(never_chose), 2000):
        chunk = never_chose[start : start + 2000]
        Subscriber.objects.filter(pk__in=chunk).update(webinar_announcements=False)
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                subscriber_id=pk,
                topic="webinars",
                given=False,
                source=SOURCE,
                wording_version="migration-0009",
            )
            for pk in chunk
        )
    logger.info(
        "Webinar announcements turned off for %d subscribers who never chose them", len(never_chose)
    )


class Migration(migrations.Migration):
    dependencies = [("mailing", "0008_consent_per_list")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
