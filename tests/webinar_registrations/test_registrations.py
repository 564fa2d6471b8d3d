"""Registering to a webinar through real HTTP requests and real SES (moto): the form, the
confirmation with its .ics, the waiting list, the cancel link and the abuse protection."""

import re

import icalendar
import pytest

from tests.typography import as_typed
from webinar_registrations import mails as registration_mails
from webinar_registrations import registrations
from webinar_registrations.models import Registration

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Nadia Benali",
        "email": "Nadia.Benali@Example.org",
        "organisation": "Ville de Rouvroy",
        "profile": "elu",
        "website": "",
    }
    data.update(overrides)
    return data


def register_url(webinar) -> str:
    return f"/webinaires/{webinar.pk}/inscription/"


def subject_of(mail) -> str:
    return str(mail["Subject"]).strip()


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def ics_of(mail) -> icalendar.Calendar | None:
    for part in mail.iter_attachments():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return icalendar.Calendar.from_ical(content)
    return None


def cancel_link(mail) -> str:
    match = re.search(r"https?://\S+(/webinaires/inscription/annuler/\S+/)", text_of(mail))
    assert match, text_of(mail)
    return match.group(1)


def test_the_webinar_page_links_to_the_never_cached_form(client, webinar):
    page = client.get(webinar.url).content.decode()
    assert f'href="{register_url(webinar)}"' in page

    response = client.get(register_url(webinar))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "S'inscrire au webinaire" in as_typed(html) and webinar.title in html
    form = html.split('class="registration-form"', 1)[1].split("</form>", 1)[0]
    fields = (("name", "name"), ("email", "email"), ("organisation", "organization"))
    for name, autocomplete in fields:
        assert f'<label for="id_{name}">' in html
        [tag] = re.findall(rf'<input[^>]*\sname="{name}"[^>]*>', form)
        assert f'autocomplete="{autocomplete}"' in tag
    assert '<label for="id_profile">' in html and "Élu ou élue, collectivité" in html
    assert 'class="honeypot"' in html
    assert "csrfmiddlewaretoken" in html


def test_no_site_form_for_an_external_registration_or_a_past_webinar(client, make_webinar):
    external = make_webinar(registration_url="https://example.org/inscription")
    assert register_url(external) not in client.get(external.url).content.decode()
    assert client.get(register_url(external)).status_code == 410

    past = make_webinar(start=registrations.timezone.now() - registrations.timedelta(days=3))
    assert register_url(past) not in client.get(past.url).content.decode()
    response = client.get(register_url(past))
    assert response.status_code == 410
    assert "Inscriptions closes" in response.content.decode()
    assert client.post(register_url(past), form_data()).status_code == 410
    assert client.get("/webinaires/999999/inscription/").status_code == 404


def test_an_unpublished_webinar_has_no_form(client, webinar):
    webinar.unpublish()
    assert client.get(register_url(webinar)).status_code == 404


