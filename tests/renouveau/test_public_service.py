"""Issue 16, server side: legal pages, accessibility status, video embeds, social cards and
JSON-LD, form pages, newsletter sign-up, French admin names."""

import json
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Task, Workflow

from renouveau.accessibility import AccessibilityCriterion
from renouveau.legal import DataProcessing
from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    SiteImageFactory,
    StandardPageFactory,
)
from tests.pages import (
    accessibility_statement,
    city_without_dwellings_count,
    legal_notice,
    privacy_page,
    sitemap_page,
)
from tests.typography import as_typed


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel> and JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list = []
        self.iframes = 0
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs.get("href", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
        elif tag == "iframe":
            self.iframes += 1

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False


def parse(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.django_db
def test_legal_notice_names_publisher_director_and_host(home_page, client: Client):
    legal_notice(home_page)
    html = unescape(client.get("/mentions-legales/").content.decode())
    for text in (
        "Éditeur du site",
        "Préfecture de la région Hauts-de-France",
        "Directeur ou directrice de la publication",
        "Hébergement",
        "Hébergeur",
    ):
        assert text in html
    # No invented SIREN: an empty field says it must be completed.
    assert '<dt>SIREN</dt><dd><span class="placeholder-value">à compléter</span>' in html


@pytest.mark.django_db
def test_personal_data_page_lists_each_processing_with_basis_retention_and_processors(
    home_page, client: Client
):
    # Processings the retention register does not know: the page shows the editor's periods.
    privacy_page(
        home_page,
        [
            {"name": "Traitement Alpha", "legal_basis": DataProcessing.LegalBasis.CONSENT},
            {
                "name": "Traitement Bêta",
                "legal_basis": DataProcessing.LegalBasis.PUBLIC_INTEREST,
                "retention": "Dix-huit mois après la demande.",
                "processors": "Sous-traitant Exemple (courriels)",
            },
        ],
    )
    html = unescape(client.get("/donnees-personnelles/").content.decode())
    assert "Traitement Alpha" in html and "Traitement Bêta" in html
    assert "Consentement (RGPD, art. 6.1.a)" in html
    assert "Mission d'intérêt public (art. 6.1.e)" in html
    assert "Dix-huit mois après la demande" in html
    assert "Sous-traitant Exemple (courriels)" in html
    assert "https://www.cnil.fr/fr/plaintes" in html


@pytest.mark.django_db
def test_accessibility_status_is_computed_from_the_audit_grid(home_page, client: Client):
    # 2 conforming, 1 non-conforming, 1 not applicable → 2 of 3 applicable: 66,7 %, partial.
    statement = accessibility_statement(
        home_page, [("1.1", "C"), ("1.2", "C"), ("4.1", "NC"), ("5.1", "NA")]
    )
    html = unescape(client.get("/accessibilite/").content.decode())
    assert "est partiellement conforme</strong>" in html
    assert "66,7 % des critères du RGAA 4.1.2 sont respectés" in html
    assert "Critère 4.1" in html and "Défenseur des droits" in html
    assert "Accessibilité : partiellement conforme" in as_typed(client.get("/").content.decode())

    # The editor fixes the non-conformities of the partial grid: still partial (issue 23 item 6,
    # 102 criteria not audited), said so on the page.
    criteria = list(statement.criteria.all())
    for criterion in criteria:
        if criterion.result == AccessibilityCriterion.Result.NON_CONFORMING:
            criterion.result = AccessibilityCriterion.Result.CONFORMING
    statement.criteria = criteria
    statement.save_revision().publish()
    assert "Accessibilité : partiellement conforme" in as_typed(client.get("/").content.decode())
    html = unescape(client.get("/accessibilite/").content.decode())
    assert "Audit partiel :</strong> 102 des 106 critères du RGAA" in as_typed(html)
    # Once every criterion is audited and met (or not applicable), the footer follows.
    for criterion in criteria:
        if criterion.result == AccessibilityCriterion.Result.NOT_AUDITED:
            criterion.result = AccessibilityCriterion.Result.CONFORMING
    statement.criteria = criteria
    statement.save_revision().publish()
    assert "Accessibilité : totalement conforme" in as_typed(client.get("/").content.decode())
    assert "Audit partiel" not in unescape(client.get("/accessibilite/").content.decode())

    # Below 50 %, or no audit, the site is « non conforme ».
    statement.criteria = [
        AccessibilityCriterion(number="1.1", result="C"),
        AccessibilityCriterion(number="1.2", result="NC"),
        AccessibilityCriterion(number="1.3", result="NC"),
    ]
    statement.save_revision().publish()
    assert "Accessibilité : non conforme" in as_typed(client.get("/").content.decode())
    statement.criteria = []
    statement.save_revision().publish()
    assert "aucun audit de conformité" in unescape(client.get("/accessibilite/").content.decode())


@pytest.mark.django_db
def test_html_site_map_lists_the_pages_and_the_footer_links_it(home_page, client: Client):
    sitemap_page(home_page)
    section = StandardPageFactory(parent=home_page, slug="le-programme", title="Le programme")
    StandardPageFactory(parent=section, slug="signataires", title="Les signataires")
    html = unescape(client.get("/plan-du-site/").content.decode())
    assert (
        '<a href="/le-programme/">Le programme</a><ul><li><a href="/le-programme/signataires/">'
        in html
    )
    assert '<a href="/plan-du-site/">Plan du site</a>' in unescape(client.get("/").content.decode())


@pytest.mark.django_db
def test_videos_load_nothing_from_the_provider_until_asked(home_page, client: Client):
    StandardPageFactory(
        parent=home_page,
        slug="videos",
        title="Vidéos",
        body=[
            ("video", {"video": "https://youtu.be/dQw4w9WgXcQ", "title": "Visite de chantier"}),
            ("video", {"video": "https://www.dailymotion.com/video/x8abcd1", "title": "Webinaire"}),
            ("video", {"video": "https://vimeo.com/76979871", "title": "Témoignages"}),
        ],
    )
    response = client.get("/videos/")
    html = unescape(response.content.decode())
    assert parse(response).iframes == 0
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in html
    assert 'data-embed-src="https://www.dailymotion.com/embed/video/x8abcd1?autoplay=1"' in html
    assert "Cette vidéo est hébergée par Vimeo" in html
    frame_src = next(d for d in response["Content-Security-Policy"].split(";") if "frame-src" in d)
    for host in ("www.youtube-nocookie.com", "player.vimeo.com", "www.dailymotion.com"):
        assert f"https://{host}" in frame_src


def test_video_block_refuses_an_unknown_address():
    from wagtail.blocks import StructBlockValidationError

    from renouveau.blocks import VideoBlock

    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"video": "https://example.org/film", "title": "Film"}))
    assert "YouTube, Vimeo ou Dailymotion" in str(error.value.block_errors["video"])
    assert block.clean(block.to_python({"video": "https://dai.ly/x8abcd1", "title": "Film"}))


