"""French typography in every kind of mail (issue 29, item 6): in the text a reader sees (HTML
text nodes and the text part, fixed template strings included), a non-breaking space before
« : ; ! ? » and inside « », and the typographic apostrophe."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from documents.models import DocumentRequest, RequestSource, RequestStatus
from documents.sending import link_mail
from mailing.delivery.alert_mail import render_alert
from mailing.models import CiteUpdate
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.mail_layout import render_mail
from tests.factories import CitiesIndexPageFactory, CityPageFactory
from webinar_registrations.mails import SUBJECTS, mail_context
from webinar_registrations.models import Registration

pytestmark = pytest.mark.django_db

_HIDDEN = re.compile(r"<(head|style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_ADDRESS = re.compile(r"(?:https?://|mailto:)\S+|\S+@\S+\.\w+")
RULES = {
    "espace ordinaire avant « : ; ! ? »": re.compile(r"\w[ ]+[:;!?»](?=\s|$)"),
    "espace ordinaire après « « »": re.compile(r"«[ ]"),
    "apostrophe droite": re.compile(r"[^\W\d_]'"),
}


def seen_text(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", "\n", _HIDDEN.sub("", html)))
    return _ADDRESS.sub("", text)


def faults(text: str) -> list[str]:
    text = _ADDRESS.sub("", text)
    return [
        f"{rule}: {m.group(0)!r}" for rule, regex in RULES.items() for m in regex.finditer(text)
    ]


@pytest.fixture
def every_mail(issue_2, make_webinar, referentiel):
    """(kind, HTML, text) of every kind of mail the site sends."""
    mails = []
    letter = render_issue(issue_2, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    mails.append(("lettre", letter.html, letter.text))

    index = CitiesIndexPageFactory(parent=issue_2.get_site().root_page)
    lemay = CityPageFactory(parent=index, title="Cité Lemay")
    update = CiteUpdate.objects.create(
        cite=lemay,
        source="page:1",
        kind="Actualité",
        title="L'isolation commence",
        url="https://x.fr/a/",
        summary="Une réunion d'information.",
        published_at=timezone.now(),
    )
    _, html, text = render_alert([update])
    mails.append(("alerte", html, text))

    base = {"confirm_url": "https://x.fr/c/", "follow_url": "https://x.fr/f/", "days": 7}
    context = {**base, "cites": ["Cité Lemay"], "newsletter": True, "cite": "Cité Lemay"}
    context["lists"] = ["la lettre d'information", "les nouveautés de la cité Lemay"]
    context["preferences_url"] = "https://x.fr/p/"
    for name in ("confirmation", "follow_confirmation", "welcome"):
        html, text = render_mail(f"mailing/email/{name}.html", f"mailing/email/{name}.txt", context)
        mails.append((name, html, text))

    webinar = make_webinar(
        title="L'isolation : retours", join_url="https://visio.example/j/1", dial_in="01 23"
    )
    registration = Registration.objects.create(
        webinar=webinar,
        email="a@example.org",
        name="A",
        profile="elu",
        registered_at=timezone.now(),
    )
    for kind in SUBJECTS:
        html, text = render_mail(
            "webinar_registrations/email/message.html",
            "webinar_registrations/email/message.txt",
            mail_context(registration, kind),
        )
        mails.append((f"webinaire {kind}", html, text))

    request = DocumentRequest.objects.create(
        document=referentiel,
        source=RequestSource.FORM,
        status=RequestStatus.QUEUED,
        email="a@example.org",
    )
    expires = timezone.now() + datetime.timedelta(days=7)
    html, text = link_mail(request, "https://x.fr/t/", expires)
    mails.append(("document", html, text))
    return mails


def test_every_kind_of_mail_follows_french_typography(every_mail):
    assert len(every_mail) == 12  # letter, alert, 3 opt-in mails, 6 webinar, document
    found = {
        kind: faults(seen_text(html)) + faults(text)
        for kind, html, text in every_mail
        if faults(seen_text(html)) + faults(text)
    }
    assert found == {}
