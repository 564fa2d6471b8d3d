"""Forms built in the admin (issue 16 item 4): submissions stored, notification through the
site's mail path (SES via moto_server), honeypot and per-IP rate limit as the other forms."""

from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission

from tests.pages import contact_form
from tests.typography import as_typed

ANSWER = {
    "nom": "Claire Martin",
    "adresse_electronique": "claire@example.org",
    "organisme": "Ville de Vicq",
    "objet": "Question sur une cité",
    "message": "Quand commencent les travaux ?",
}


@pytest.fixture
def contact_page(home_page, settings):
    cache.clear()  # rate-limit counters
    return contact_form(home_page, to_address="equipe@example.org")


@pytest.mark.django_db
def test_a_visitor_sends_the_contact_form_and_staff_are_notified(contact_page, ses, client):
    form = unescape(client.get("/contact/").content.decode())
    assert '<label for="id_adresse_electronique">Adresse électronique' in form
    assert 'name="website"' in form  # the honeypot

    response = client.post("/contact/", ANSWER)
    # POST/redirect/GET: the thank-you page is a GET, so that reloading it sends nothing again.
    assert response.status_code == 303
    assert response["Location"] == "/contact/?envoye=1"
    thanks = client.get(response["Location"])
    assert "Merci, votre message a bien été envoyé" in unescape(thanks.content.decode())
    client.get(response["Location"])  # reloaded
    submission = FormSubmission.objects.get(page=contact_page)
    assert submission.get_data()["message"] == "Quand commencent les travaux ?"

    (message,) = ses.messages()
    assert message["To"] == "equipe@example.org"
    assert message["Reply-To"] == "claire@example.org"  # staff answer the visitor directly
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Message: Quand commencent les travaux ?" in body
    assert "Organisme: Ville de Vicq" in body


@pytest.mark.django_db
def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_recorded(contact_page, ses, client):
    response = client.post("/contact/", {**ANSWER, "website": "http://spam.example"}, follow=True)
    assert response.redirect_chain == [("/contact/?envoye=1", 303)]
    assert "Merci" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert ses.messages() == []


@pytest.mark.django_db
def test_submissions_are_rate_limited_per_visitor(contact_page, settings):
    settings.FORM_PAGE_RATE_PER_IP = "2/h"
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    assert visitor.post("/contact/", ANSWER).status_code == 303
    assert visitor.post("/contact/", ANSWER).status_code == 303
    limited = visitor.post("/contact/", ANSWER)
    assert limited.status_code == 429
    assert "Trop d'envois depuis votre connexion" in as_typed(limited.content.decode())
    assert FormSubmission.objects.count() == 2
    # Another visitor is not affected.
    assert Client(REMOTE_ADDR="198.51.100.4").post("/contact/", ANSWER).status_code == 303


@pytest.mark.django_db
def test_submissions_export_as_csv_in_the_admin(contact_page, client, django_user_model):
    client.post("/contact/", ANSWER)
    client.force_login(django_user_model.objects.create_superuser("chef", "c@example.org", "x"))
    export = client.get(f"/admin/forms/submissions/{contact_page.pk}/?export=csv")
    assert export.status_code == 200
    assert "Quand commencent les travaux ?" in b"".join(export.streaming_content).decode()


@pytest.mark.django_db
def test_a_missing_answer_is_announced_next_to_its_field(contact_page, client):
    response = client.post("/contact/", {**ANSWER, "message": "", "adresse_electronique": "x@"})
    html = unescape(response.content.decode())
    assert "<title>Erreur\u00a0– Nous contacter" in html
    assert "Le formulaire contient 2 erreurs" in html
    # The summary links each error, in the field's own words, to its field.
    assert '<a href="#id_message">Renseignez le champ «\u00a0Message\u00a0».</a>' in html
    assert '<a href="#id_adresse_electronique">Saisissez une adresse e-mail valide' in as_typed(
        html
    )
    error = html.split('<p class="form-error" id="id_message_error">', 1)[1].split("</p>", 1)[0]
    assert error == "Renseignez le champ «\u00a0Message\u00a0».", error
    assert 'aria-invalid="true" aria-describedby="id_message_error"' in html
    assert not FormSubmission.objects.exists()
