"""Subscribing, confirming and unsubscribing through real HTTP requests and real SES (moto)."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from mailing.audience.consents import CONSENT_TEXT_VERSION
from mailing.audience.hygiene import flag_inactive, purge_unconfirmed
from mailing.audience.subscriptions import start_subscription
from mailing.audience.tokens import unsubscribe_url
from mailing.models import Subscriber
from tests.factories import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/lettre/abonnement/"


def form_data(**overrides):
    data = {
        "email": "Habitante@Example.org",
        "first_name": "Nadia",
        "profile": "habitant",
        "consent": "on",
        "website": "",
        "source": "/lettre/",
    }
    data.update(overrides)
    return data


def confirmation_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+/lettre/confirmation/\S+/", text)
    assert match, text
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_form_page_is_in_french_with_labels_and_consent_wording(client, communes):
    response = client.get(SUBSCRIBE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "S'abonner à la lettre d'information" in as_typed(html)
    assert '<label for="id_email">' in html
    assert "Je pourrai me désabonner à tout moment" in html
    assert "Vicq" in html  # communes of interest offered
    assert 'class="honeypot"' in html


def test_double_opt_in_records_consent_and_confirms_once(client, ses, immediate_tasks, communes):
    response = client.post(
        SUBSCRIBE,
        form_data(communes=[communes[0].pk, communes[1].pk]),
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    assert response["Location"] == "/lettre/abonnement/merci/"

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "habitante@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.profile == "habitant"
    assert subscriber.consent_text_version == CONSENT_TEXT_VERSION
    assert subscriber.consent_source == "/lettre/"
    assert subscriber.consent_at is not None
    assert subscriber.consent_ip_hash and "192.0.2.10" not in subscriber.consent_ip_hash
    assert set(subscriber.communes.all()) == {communes[0], communes[1]}

    [mail] = ses.messages()
    assert mail["To"] == "habitante@example.org"
    assert "Confirmez votre abonnement" in mail["Subject"]
    assert "Nadia" not in mail.as_string()  # nothing typed by the visitor is mailed back
    link = path_of(confirmation_link(mail))

    # Following the link (or a mail scanner doing so) changes nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Je confirme mon abonnement" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    done = client.post(link)
    assert "Abonnement confirmé" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    confirmed_at = subscriber.confirmed_at
    assert confirmed_at is not None

    again = client.post(link)
    assert again.status_code == 200
    assert "Abonnement déjà confirmé" in again.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at


def test_same_answer_for_known_and_unknown_addresses_and_no_mail_to_confirmed(
    client, ses, immediate_tasks
):
    Subscriber.objects.create(
        email="deja@example.org", status="confirmed", consent_text_version="v0"
    )
    known = client.post(SUBSCRIBE, form_data(email="DEJA@example.org"))
    unknown = client.post(SUBSCRIBE, form_data(email="nouveau@example.org"))
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m["To"] for m in ses.messages()] == ["nouveau@example.org"]
    assert Subscriber.objects.get(email="deja@example.org").status == "confirmed"


def test_invalid_input_gets_french_errors_and_a_400(client, ses, immediate_tasks):
    response = client.post(SUBSCRIBE, form_data(email="pas-une-adresse", consent=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Saisissez une adresse électronique valide" in html
    assert "Cochez la case pour confirmer votre accord." in html
    assert 'aria-invalid="true"' in html
    bad_commune = client.post(SUBSCRIBE, form_data(communes=["999999"]))
    assert bad_commune.status_code == 400
    assert not Subscriber.objects.exists()
    assert ses.messages() == []


def test_honeypot_gets_the_usual_answer_but_nothing_happens(client, ses, immediate_tasks):
    response = client.post(SUBSCRIBE, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == "/lettre/abonnement/merci/"
    assert not Subscriber.objects.exists()
    assert ses.messages() == []


def test_rate_limits_per_ip_and_per_address(client, ses, immediate_tasks, settings):
    settings.MAILING_SUBSCRIBE_RATE_PER_IP = "4/h"
    settings.MAILING_SUBSCRIBE_RATE_PER_EMAIL = "2/d"
    statuses = [
        client.post(SUBSCRIBE, form_data(email="cible@example.org")).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]  # the third is told in words (tests/privacy)
    assert len(ses.messages()) == 2  # and sent no mail

    client.post(SUBSCRIBE, form_data(email="autre@example.org"))
    limited = client.post(SUBSCRIBE, form_data(email="encore@example.org"))
    assert limited.status_code == 429
    assert "Trop de demandes" in limited.content.decode()
    assert not Subscriber.objects.filter(email="encore@example.org").exists()

    other_ip = client.post(SUBSCRIBE, form_data(email="encore@example.org"), REMOTE_ADDR="10.1.1.1")
    assert other_ip.status_code == 302


def test_expired_and_tampered_confirmation_links(client, ses, immediate_tasks, monkeypatch):
    start_subscription(email="lent@example.org", source="/lettre/")
    link = path_of(confirmation_link(ses.messages()[0]))
    tampered = client.post(link.replace("/confirmation/", "/confirmation/x"))
    assert tampered.status_code == 400
    assert "Lien non valable" in tampered.content.decode()

    eight_days_later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_later)
    expired = client.post(link)
    assert expired.status_code == 410
    assert "Lien expiré" in expired.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_one_click_unsubscribe_get_changes_nothing_post_needs_no_csrf(ses):
    subscriber = Subscriber.objects.create(
        email="partant@example.org", status="confirmed", consent_text_version="v0"
    )
    client = Client(enforce_csrf_checks=True)
    path = path_of(unsubscribe_url(subscriber.pk))

    page = client.get(path)
    assert page.status_code == 200
    assert "Me désabonner" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"

    # RFC 8058: what a mail provider posts, with no cookie and no token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Désabonnement enregistré" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert subscriber.unsubscribed_at is not None

    again = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200

    forged = client.post(path[:-3] + "xx/")
    assert forged.status_code == 404
    assert client.get("/lettre/desabonnement/").status_code == 200


def test_resubscribing_after_unsubscribing_goes_through_opt_in_again(client, ses, immediate_tasks):
    with freeze_time(timezone.now()) as clock:
        start_subscription(email="retour@example.org", source="/lettre/")
        first_link = path_of(confirmation_link(ses.messages()[0]))
        client.post(first_link)
        subscriber = Subscriber.objects.get()
        client.post(path_of(unsubscribe_url(subscriber.pk)))
        subscriber.refresh_from_db()
        assert subscriber.status == "unsubscribed"

        # An old confirmation link does not bring an unsubscribed reader back.
        assert client.post(first_link).status_code == 400
        subscriber.refresh_from_db()
        assert subscriber.status == "unsubscribed"

        ses.reset()
        ses.verify_sender("contact@renouveaubassinminier.fr")
        clock.tick(2)  # a new consent gets a new timestamp, hence a new link
        client.post(SUBSCRIBE, form_data(email="retour@example.org"))
        subscriber.refresh_from_db()
        assert subscriber.status == "pending"
        new_link = path_of(confirmation_link(ses.messages()[0]))
        assert new_link != first_link
        client.post(new_link)
        subscriber.refresh_from_db()
        assert subscriber.status == "confirmed"


def test_suppressed_addresses_are_not_resubscribed_silently(ses, immediate_tasks):
    Subscriber.objects.create(email="rebond@example.org", status="bounced", consent_text_version="")
    start_subscription(email="rebond@example.org", source="/ressources/")
    assert Subscriber.objects.get().status == "bounced"
    assert ses.messages() == []


def test_start_subscription_is_the_entry_point_for_other_forms(ses, immediate_tasks, communes):
    start_subscription(
        email="Demandeur@example.org",
        first_name="",
        profile="elu",
        communes=[communes[2]],
        source="/ressources/referentiel/",
        consent_text_version="documents-2026-11",
    )
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.profile, subscriber.consent_source) == (
        "demandeur@example.org",
        "elu",
        "/ressources/referentiel/",
    )
    assert subscriber.consent_text_version == "documents-2026-11"
    assert list(subscriber.communes.all()) == [communes[2]]
    [mail] = ses.messages()
    assert mail["To"] == "demandeur@example.org"


def test_purge_of_unconfirmed_after_30_days_and_flag_after_3_years_inactive():
    now = timezone.now()
    old = now - timezone.timedelta(days=31)
    recent = now - timezone.timedelta(days=5)
    Subscriber.objects.create(email="oubli@example.org", status="pending", consent_at=old)
    Subscriber.objects.create(email="recent@example.org", status="pending", consent_at=recent)
    Subscriber.objects.create(
        email="ancien@example.org",
        status="confirmed",
        consent_at=now - timezone.timedelta(days=4 * 365),
        confirmed_at=now - timezone.timedelta(days=4 * 365),
        last_interaction_at=now - timezone.timedelta(days=3 * 365 + 10),
    )
    Subscriber.objects.create(
        email="actif@example.org",
        status="confirmed",
        confirmed_at=now - timezone.timedelta(days=4 * 365),
        last_interaction_at=now - timezone.timedelta(days=30),
    )
    assert purge_unconfirmed() == 1
    assert flag_inactive() == 1
    assert flag_inactive() == 0  # flagged once
    emails = set(Subscriber.objects.values_list("email", flat=True))
    assert emails == {"recent@example.org", "ancien@example.org", "actif@example.org"}
    assert Subscriber.objects.get(email="ancien@example.org").renewal_flagged_at is not None
    assert Subscriber.objects.get(email="actif@example.org").renewal_flagged_at is None


def test_hygiene_command(capsys):
    from django.core.management import call_command

    Subscriber.objects.create(
        email="oubli@example.org",
        status="pending",
        consent_at=timezone.now() - timezone.timedelta(days=40),
    )
    call_command("mailing_hygiene")
    assert "1 unconfirmed address(es) purged" in capsys.readouterr().out
    assert not Subscriber.objects.exists()


def test_email_is_unique_whatever_the_case():
    from django.db import IntegrityError, transaction

    Subscriber.objects.create(email="unique@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="UNIQUE@example.org")


def test_the_form_can_be_embedded_with_a_template_tag(rf, communes):
    from django.middleware.csrf import get_token
    from django.template import engines

    request = rf.get("/lettre/")
    token = get_token(request)
    template = engines["django"].from_string(
        "{% load mailing_tags %}{% subscription_form title='Recevoir la lettre' %}"
    )
    html = template.render({"request": request, "csrf_token": token}, request)
    assert 'action="/lettre/abonnement/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="abonnement-email"' in html  # distinct from the host page's own form ids
    assert 'name="source" value="/lettre/"' in html
    assert "<h2" in html and "Recevoir la lettre" in html


def test_the_newsletter_archive_shows_the_subscription_form(client, home_page):
    NewsletterIssuePageFactory(parent=NewsletterIndexPageFactory(parent=home_page))
    response = client.get("/lettre/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "S'abonner à la lettre" in as_typed(html)
    assert 'action="/lettre/abonnement/"' in html
    assert 'name="source" value="/lettre/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
