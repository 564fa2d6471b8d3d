"""Consent used = consent given: each list (the letter, webinar announcements, each cité) is
chosen explicitly, recorded on its own, and the pages and mails say exactly what will come.
Through real HTTP requests, real SES (moto) and the database."""

import re

import pytest

from mailing.audience.consents import CONSENT_TEXT_VERSION
from mailing.audience.tokens import unsubscribe_token
from mailing.delivery.campaigns import Segment, recipients
from mailing.models import ConsentRecord, PreferenceChange, Subscriber
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


def link_in(message, pattern: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(pattern, text)
    assert match, text
    return "/" + match.group(0).split("/", 3)[3]


def text_of(message) -> str:
    return as_typed(message.get_body(("plain",)).get_content())


def test_following_a_cite_only_enrols_in_that_cite_only(client, cites, ses, immediate_tasks):
    lemay, _ = cites
    client.post(
        f"/lettre/suivre/{lemay.pk}/",
        {"email": "residente@example.org", "consent": "on", "website": ""},
    )
    subscriber = Subscriber.objects.get(email="residente@example.org")
    assert subscriber.newsletter is False
    assert subscriber.webinar_announcements is False
    [record] = ConsentRecord.objects.filter(subscriber=subscriber)
    assert (record.topic, record.cite_id, record.given) == ("cite", lemay.pk, True)
    assert record.wording_version == "2026-12-suivi-v1"
    assert record.source == f"/lettre/suivre/{lemay.pk}/"

    [mail] = ses.messages()
    assert "les nouveautés de la cité Cité Lemay" in text_of(mail)
    assert "lettre d'information du Renouveau" not in text_of(mail).split("uniquement")[1]
    page = client.post(link_in(mail, r"https?://\S+/lettre/confirmation/\S+/"))
    html = as_typed(page.content.decode())
    assert "prochain numéro" not in html
    assert "les nouveautés de la cité Cité Lemay" in html
    assert "la lettre d'information du Renouveau" not in html
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber not in recipients(Segment(webinar_announcement=True))
    assert subscriber not in recipients(Segment())

    # The welcome mail says the same, with the preferences link.
    [welcome] = [m for m in ses.messages() if m["Subject"].startswith("Bienvenue")]
    assert welcome["To"] == "residente@example.org"
    assert "les nouveautés de la cité Cité Lemay" in text_of(welcome)
    assert "lettre d'information du Renouveau" not in text_of(welcome)
    assert f"/lettre/preferences/{unsubscribe_token(subscriber.pk)}/" in text_of(welcome)


def test_the_letter_and_announcements_each_have_their_consent(client, ses, immediate_tasks):
    form = client.get("/lettre/abonnement/").content.decode()
    assert 'name="webinar_announcements"' in form
    box = re.search(r'<input[^>]*name="webinar_announcements"[^>]*>', form).group(0)
    assert "checked" not in box  # never ticked in advance
    client.post(
        "/lettre/abonnement/",
        {"email": "lea@example.org", "consent": "on", "webinar_announcements": "on"},
    )
    subscriber = Subscriber.objects.get(email="lea@example.org")
    assert (subscriber.newsletter, subscriber.webinar_announcements) == (True, True)
    records = {r.topic: r for r in ConsentRecord.objects.filter(subscriber=subscriber)}
    assert set(records) == {"newsletter", "webinars"}
    assert records["newsletter"].wording_version == CONSENT_TEXT_VERSION
    assert records["webinars"].wording_version == "2026-12-webinaires-v1"
    [mail] = ses.messages()
    assert "les annonces des webinaires du programme" in text_of(mail)

    client.post("/lettre/abonnement/", {"email": "theo@example.org", "consent": "on"})
    theo = Subscriber.objects.get(email="theo@example.org")
    assert (theo.newsletter, theo.webinar_announcements) == (True, False)
    assert list(ConsentRecord.objects.filter(subscriber=theo).values_list("topic", flat=True)) == [
        "newsletter"
    ]


def test_announcements_turned_off_for_those_who_never_chose_them(db):
    """The data migration: only people who ticked announcements on the preferences page keep
    them; the others are turned off, each with a consent-withdrawal record saying why."""
    from importlib import import_module

    from django.apps import apps

    from tests.mailing.conftest import make_subscribers

    migration = import_module("mailing.migrations.0009_announcements_only_when_chosen")
    never, chose, unticked = make_subscribers(3, webinar_announcements=True)
    PreferenceChange.objects.create(
        subscriber=chose,
        changes={"webinar_announcements": {"avant": False, "après": True}},
        consent_text_version="v",
    )
    PreferenceChange.objects.create(
        subscriber=unticked,
        changes={"webinar_announcements": {"avant": True, "après": False}},
        consent_text_version="v",
    )
    migration.forwards(apps, None)
    wants = dict(Subscriber.objects.values_list("email", "webinar_announcements"))
    assert wants == {never.email: False, chose.email: True, unticked.email: False}
    logged = ConsentRecord.objects.filter(topic="webinars", given=False)
    assert set(logged.values_list("subscriber_id", flat=True)) == {never.pk, unticked.pk}
    assert "jamais choisies" in logged.first().source


def test_preferences_record_each_list_ticked_or_unticked(client, cites, db):
    from tests.mailing.conftest import make_subscribers

    lemay, _ = cites
    [subscriber] = make_subscribers(1)
    url = f"/lettre/preferences/{unsubscribe_token(subscriber.pk)}/"
    client.post(url, {"webinar_announcements": "on", "cites": [lemay.pk], "profile": ""})
    got = {
        (r.topic, r.cite_id, r.given) for r in ConsentRecord.objects.filter(subscriber=subscriber)
    }
    assert got == {("newsletter", None, False), ("webinars", None, True), ("cite", lemay.pk, True)}


def test_a_follower_asking_for_the_letter_confirms_it_by_a_link(
    client, cites, ses, immediate_tasks
):
    """A confirmed address that follows a cité only and then subscribes to the letter is not
    ignored: it confirms the letter (and announcements, if ticked) by a signed link."""
    from tests.mailing.conftest import make_subscribers

    lemay, _ = cites
    [follower] = make_subscribers(1, prefix="suiveuse", newsletter=False)
    follower.cites.add(lemay)
    answer = client.post(
        "/lettre/abonnement/",
        {"email": follower.email, "consent": "on", "webinar_announcements": "on"},
    )
    assert answer.status_code == 302  # the same answer as for any address
    follower.refresh_from_db()
    assert (follower.newsletter, follower.webinar_announcements) == (False, False)  # not yet
    [mail] = ses.messages()
    assert mail["Subject"] == "Confirmez votre abonnement au Renouveau du Bassin Minier"
    body = text_of(mail)
    assert "la lettre d'information et les annonces des webinaires" in body
    link = link_in(mail, r"https?://\S+/lettre/suivi/\S+/")
    assert "Je confirme" in client.get(link).content.decode()
    done = as_typed(client.post(link).content.decode())
    assert "la lettre d'information du Renouveau du Bassin Minier" in done
    follower.refresh_from_db()
    assert (follower.newsletter, follower.webinar_announcements) == (True, True)
    topics = set(follower.consents.filter(given=True).values_list("topic", flat=True))
    assert topics == {"newsletter", "webinars"}
