import pytest
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from renouveau.models import HomePage, SiteSettings, StandardPage
from tests.factories import SiteImageFactory, StandardPageFactory
from tests.pages import site_home_page


class TestPageTypes(WagtailPageTestCase):
    def test_home_page_lives_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_standard_pages_can_go_under_the_home_page_and_each_other(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)

    def test_pages_render(self):
        home = site_home_page()
        page = StandardPageFactory(parent=home, slug="essai", title="Essai", intro="Chapô")
        self.assertPageIsRenderable(home)
        self.assertPageIsRenderable(page)


@pytest.mark.django_db
def test_standard_page_shows_its_blocks_with_credit_and_quote(home_page, client: Client):
    image = SiteImageFactory(
        title="Cité Saint-Pierre",
        description="Rue de la cité",
        credit="Crédit ville Condé sur Escaut",
    )
    StandardPageFactory(
        parent=home_page,
        slug="essai",
        title="Une page d'essai",
        body=[
            ("heading", {"text": "Des habitants mobilisés !", "level": "h2"}),
            (
                "image",
                {"image": image, "alt_text": "", "caption": "Diagnostic partagé", "credit": ""},
            ),
            (
                "quote",
                {
                    "text": "On a besoin du ressenti et du vécu des habitants.",
                    "author": "Grégory Lelong",
                    "role": "Maire de Condé-sur-Escaut",
                },
            ),
            ("key_figures", {"title": "", "figures": [{"value": "765", "label": "logements"}]}),
        ],
    )
    html = client.get("/essai/").content.decode()
    assert "<h2>Des habitants mobilisés\u00a0!</h2>" in html
    assert 'alt="Rue de la cité"' in html  # falls back to the image's description
    assert "Crédit ville Condé sur Escaut" in html  # and to the image's credit
    assert "Grégory Lelong" in html and "Maire de Condé-sur-Escaut" in html
    assert "765" in html


@pytest.mark.django_db
def test_image_block_refuses_an_image_without_alt_text_or_credit(home_page):
    from wagtail.blocks import StructBlockValidationError

    from renouveau.blocks import CreditedImageBlock

    image = SiteImageFactory(title="Sans crédit", description="", credit="")
    block = CreditedImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(
            block.to_python({"image": image.pk, "alt_text": "", "caption": "", "credit": ""})
        )
    assert set(error.value.block_errors) == {"alt_text", "credit"}


@pytest.mark.django_db
def test_navigation_and_footer_come_from_pages_and_settings(home_page, client: Client):
    StandardPageFactory(
        parent=home_page, slug="le-programme", title="Le programme", show_in_menus=True
    )
    hidden = StandardPageFactory(parent=home_page, slug="cachee", title="Page hors menu")
    settings = SiteSettings.for_site(home_page.get_site())
    settings.contact_email = "ecrire@example.org"
    settings.legal_links = [("link", {"label": "", "page": hidden, "url": ""})]
    settings.save()

    html = client.get("/le-programme/").content.decode()
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    assert 'href="/le-programme/" aria-current="page"' in nav
    assert "Page hors menu" not in nav
    footer = html.split("<footer")[1]
    assert "ecrire@example.org" in footer
    assert 'href="/cachee/"' in footer


@pytest.mark.django_db
def test_breadcrumb_starts_at_home_once(home_page, client: Client):
    parent = StandardPageFactory(parent=home_page, slug="le-programme", title="Le programme")
    StandardPageFactory(parent=parent, slug="calendrier", title="Calendrier")

    html = client.get("/le-programme/calendrier/").content.decode()
    crumbs = html.split('aria-label="Fil d’Ariane"')[1].split("</nav>")[0]
    assert crumbs.count("<li") == 3
    assert 'href="/">Accueil</a>' in crumbs
    assert 'href="/le-programme/">Le programme</a>' in crumbs
    assert '<li aria-current="page">Calendrier</li>' in crumbs
    assert home_page.title not in crumbs

    assert "Fil d'Ariane" not in client.get("/").content.decode()