@pytest.mark.django_db
def test_pages_carry_social_cards_canonical_and_json_ld(home_page, client: Client, settings):
    image = SiteImageFactory(description="La cité Bruno", credit="Crédit CAHC")
    StandardPageFactory(
        parent=home_page,
        slug="partage",
        title="Une page partagée",
        teaser_text="Le résumé que LinkedIn affiche.",
        teaser_image=image,
    )
    head = parse(client.get("/partage/"))
    assert head.links["canonical"] == settings.SITE_URL + "/partage/"
    assert head.meta["og:title"] == "Une page partagée"
    assert head.meta["og:description"] == "Le résumé que LinkedIn affiche."
    assert head.meta["og:url"] == settings.SITE_URL + "/partage/"
    assert head.meta["og:image"].startswith(settings.SITE_URL + "/media/images/")
    assert ".fill-1200x630" in head.meta["og:image"]
    assert head.meta["og:image:alt"] == "La cité Bruno"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.json_ld[0]["@type"] == "WebPage"

    home = parse(client.get("/"))
    graph = {item["@type"]: item for item in home.json_ld[0]["@graph"]}
    assert graph["Organization"]["name"] == "Engagement pour le Renouveau du Bassin Minier"
    assert graph["WebSite"]["url"] == settings.SITE_URL + "/"
    assert home.meta["og:image"] == settings.SITE_URL + "/static/img/partage.png"


@pytest.mark.django_db
def test_news_items_are_news_articles(home_page, client: Client, settings):
    import datetime

    index = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(
        parent=index,
        slug="chantier",
        title="Le chantier de la cité Nouméa commence",
        lead="Les travaux débutent lundi.",
        date=datetime.date(2026, 6, 22),
    )
    head = parse(client.get("/actualites/chantier/"))
    article = head.json_ld[0]
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Le chantier de la cité Nouméa commence"
    assert article["datePublished"] == "2026-06-22"
    assert article["publisher"]["@type"] == "Organization"
    assert head.meta["og:type"] == "article"
    assert head.meta["og:description"] == "Les travaux débutent lundi."


@pytest.mark.django_db
def test_newsletter_sign_up_posts_the_address_and_keeps_pages_cacheable(
    home_page, client: Client, settings
):
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 60
    caches["default"].clear()
    client.get("/")  # the first page view creates the site settings (and so invalidates)
    first = client.get("/")
    html = unescape(first.content.decode())
    assert (
        html.count(
            '<form class="newsletter-signup" action="/lettre/abonnement/commencer/" method="post">'
        )
        == 2
    )
    assert "csrfmiddlewaretoken" not in html
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    # The subscription page receives the address typed in the footer, POSTed (never in a URL).
    page = client.post("/lettre/abonnement/commencer/", {"email": "claire@example.org"})
    assert 'value="claire@example.org"' in unescape(page.content.decode())


@pytest.mark.django_db
def test_admin_names_of_workflow_and_groups_are_french(home_page, client: Client):
    assert {"Modérateurs", "Rédacteurs"} <= set(Group.objects.values_list("name", flat=True))
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert Workflow.objects.filter(name="Validation par les modérateurs").exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chef", "chef@example.org", "x-Long-pass-1")
    client.force_login(user)
    page = StandardPageFactory(parent=home_page, slug="a-valider", title="À valider")
    html = unescape(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    assert "Validation par les modérateurs" in html
    assert "Moderators approval" not in html


@pytest.fixture
def city_without_count(home_page):
    return city_without_dwellings_count(home_page)


@pytest.mark.django_db
def test_an_unknown_number_of_dwellings_stays_unknown(city_without_count, client: Client):
    import csv
    import io

    assert city_without_count.dwellings is None
    assert "Logements : non renseigné" in as_typed(client.get("/cites/").content.decode())
    assert "Non renseigné" in unescape(client.get("/cites/cite-inconnue/").content.decode())
    rows = list(
        csv.DictReader(io.StringIO(client.get("/cites/export-csv/").content.decode("utf-8-sig")))
    )
    assert rows[0]["nom"] == "Cité Inconnue" and rows[0]["logements"] == ""
    features = json.loads(client.get("/cites/export-geojson/").content)["features"]
    assert features[0]["properties"]["logements"] is None
