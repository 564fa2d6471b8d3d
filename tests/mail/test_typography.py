"""French typography in every kind of mail (issue 29, item 6): in the text a reader sees (HTML
text nodes, the attributes read to people, and the text part, fixed template strings included),
a non-breaking space before « : ; ! ? » and inside « », and the typographic apostrophe. The
same check as every public page's (tests/public/test_typography_everywhere.py)."""

import datetime

import pytest
from django.utils import timezone

from documents.models import DocumentRequest, RequestSource, RequestStatus
from documents.sending import link_mail
from mailing.delivery.alert_mail import render_alert
from mailing.models import CiteUpdate
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.mail_layout import render_mail
from tests.factories import CitiesIndexPageFactory, CityPageFactory
from tests.pages import add_blocks
from tests.typography import text_typography_faults, typography_faults
from webinar_registrations.mails import SUBJECTS, mail_context
from webinar_registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_mail(issue, legal_notice, make_webinar, referentiel):
    """(kind, HTML, text) of every kind of mail the site sends."""
    mails = []
    # The letter's blocks, and French punctuation typed plainly as editors do.
    article = {"title": "Des habitants mobilisés !", "text": "<p>« Oui » : l'isolation ; qui ?</p>"}
    add_blocks(issue, ("article", article))
    letter = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    mails.append(("lettre", letter.html, letter.text))
    test = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, previews=True)
    mails.append(("envoi de test", test.html, test.text))

    index = CitiesIndexPageFactory(parent=issue.get_site().root_page)
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
    # letter, test send, alert, 3 opt-in mails, 6 webinar mails, document link
    assert len(every_mail) == 13
    found = [
        fault
        for kind, html, text in every_mail
        for fault in typography_faults(html, kind) + text_typography_faults(text, f"{kind} (texte)")
    ]
    assert found == [], "\n".join(found)
