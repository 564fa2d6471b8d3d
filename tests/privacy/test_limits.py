"""Limits never fail silently: a person's normal requests all go through, and a limited one is
answered in words, the same whatever the address."""

import re

import pytest

from mailing.models import Subscriber
from tests.factories import CityPageFactory
from tests.mailing.conftest import make_subscribers
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


def link_in(message, pattern: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(pattern, text)
    assert match, text
    return "/" + match.group(0).split("/", 3)[3]


def test_subscribe_confirm_follow_four_cites_stop_and_come_back(
    client, cites, ses, immediate_tasks
):
    index = cites[0].get_parent()
    four = [*cites, *(CityPageFactory(parent=index, title=f"Cité n°{n}") for n in (3, 4))]
    email = "habitante@example.org"
    client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
    [confirmation] = ses.messages()
    client.post(link_in(confirmation, r"https?://\S+/lettre/confirmation/\S+/"))
    assert Subscriber.objects.get(email=email).status == "confirmed"
    assert any(m["Subject"].startswith("Bienvenue") for m in ses.messages())

    for cite in four:
        answer = client.post(f"/lettre/suivre/{cite.pk}/", {"email": email, "consent": "on"})
        assert answer.status_code == 302
        page = client.get(answer["Location"])
        assert "Vérifiez votre messagerie" in page.content.decode()
    follow_mails = [m for m in ses.messages() if m["Subject"].startswith("Confirmez le suivi")]
    assert len(follow_mails) == 4  # each request got its mail

    # « Me désabonner de tout », then subscribing again sends the confirmation.
    subscriber = Subscriber.objects.get(email=email)
    from mailing.audience.tokens import unsubscribe_token

    client.post(f"/lettre/desabonnement/{unsubscribe_token(subscriber.pk)}/")
    before = len(ses.messages())
    again = client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
    assert again.status_code == 302
    assert len(ses.messages()) == before + 1
    assert ses.messages()[-1]["Subject"].startswith("Confirmez votre abonnement")

    # Beyond the limit: said in words, no mail.
    limited = client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
    assert limited.status_code == 429
    text = as_typed(limited.content.decode())
    assert "Un message a déjà été envoyé à cette adresse il y a moins de 60 minutes" in text
    assert "vérifiez vos courriers indésirables" in text
    assert len(ses.messages()) == before + 1


def test_the_limited_answer_is_the_same_for_known_and_unknown_addresses(
    client, ses, immediate_tasks, settings
):
    settings.MAILING_SUBSCRIBE_RATE_PER_EMAIL = "1/h"
    [known] = make_subscribers(1, prefix="connue")
    answers = []
    for email in (known.email, "inconnue@example.org"):
        client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
        limited = client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
        answers.append((limited.status_code, limited.content.decode().replace(email, "")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429
