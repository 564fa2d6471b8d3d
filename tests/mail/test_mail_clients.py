"""Every transactional mail in the mail clients (issue 29, « Done when »): doiuse-email
(caniemail.com's data) finds nothing for Gmail, Outlook, Apple Mail and Orange beyond the
documented idioms of the letter's allow-list, and axe-core finds no serious or critical violation
in the browser, light and dark (prefers-color-scheme, as Apple Mail and others honour it)."""

import pytest
from django.utils import timezone

from documents.models import DocumentRequest, RequestSource, RequestStatus
from documents.sending import link_mail
from mailing.delivery.alert_mail import render_alert
from mailing.models import CiteUpdate
from renouveau.mail_layout import render_mail
from tests.e2e.axe import BLOCKING_IMPACTS, axe_violations
from tests.factories import CitiesIndexPageFactory, CityPageFactory
from tests.newsletter.test_email_support import ALLOWED, unsupported
from webinar_registrations.mails import SUBJECTS, mail_context
from webinar_registrations.models import Registration

pytestmark = pytest.mark.django_db

TO = "jeanne.martin@example.org"
SIGN_UP_CONTEXT = {
    "confirm_url": "https://renouveaubassinminier.fr/lettre/confirmer/abc/",
    "follow_url": "https://renouveaubassinminier.fr/lettre/suivre/confirmer/abc/",
    "preferences_url": "https://renouveaubassinminier.fr/lettre/preferences/abc/",
    "days": 7,
    "cites": ["Cité Lemay"],
    "cite": "Cité Lemay",
    "newsletter": True,
    "lists": ["la lettre d’information", "les nouveautés de la cité Lemay"],
}


@pytest.fixture
def mails(home_page, webinar, referentiel) -> dict[str, str]:
    """The HTML of every kind of transactional mail, by kind, as the site renders them."""
    found = {}
    for name in ("confirmation", "follow_confirmation", "welcome"):
        found[name], _ = render_mail(
            f"mailing/email/{name}.html", f"mailing/email/{name}.txt", SIGN_UP_CONTEXT
        )
    registration = Registration.objects.create(
        webinar=webinar, email=TO, name="Jeanne", profile="elu", registered_at=timezone.now()
    )
    for kind in SUBJECTS:
        found[f"webinaire {kind}"], _ = render_mail(
            "webinar_registrations/email/message.html",
            "webinar_registrations/email/message.txt",
            mail_context(registration, kind),
        )
    request = DocumentRequest.objects.create(
        document=referentiel, source=RequestSource.FORM, status=RequestStatus.QUEUED, email=TO
    )
    found["lien de document"], _ = link_mail(
        request, "https://renouveaubassinminier.fr/ressources/telecharger/x/", timezone.now()
    )
    index = CitiesIndexPageFactory(parent=home_page)
    updates = [
        CiteUpdate.objects.create(
            cite=CityPageFactory(parent=index, title=title),
            source=f"page:{number}",
            kind="Actualité",
            title=f"Les travaux commencent à la {title}",
            url=f"https://renouveaubassinminier.fr/actualites/{number}/",
            summary="Les habitants sont invités à une réunion d’information sur le chantier.",
            published_at=timezone.now(),
        )
        for number, title in enumerate(("Cité Lemay", "Cité du Pinson"))
    ]
    _, found["alerte cités"], _ = render_alert(updates)
    return found


def test_every_mail_uses_nothing_unsupported_beyond_the_documented_idioms(mails, tmp_path):
    beyond = {}
    for kind, html in mails.items():
        path = tmp_path / "mail.html"
        path.write_text(html, encoding="utf-8")
        found = unsupported(path)
        assert found, f"{kind}: doiuse-email reported nothing: is it running?"
        extra = {feature: sorted(c) for feature, c in found.items() if feature not in ALLOWED}
        if extra:
            beyond[kind] = extra
    assert beyond == {}


def test_no_serious_axe_violation_in_any_mail_light_or_dark(mails, browser):
    failures = []
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 375, "height": 700}, color_scheme=scheme)
        page.route("**/*", lambda route: route.abort())  # no remote image in a test
        for kind, html in mails.items():
            page.set_content(html)
            failures += [
                f"{kind} ({scheme}) [{v['impact']}] {v['id']}: {v['nodes'][0]['target']}"
                for v in axe_violations(page)
                if v["impact"] in BLOCKING_IMPACTS
            ]
        page.close()
    assert not failures, "\n".join(failures)
