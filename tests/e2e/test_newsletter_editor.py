"""Issue 14 in a real browser, items 4 and 7: the pre-send checks as an editor meets them in the
Wagtail admin (where and how to fix, a blocking problem stops the send, a warning needs an
acknowledgement recorded on the campaign), and the campaign mail as a subscriber receives it
(footer, headers, line endings), opened in a browser of their own."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mailing.models import Campaign, CampaignEvent
from tests.mailing.conftest import make_subscribers
from tests.pages import legal_notice

pytestmark = pytest.mark.e2e

PUBLIC_SITE = "https://www.renouveaubassinminier.fr"


@pytest.fixture
def flawed_issue(letter, settings):
    """N°3 as a hurried editor would write it: an image described « IMG_2041.JPG », a link that
    shows our address but leads to another site, a link to the editor's own computer, last
    year's webinar announced as the next one, and no preview text."""
    from django.core.cache import cache
    from django.utils import timezone
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage

    # The site is public (its address and its pages'): a localhost link is a mistake.
    settings.SITE_URL = PUBLIC_SITE
    Site.objects.filter(is_default_site=True).update(
        hostname=urlsplit(PUBLIC_SITE).hostname, port=443
    )
    cache.clear()  # Wagtail's site root paths
    image = get_image_model().objects.first()
    body = [(b.block_type, b.value) for b in letter.body]  # N°2: one block of each kind
    body += [
        ("image", {"image": image, "alt_text": "IMG_2041.JPG", "caption": "", "credit": "ERBM"}),
        (
            "article",
            {
                "title": "Nos liens",
                "text": (
                    '<p>Notre site : <a href="https://promo.example.com/offre">'
                    "www.renouveaubassinminier.fr</a>. Les actualités : "
                    '<a href="http://localhost:8000/actualites/">toutes les actualités</a>.</p>'
                ),
                "image": {"image": None, "alt_text": "", "caption": "", "credit": ""},
                "page": None,
                "link_label": "",
            },
        ),
        (
            "webinar",
            {
                "page": None,
                "title": "Les charges après rénovation",
                "date": timezone.now() - timedelta(days=400),
                "text": "",
                "registration_label": "S'inscrire",
                "registration_url": "https://www.renouveaubassinminier.fr/webinaires/",
            },
        ),
    ]
    issue = NewsletterIssuePage(
        title="Renouveau du Bassin Minier N°3 — Mars 2026",
        slug="n3-mars-2026",
        number=3,
        issue_date=timezone.localdate(),
        preheader="",
        body=body,
    )
    NewsletterIndexPage.objects.get().add_child(instance=issue)
    issue.save_revision().publish()
    make_subscribers(2, prefix="lectrice.n3")
    return NewsletterIssuePage.objects.get(pk=issue.pk)


