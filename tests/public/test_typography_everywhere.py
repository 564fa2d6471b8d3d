"""French typography on every public page (issue 29): each page of sitemap.xml, built from
factories, with the forms' pages (empty, answered with errors, thanked), the error pages, the
search and the observatory. In text nodes and in the attributes read to people, fixed template
strings included: a non-breaking space before « : ; ! ? » and inside « », the typographic
apostrophe. Editors type straight apostrophes and ordinary spaces (the factories' titles do):
the site typesets them."""

import datetime
import re
from urllib.parse import urlsplit

import pytest

from cites_pages.models import CityPage, WebinarPage
from renouveau.accessibility import AccessibilityStatementPage
from renouveau.form_pages import FormField, FormPage
from renouveau.legal import SitemapPage
from tests.documents.conftest import clear_cache, make_document  # noqa: F401 (fixtures)
from tests.factories import DocumentLibraryPageFactory, StandardPageFactory
from tests.pages import (
    issue_with_every_block,
    legal_notice,
    one_page_of_each_type,
    privacy_page,
)
from tests.typography import typography_faults

pytestmark = pytest.mark.django_db


def site_pages(home) -> None:
    """The pages of the site package an editor adds once: contact form, legal notice, personal
    data, accessibility statement, HTML sitemap, and a content page; typed as editors type."""
    contact = FormPage(
        title="Nous contacter",
        slug="contact",
        intro="<p>Une question ? Écrivez-nous : l'équipe vous répond.</p>",
        submit_label="Envoyer le message",
        thank_you_text="<p>Merci, c'est envoyé !</p>",
    )
    contact.form_fields = [
        FormField(label="Nom", field_type="singleline", required=True),
        FormField(label="Adresse électronique", field_type="email", required=True),
        FormField(label="Message", field_type="multiline", required=True),
    ]
    for page in [
        contact,
        AccessibilityStatementPage(
            title="Déclaration d'accessibilité",
            slug="accessibilite",
            entity="Préfecture de la région Hauts-de-France",
            site_name="Renouveau du Bassin Minier",
            statement_date=datetime.date(2026, 11, 2),
            contact_email="accessibilite@example.org",
        ),
        SitemapPage(title="Plan du site", slug="plan-du-site"),
    ]:
        home.add_child(instance=page)
        page.save_revision().publish()
    privacy_page(
        home,
        [
            {
                "name": "Lettre",
                "purpose": "Envoyer la lettre",
                "data": "Adresse électronique",
                "retention": "Jusqu'au désabonnement",
            }
        ],
    )
    legal_notice(home)
    StandardPageFactory(parent=home, title="L'histoire du programme", slug="histoire")


@pytest.fixture
def public_site(home_page, make_document):  # noqa: F811 (the fixture imported above)
    one_page_of_each_type(home_page)
    issue_with_every_block(home_page)
    site_pages(home_page)
    library = DocumentLibraryPageFactory(parent=home_page)
    make_document("Le cahier technique")
    on_request = make_document(on_request=True)
    return f"{library.url}demande/{on_request.pk}/"


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locs = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    return sorted({urlsplit(loc).path for loc in locs})


def form_pages(document_request: str) -> list[str]:
    """The pages of each public form, their answers, and the pages a bad link leads to."""
    cite = CityPage.objects.get()
    webinar = WebinarPage.objects.get()
    return [
        "/lettre/abonnement/",
        "/lettre/abonnement/merci/",
        "/lettre/desabonnement/",
        "/lettre/confirmation/jeton-invalide/",
        "/lettre/desabonnement/jeton-invalide/",
        "/lettre/preferences/jeton-invalide/",
        "/lettre/suivi/jeton-invalide/",
        f"/lettre/suivre/{cite.pk}/",
        f"/lettre/suivre/{cite.pk}/merci/",
        f"/webinaires/{webinar.pk}/inscription/",
        f"/webinaires/{webinar.pk}/inscription/merci/",
        "/webinaires/inscription/annuler/jeton-invalide/",
        document_request,
        "/ressources/telecharger/jeton-invalide/",
        "/contact/",
        "/recherche/",
        "/recherche/?q=logemnts",
        "/recherche/?q=cit%C3%A9",
        "/observatoire/",
        "/lettre/n2/email/",
    ]


def answered_with_errors(document_request: str) -> list[str]:
    """Each form posted empty: the error summary, the messages and the title's « Erreur – »."""
    paths = form_pages(document_request)
    return [document_request] + [
        path for path in paths if re.search(r"/(inscription|abonnement|contact|suivre/\d+)/$", path)
    ]


def test_every_public_page_follows_french_typography(client, public_site):
    paths = sitemap_paths(client)
    assert len(paths) >= 20, paths  # the factories' pages, not an empty sitemap
    faults, seen = [], 0
    for path in paths + form_pages(public_site):
        response = client.get(path, follow=True)
        assert response.status_code < 500, (path, response.status_code)  # bad links: a 4xx
        faults += typography_faults(response.content.decode(), path)
        seen += 1
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    faults += typography_faults(response.content.decode(), "404")
    for path in answered_with_errors(public_site):
        response = client.post(path, {})
        assert 200 <= response.status_code < 500, (path, response.status_code)
        assert "Erreur" in response.content.decode(), path
        faults += typography_faults(response.content.decode(), f"POST {path}")
    assert seen >= 40
    assert faults == [], "\n".join(faults)


def test_the_check_finds_each_fault():
    """The rules are not vacuous: each broken one is reported, where it is; code, addresses
    and text typeset right are left alone."""
    html = (
        "<p>L'équipe</p><p>Lire la suite :</p><p>« Bonjour»</p><p>Vraiment?</p>"
        '<button aria-label="S\'abonner"></button><input type="submit" value="Envoyer :">'
        "<code>l'ignoré ?</code><p>https://x.fr/?a=1 ok</p>"
        "<p>Bien\u00a0: «\u00a0oui\u00a0»\u00a0; l’avis\u202f!</p>"
    )
    faults = sorted(fault.split(": «")[0] for fault in typography_faults(html, "p"))
    assert faults == [
        "p button[aria-label]: apostrophe droite",
        "p input[value]: espace ordinaire avant « : ; ! ? »",
        "p: apostrophe droite",
        "p: espace ordinaire après « « »",
        "p: espace ordinaire avant « : ; ! ? »",
        "p: pas d’espace avant « ; ! ? »",
        "p: pas d’espace avant « ; ! ? »",
    ], faults