def test_registering_sends_the_confirmation_with_the_ics_and_a_cancel_link(
    client, ses, immediate_tasks, webinar, settings
):
    settings.MAILING_REPLY_TO = "equipe@renouveaubassinminier.fr"
    response = client.post(register_url(webinar), form_data(), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    assert response["Location"] == f"/webinaires/{webinar.pk}/inscription/merci/"
    done = client.get(response["Location"]).content.decode()
    assert "Vérifiez votre messagerie" in done and "liste d'attente" not in done

    registration = Registration.objects.get()
    assert registration.email == "nadia.benali@example.org"
    assert registration.status == Registration.Status.REGISTERED
    assert (registration.name, registration.organisation, registration.profile) == (
        "Nadia Benali",
        "Ville de Rouvroy",
        "elu",
    )
    assert registration.ip_hash and "192.0.2.10" not in registration.ip_hash

    [mail] = ses.messages()
    assert mail["To"] == "nadia.benali@example.org"
    assert mail["Reply-To"] == "equipe@renouveaubassinminier.fr"
    assert subject_of(mail) == f"Inscription confirmée\u00a0: {webinar.title}"
    # Nothing typed by the visitor goes into the mail: the form cannot carry spam to anyone.
    assert "Nadia" not in text_of(mail) and "Rouvroy" not in text_of(mail)
    assert "Nadia" not in mail.get_body(("html",)).get_content()
    assert "\u00a0:" in text_of(mail)  # French typography
    calendar = ics_of(mail)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == webinar.title
    assert event.decoded("dtstart") == webinar.start
    assert cancel_link(mail) in mail.get_body(("html",)).get_content()


def test_invalid_input_gets_french_messages_and_a_400(client, ses, immediate_tasks, webinar):
    response = client.post(register_url(webinar), form_data(email="nadia@", name="", profile=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "Saisissez une adresse électronique valide" in html
    assert "Saisissez votre prénom et votre nom." in html
    assert "Choisissez ce qui vous décrit le mieux." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_email_error"' in html
    assert client.post(register_url(webinar), form_data(profile="pirate")).status_code == 400
    assert not Registration.objects.exists()
    assert ses.messages() == []


def test_a_bot_filling_the_honeypot_gets_the_same_answer_and_nothing_happens(
    client, ses, immediate_tasks, webinar
):
    response = client.post(register_url(webinar), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert ses.messages() == []


def test_registering_twice_makes_no_duplicate_and_gives_the_same_answer(
    client, ses, immediate_tasks, webinar
):
    first = client.post(register_url(webinar), form_data())
    second = client.post(register_url(webinar), form_data(email="nadia.benali@example.org "))
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert Registration.objects.count() == 1
    # The lost confirmation is sent again, with the same cancel link.
    mails = ses.messages()
    assert len(mails) == 2 and cancel_link(mails[0]) == cancel_link(mails[1])
    token = cancel_link(mails[0]).rstrip("/").rsplit("/", 1)[1]
    assert registration_mails.registration_from_cancel_token(token) == Registration.objects.get()


def test_rate_limits_per_ip_and_per_address(client, ses, immediate_tasks, webinar, settings):
    settings.WEBINAR_REGISTER_RATE_PER_EMAIL = "2/d"
    settings.WEBINAR_REGISTER_RATE_PER_IP = "4/h"
    for _ in range(3):
        assert client.post(register_url(webinar), form_data()).status_code == 302
    assert len(ses.messages()) == 2  # the third got the same answer but no mail

    client.post(register_url(webinar), form_data(email="autre@example.org"))
    response = client.post(register_url(webinar), form_data(email="encore@example.org"))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not Registration.objects.filter(email="encore@example.org").exists()


def test_the_cancel_link_asks_then_cancels_once_and_one_may_register_again(
    client, ses, immediate_tasks, webinar
):
    client.post(register_url(webinar), form_data())
    link = cancel_link(ses.messages()[0])

    page = client.get(link)  # mail scanners follow links: nothing changes
    assert page.status_code == 200
    assert "J'annule mon inscription" in as_typed(page.content.decode())
    assert Registration.objects.get().status == Registration.Status.REGISTERED

    done = client.post(link)
    assert done.status_code == 200 and "Inscription annulée" in done.content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.cancelled_at is not None
    assert client.post(link).status_code == 200  # again: harmless

    client.post(register_url(webinar), form_data())
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    new_link = cancel_link(ses.messages()[-1])
    assert new_link != link
    # The old link no longer cancels the new registration.
    assert client.post(link).status_code == 404
    assert Registration.objects.get().status == Registration.Status.REGISTERED
    assert client.get("/webinaires/inscription/annuler/faux-jeton/").status_code == 404


def test_full_webinar_waiting_list_then_promotion_when_someone_cancels(
    client, ses, immediate_tasks, webinar
):
    registrations.set_capacity(webinar, capacity=1, open=True)
    client.post(register_url(webinar), form_data(email="premiere@example.org"))

    form_page = client.get(register_url(webinar)).content.decode()
    assert "Ce webinaire est complet." in form_page
    response = client.post(register_url(webinar), form_data(email="seconde@example.org"))
    assert response["Location"].endswith("?attente=1")
    assert "liste d'attente" in as_typed(client.get(response["Location"]).content.decode())

    second = Registration.objects.get(email="seconde@example.org")
    assert second.status == Registration.Status.WAITING
    first_mail, waiting_mail = ses.messages()
    assert subject_of(waiting_mail).startswith("Liste d'attente")
    assert ics_of(waiting_mail) is None  # no seat yet, no event in the agenda

    ses.reset()
    ses.verify_sender("contact@renouveaubassinminier.fr")
    client.post(cancel_link(first_mail))
    second.refresh_from_db()
    assert second.status == Registration.Status.REGISTERED and second.promoted_at
    [promoted] = ses.messages()
    assert promoted["To"] == "seconde@example.org"
    assert subject_of(promoted).startswith("Une place s'est libérée")
    assert ics_of(promoted) is not None
    assert registrations.counts(webinar) == {
        "registered": 1,
        "waiting": 0,
        "cancelled": 1,
        "attended": 0,
    }


def test_more_places_promote_the_waiting_list_in_order(ses, webinar):
    registrations.set_capacity(webinar, capacity=1, open=True)
    for name in ("a", "b", "c"):
        registrations.register(webinar, email=f"{name}@example.org", name=name, profile="autre")
    assert registrations.counts(webinar)["waiting"] == 2

    promoted = registrations.set_capacity(webinar, capacity=2, open=True)
    assert [r.email for r in promoted] == ["b@example.org"]
    assert Registration.objects.get(email="c@example.org").status == Registration.Status.WAITING
    assert [m["To"] for m in ses.messages()] == ["b@example.org"]


def test_no_promotion_once_the_webinar_is_over(ses, webinar):
    registrations.set_capacity(webinar, capacity=1, open=True)
    registrations.register(webinar, email="a@example.org", name="A", profile="autre")
    registrations.register(webinar, email="b@example.org", name="B", profile="autre")
    webinar.start -= registrations.timedelta(days=10)
    webinar.end -= registrations.timedelta(days=10)
    webinar.save()
    assert registrations.set_capacity(webinar, capacity=5, open=True) == []
    assert Registration.objects.get(email="b@example.org").status == Registration.Status.WAITING
    assert ses.messages() == []


def test_closing_registration_hides_the_form(client, webinar):
    registrations.set_capacity(webinar, capacity=None, open=False)
    assert register_url(webinar) not in client.get(webinar.url).content.decode()
    assert client.get(register_url(webinar)).status_code == 410


def test_confirmation_mails_are_capped_per_domain_and_for_the_site(
    client, ses, immediate_tasks, webinar, settings
):
    settings.WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR = 2
    settings.WEBINAR_CONFIRMATIONS_PER_HOUR = 3
    for i in range(3):
        client.post(register_url(webinar), form_data(email=f"p{i}@cible.example"))
    assert len(ses.messages()) == 2
    capped = Registration.objects.get(email="p2@cible.example")
    assert "plafond du domaine cible.example" in capped.mail_error
    client.post(register_url(webinar), form_data(email="autre@example.org"))
    assert "plafond du site" in Registration.objects.get(email="autre@example.org").mail_error
    assert len(ses.messages()) == 2


def test_with_the_page_cache_on_cookieless_visitors_each_register(
    settings, webinar, ses, immediate_tasks
):
    """The webinar page is served from the cache (it only links to the form); the form page is
    never cached and gives each visitor their own CSRF cookie, so that the POST works."""
    from django.core.cache import caches
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    Client().get("/")  # the first page view creates the site settings (and so invalidates)
    assert Client().get(webinar.url)["X-Page-Cache"] == "miss"
    cached = Client().get(webinar.url)
    assert cached["X-Page-Cache"] == "hit"
    assert register_url(webinar) in cached.content.decode()

    for number in (1, 2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(register_url(webinar))
        assert "X-Page-Cache" not in page
        assert "no-store" in page["Cache-Control"]
        assert "csrftoken" in page.cookies
        data = form_data(email=f"visiteur{number}@example.org")
        data["csrfmiddlewaretoken"] = str(page.context["csrf_token"])
        assert visitor.post(register_url(webinar), data).status_code == 302
    assert Registration.objects.filter(email__startswith="visiteur").count() == 2

    # Staff close the registrations: the cached page loses its button at once.
    registrations.set_capacity(webinar, capacity=None, open=False)
    assert register_url(webinar) not in Client().get(webinar.url).content.decode()
    caches["default"].clear()