def test_an_editor_is_told_where_and_how_to_fix_and_a_warning_needs_a_tick(
    live_server, flawed_issue, admin_login, page, ses
):
    issue = flawed_issue
    admin_login(page)

    # In the editor, the checks panel already says what is wrong, where, and what to do.
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    panel = page.locator("[role=status]", has_text="ne peut pas être envoyée en l'état")
    expect(panel).to_contain_text(
        "Le texte alternatif « IMG_2041.JPG » ne décrit pas l'image", timeout=20_000
    )
    # Typed in the block, it is fixed in the block (issue 23, item 2), not in the library.
    expect(panel).to_contain_text("dans le champ « Texte alternatif » de ce bloc")
    expect(panel).to_contain_text(
        "Le texte du lien montre « www.renouveaubassinminier.fr » mais le lien mène à "
        "promo.example.com : faites correspondre le texte et l'adresse"
    )
    expect(panel).to_contain_text(
        "Le lien « toutes les actualités » mène à une adresse de développement "
        "(http://localhost:8000/actualites/) : les abonnés ne pourront pas l'ouvrir. "
        "Remplacez-la par l'adresse publique."
    )
    expect(panel).to_contain_text(
        "Le bloc « Prochain webinaire » « Les charges après rénovation » annonce une date passée"
    )
    expect(panel).to_contain_text("corrigez la date ou retirez le bloc")

    # The send page: the missing preview text is a warning, with a box to tick.
    page.goto(f"{live_server.url}/admin/mailing/envoyer/{issue.pk}/")
    expect(page.locator("h1")).to_contain_text("Envoyer aux abonnés")
    warnings = page.locator("#presend-warnings")
    expect(warnings).to_contain_text("Pas de texte d'aperçu : les messageries afficheront")
    send = page.get_by_role("button", name=re.compile("^Envoyer « Renouveau du Bassin Minier N°3"))

    # Even with the warning acknowledged, the blocking problems stop the send, each explained.
    page.get_by_label(re.compile("J'ai lu ces avertissements")).check()
    send.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Rien n'a été envoyé.")
    expect(alert).to_contain_text("« IMG_2041.JPG » ne décrit pas l'image")
    expect(alert).to_contain_text("mais le lien mène à promo.example.com")
    expect(alert).to_contain_text("adresse de développement (http://localhost:8000/actualites/)")
    expect(alert).to_contain_text("annonce une date passée")
    assert not Campaign.objects.filter(issue=issue).exists()
    assert ses.messages() == []

    # The editor fixes the issue (the blocking problems; still no preview text).
    broken = ("image", "article", "webinar")
    issue.body = [(b.block_type, b.value) for b in issue.body if b.block_type not in broken]
    issue.save_revision().publish()
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    expect(page.locator(".help-block[role=status]").first).to_contain_text(
        "Aucun problème détecté", timeout=20_000
    )

    # Without the tick, the warning stops the send.
    page.goto(f"{live_server.url}/admin/mailing/envoyer/{issue.pk}/")
    send.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Cochez la case pour confirmer que vous avez lu les avertissements."
    )
    assert not Campaign.objects.filter(issue=issue).exists()

    # Ticked, it goes, and the campaign's history records what the editor acknowledged.
    page.get_by_label(re.compile("J'ai lu ces avertissements")).check()
    send.click()
    campaign = Campaign.objects.get(issue=issue)
    expect(page.locator(".messages")).to_contain_text(
        f"lancé pour {campaign.recipient_count} destinataire(s)"
    )
    event = campaign.events.get(kind=CampaignEvent.Kind.WARNINGS)
    assert event.message.startswith("Envoi confirmé malgré les avertissements : Pas de texte")
    assert event.user.username == "redaction"
    expect(page.locator("#campaign-events")).to_contain_text(
        "Envoi confirmé malgré les avertissements : Pas de texte d'aperçu"
    )
    expect(page.locator("#campaign-events")).to_contain_text("(Claire)")


def test_a_subscriber_gets_a_footer_that_says_who_and_why_and_headers_that_work(
    live_server, letter, site_home, ses, settings, browser
):
    notice = legal_notice(site_home)
    settings.SITE_URL = live_server.url
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_REPLY_TO = "equipe@renouveaubassinminier.fr"
    from mailing.delivery import Segment, create_campaign, run_batch, start_campaign

    [reader] = make_subscribers(1, prefix="lectrice.pied")
    campaign = create_campaign(letter, Segment())
    start_campaign(campaign)
    run_batch(campaign.pk, enqueue_next=False)

    [raw] = [r for r in ses.raw_messages() if reader.email.encode() in r.split(b"\r\n\r\n")[0]]
    # MIME wants CRLF: every line ends so, no bare LF anywhere in the message.
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    [mail] = [m for m in ses.messages() if m["To"] == reader.email]
    assert mail["Reply-To"] == "equipe@renouveaubassinminier.fr"
    host = live_server.url.split("//")[1].split(":")[0]
    assert mail["List-Id"] == f"Renouveau du Bassin Minier <lettre.{host}>"
    unsubscribe = [part.strip(" <>") for part in mail["List-Unsubscribe"].split(",")]
    assert unsubscribe[0].startswith(live_server.url + "/lettre/")
    assert any(part.startswith("mailto:") for part in unsubscribe)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The reader opens the mail in a browser of their own: no cookie, no session.
    context = browser.new_context(viewport={"width": 600, "height": 900})
    assert context.cookies() == []
    reader_page = context.new_page()
    reader_page.set_content(mail.get_body(("html",)).get_content())
    footer = reader_page.locator("div", has_text="Vous recevez cette lettre").last
    expect(footer).to_contain_text(f"Éditeur : {notice.publisher_name}")
    expect(footer).to_contain_text(notice.publisher_address.splitlines()[0])
    expect(
        reader_page.get_by_text(
            "Vous recevez cette lettre parce que vous vous êtes abonné sur le site du "
            "Renouveau du Bassin Minier."
        )
    ).to_be_visible()
    manage = reader_page.get_by_role("link", name="Se désabonner ou gérer mes abonnements")
    expect(manage).to_be_visible()
    assert manage.get_attribute("href") == unsubscribe[0]
    manage.click()
    expect(reader_page.locator("h1")).to_have_text("Se désabonner ou gérer vos abonnements")
    expect(reader_page.get_by_role("button", name="Me désabonner")).to_be_visible()
    context.close()
