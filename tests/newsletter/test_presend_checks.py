"""Pre-send checks of issue 14 (item 4): what readers would see as broken blocks the send, what
may be intended needs an acknowledgement recorded on the campaign."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from newsletter.checks import check_html, check_issue, issue_warnings
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

pytestmark = pytest.mark.django_db


def page(body: str) -> str:
    return f'<!doctype html><html lang="fr"><body>{body}</body></html>'


def test_meaningless_alt_texts_are_refused():
    for alt in (".", "IMG_2041.JPG", "DSC01234", "photo.png", "  -  "):
        html = page(f'<img src="https://images.example.org/a.jpg" alt="{alt}">')
        assert any("ne décrit pas l'image" in p for p in check_html(html)), alt
    fine = page('<img src="https://images.example.org/a.jpg" alt="Une rue de la cité Lemay.">')
    assert check_html(fine) == []


def test_development_addresses_are_refused_but_the_site_own_address_is_not(settings):
    settings.SITE_URL = "https://renouveaubassinminier.fr"
    html = page('<a href="http://localhost:3000/actualites/">Actualités</a>')
    [problem] = check_html(html)
    assert "adresse de développement (http://localhost:3000/actualites/)" in problem
    own = page('<a href="https://renouveaubassinminier.fr/cites/">Les cités</a>')
    assert check_html(own) == []


def test_a_link_showing_one_address_and_going_to_another_site_is_refused():
    trap = page('<a href="https://promo.example.com/x">www.renouveaubassinminier.fr</a>')
    [problem] = check_html(trap)
    assert (
        "montre « www.renouveaubassinminier.fr » mais le lien mène à promo.example.com" in problem
    )
    same = page('<a href="https://www.example.org/rapport">example.org/rapport</a>')
    assert check_html(same) == []
    words = page('<a href="https://promo.example.com/x">Lire le rapport</a>')
    assert check_html(words) == []


def test_issue_level_checks_and_warnings(issue):
    assert (
        check_issue(issue, render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)) == []
    )
    blocks = [(b.block_type, b.value) for b in issue.body]
    masthead = blocks.pop(0)
    past = timezone.now() - timedelta(days=30)
    issue.title = "Renouveau du Bassin Minier " + "très long objet " * 13
    issue.preheader = ""
    issue.body = [
        blocks[0],
        masthead,  # the banner in the middle
        *blocks[1:],
        (
            "webinar",
            {
                "page": None,
                "title": "Webinaire de juin",
                "date": past,
                "text": "",
                "registration_label": "S'inscrire",
                "registration_url": "https://example.org/inscription",
            },
        ),
    ]
    issue.save_revision().publish()
    issue.refresh_from_db()
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    problems = check_issue(issue, rendered)
    assert any(
        p.startswith(f"L'objet (le titre de la lettre) fait {len(issue.title)}") for p in problems
    )
    assert any("« Webinaire de juin » annonce une date passée" in p for p in problems)
    warnings = issue_warnings(issue, rendered)
    assert any("Pas de texte d'aperçu" in w for w in warnings)
    assert "Le bandeau de la lettre n'est pas en tête : placez-le en premier bloc." in warnings


def test_a_very_tall_image_is_a_warning(issue):
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    image = '<img src="https://x.example.org/t.jpg" alt="Un plan." width="600" height="2400">'
    tall = rendered.html.replace("</body>", image + "</body>")
    tall_rendered = type(rendered)(rendered.subject, rendered.preheader, tall, rendered.text)
    assert any("600×2400" in w for w in issue_warnings(issue, tall_rendered))


def test_an_image_whose_file_is_lost_is_left_out_and_stops_the_send(client, issue):
    """A library image whose original file cannot be read (a storage restored without it): the
    e-mail's web version still answers, without that image; the checks name the image and lead
    to it, and no send may go (a test included) until it is replaced."""
    from newsletter.models import NewsletterIssuePage
    from tests.factories import SiteImageFactory
    from tests.pages import add_blocks

    lost = SiteImageFactory(title="Façades de la cité Lemay")
    issue = add_blocks(
        NewsletterIssuePage.objects.get(pk=issue.pk),
        ("image", {"image": lost, "alt_text": "", "caption": "", "credit": ""}),
    )
    stem = Path(lost.file.name).stem  # renditions are named after the original
    lost.file.storage.delete(lost.file.name)  # gone, and no rendition made yet

    response = client.get(issue.url + "email/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Renouveau du Bassin Minier" in html and stem not in html
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    for test_send in (False, True):
        problems = check_issue(issue, rendered, test_send=test_send)
        [missing] = [p for p in problems if "Façades de la cité Lemay" in p]
        assert "est introuvable" in missing
        assert missing.url == f"/admin/images/{lost.pk}/"
