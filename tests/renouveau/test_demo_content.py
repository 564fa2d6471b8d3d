import html

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site


def counts() -> tuple[int, int, int]:
    from cites_pages.models import CityPhase, Commune

    return Page.objects.count(), Commune.objects.count(), CityPhase.objects.count()


@pytest.mark.django_db
def test_the_dev_site_is_prepared_twice_without_duplicates_and_every_page_renders(client, settings):
    """`make run`'s one set-up step (migrate, demo content, local admin) can run again."""
    settings.DEBUG = True  # the local admin account is refused outside development
    settings.SITE_URL = "http://127.0.0.1:8811"  # `PORT=8811 make run`
    call_command("prepare_dev_site", verbosity=0)
    first = counts()
    call_command("prepare_dev_site", verbosity=0)
    assert counts() == first
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8811"
    assert get_user_model().objects.get(username="admin").is_superuser
    settings.DEBUG = False
    # The seeds' cités, at the addresses other apps' demo content links to.
    for slug in [
        "cite-saint-pierre",
        "cite-cuvinot",
        "cite-du-mont-de-la-veine",
        "cite-taffin",
        "cite-declercq",
        "cite-crombez",
        "cite-la-parisienne",
        "cite-noumea",
        "cite-5-12",
        "cite-du-10",
    ]:
        assert Page.objects.get(slug=slug).url == f"/cites/{slug}/"
    # The cookies page names the map's tile provider (the cités map asks IGN for its tiles).
    cookies = html.unescape(client.get("/cookies/").content.decode())
    assert "Plan IGN" in cookies and "Géoplateforme (data.geopf.fr)" in cookies
    assert "OpenStreetMap" not in cookies

    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert len(pages) >= 5
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert b'<html lang="fr">' in response.content


@pytest.mark.django_db
def test_the_letter_demo_is_idempotent_and_links_the_cites_that_exist(home_page):
    from newsletter import demo
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
    from renouveau.demo import child_page
    from renouveau.models import StandardPage

    # A stand-in for the cité page another app creates: the issue links to it by slug.
    cite = child_page(home_page, StandardPage, slug="cite-saint-pierre", title="Cité Saint-Pierre")
    demo.load(home_page)
    demo.load(home_page)
    assert NewsletterIssuePage.objects.count() == 1
    issue = NewsletterIssuePage.objects.get()
    article = next(b for b in issue.body if b.block_type == "article")
    assert article.value["page"].pk == cite.pk
    assert f'linktype="page" id="{cite.pk}"' in article.value["text"].source
    assert NewsletterIndexPage.objects.get().show_in_menus


@pytest.mark.django_db
def test_the_legal_pages_demo_states_what_the_site_does(home_page, client):
    """The demo's legal texts: the privacy and cookies pages say how the letter's clicks are
    counted, each processing of its privacy page has a retention register entry, and its
    accessibility grid (10 C, 3 NC, 1 NA) gives 76,9 %."""
    from renouveau.demo_legal import load
    from renouveau.legal import PersonalDataPage
    from renouveau.retention import register
    from tests.typography import as_typed

    load(home_page)
    for path in ("/donnees-personnelles/", "/cookies/"):
        text = " ".join(as_typed(client.get(path).content.decode()).split())
        assert "La lettre ne contient aucun pixel de suivi" in text, path
        assert "redirection par notre site dont l'adresse ne contient aucun identifiant" in text
        assert "aucune donnée personnelle n'est conservée sur les clics" in text

    processings = {p.name for p in PersonalDataPage.objects.get().processings.all()}
    assert processings <= {e.processing for e in register()}

    statement = html.unescape(client.get("/accessibilite/").content.decode())
    assert "76,9 % des critères du RGAA 4.1.2 sont respectés" in statement


def test_demo_font_draws_accented_letters():
    from PIL import ImageFont

    from renouveau.demo import demo_font

    missing = bytes(ImageFont.load_default(44).getmask("é"))  # Pillow's font: a box
    assert bytes(ImageFont.load_default(44).getmask("\u4e00")) == missing
    font = demo_font(44)
    box = bytes(font.getmask("\u4e00"))
    for letter in "éèàçÉœ":
        assert bytes(font.getmask(letter)) != box, letter
    assert bytes(font.getmask("é")) != bytes(font.getmask("e"))
