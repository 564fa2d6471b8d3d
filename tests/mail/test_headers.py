"""Headers and parts of the transactional mails (issue 29, item 1): Auto-Submitted as RFC 3834
means it, the reply to an e-mailed request in its thread, srcset with sizes, the preheader not
drawn white-on-white."""

import re

import pytest
from django.template.loader import render_to_string

from mailing.audience.subscriptions import start_subscription
from renouveau.mail_layout import PREHEADER_COLOUR, mjml_to_html

pytestmark = pytest.mark.django_db


def test_an_emailed_request_is_answered_auto_replied_in_its_thread(
    client, inbound, ses, referentiel
):
    mail = inbound.mail(subject="Demande", body="Le référentiel d'ambitions partagées, merci.")
    assert inbound.post(client, inbound.notification(mail)).status_code == 200
    [answer] = [m for m in ses.messages() if "jeanne@example.org" in m["To"]]
    assert answer["Auto-Submitted"] == "auto-replied"
    assert answer["In-Reply-To"] == mail["Message-ID"] == answer["References"]


def test_the_form_answer_is_auto_generated_with_a_download_button(client, ses, referentiel):
    from tests.documents.test_request_form import VALID, form_url

    assert client.post(form_url(referentiel), VALID).status_code == 302
    [message] = ses.messages()
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["In-Reply-To"] is None
    html = message.get_body(("html",)).get_content()
    [button] = re.findall(r'<a href="([^"]+)"[^>]*>\s*Télécharger le document', html)
    assert "/ressources/telecharger/" in button


def test_the_opt_in_mail_is_auto_generated(ses, immediate_tasks):
    start_subscription(
        email="lecteur@example.org",
        first_name="",
        profile="habitant",
        communes=(),
        source="test",
        consent_text_version="v1",
    )
    [message] = ses.messages()
    assert message["Auto-Submitted"] == "auto-generated"


def test_an_image_of_the_letter_says_its_display_width():
    image = {"src": "https://x.fr/a.jpg", "src2x": "https://x.fr/b.jpg", "width": 6, "height": 3}
    html = render_to_string("newsletter/blocks/_image.mjml.html", {"image": image, "no_credit": 1})
    assert 'sizes="(max-width: 600px) 100vw, 552px"' in html


def test_the_preheader_is_not_white_on_white():
    html = mjml_to_html(
        "<mjml><mj-head><mj-preview>Aperçu</mj-preview></mj-head>"
        "<mj-body><mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body></mjml>"
    )
    [style] = re.findall(r'<div style="([^"]*)">Aperçu', html)
    assert f"color:{PREHEADER_COLOUR}" in style and "#ffffff" not in style
