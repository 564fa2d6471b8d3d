"""The partner kit: each widget is light (< 30 KB), framed only by PARTNER_FRAME_ANCESTORS,
cached and fresh at once after a delivery; the page where a partner picks one gives its code."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cites_pages.models import CityPage
from renouveau.page_cache import invalidate_page_cache
from tests.factories import WebinarIndexPageFactory, WebinarPageFactory
from works.models import MonthlyDelivery

pytestmark = pytest.mark.django_db

WIDGETS = [
    "/observatoire/widget/cite-des-acacias/",
    "/observatoire/partenaires/compteur/",
    "/observatoire/partenaires/carte/",
    "/observatoire/partenaires/webinaires/",
    "/observatoire/partenaires/suivre/cite-des-acacias/",
]


def test_each_widget_is_light_french_and_framed_only_by_the_partner_setting(
    client, tracked, settings
):
    settings.PARTNER_FRAME_ANCESTORS = ["https://www.ademe.fr", "https://*.cerema.fr"]
    for url in WIDGETS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 30_000, url
        assert "X-Frame-Options" not in response, url
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors https://www.ademe.fr https://*.cerema.fr" in csp, url
        html = response.content.decode()
        assert '<html lang="fr">' in html and "<form" not in html, url
        assert "<script" not in html and "style=" not in html, url
    # Every other page keeps the site's policy.
    for url in ["/observatoire/", "/observatoire/partenaires/", "/api/v1/documentation/"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"], url


def test_the_widgets_show_the_programme_s_figures(client, tracked):
    counter = client.get("/observatoire/partenaires/compteur/").content.decode()
    assert "<strong>715</strong> logements rénovés livrés sur un objectif de 23000" in counter
    assert "Données de démonstration" in counter

    CityPage.objects.filter(pk=tracked.starting.pk).update(latitude=None)  # not on the map
    carte = client.get("/observatoire/partenaires/carte/").content.decode()
    assert carte.count("<circle") == 3  # the four cités but the one without a position
    assert "Cité des Acacias\u00a0: 56\u00a0%" in carte  # 427 of 765, in the dot's title and list
    assert "Cité des Bouleaux\u00a0: 100\u00a0%" in carte
    assert "Cité des Charmes" not in carte
    assert 'role="img"' in carte and "<desc" in carte

    follow = client.get("/observatoire/partenaires/suivre/cite-des-acacias/").content.decode()
    assert reverse("mailing:follow", args=[tracked.under_way.pk]) in follow
    assert client.get("/observatoire/partenaires/suivre/cite-inconnue/").status_code == 404


def test_the_webinar_widget_lists_the_next_three(client, home_page):
    index = WebinarIndexPageFactory(parent=home_page)
    soon = timezone.now() + timedelta(days=1)
    for n in (3, 0, 2, 1):  # created out of order
        start = soon + timedelta(days=n)
        WebinarPageFactory(parent=index, title=f"Rencontre {n}", start=start,
                           end=start + timedelta(hours=2))  # fmt: skip
    WebinarPageFactory(parent=index, title="Passée", start=soon - timedelta(days=9),
                       end=soon - timedelta(days=9, hours=-2))  # fmt: skip
    html = client.get("/observatoire/partenaires/webinaires/").content.decode()
    assert html.count("<li>") == 3
    shown = [f"Rencontre {n}" for n in range(4) if f"Rencontre {n}" in html]
    assert shown == ["Rencontre 0", "Rencontre 1", "Rencontre 2"]
    assert html.index("Rencontre 0") < html.index("Rencontre 1") < html.index("Rencontre 2")


def test_a_cached_widget_shows_a_new_delivery_at_once(client, tracked, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 300
    invalidate_page_cache()
    url = "/observatoire/partenaires/compteur/"
    assert "<strong>715</strong>" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    operation = tracked.under_way.works_operation
    MonthlyDelivery.objects.create(operation=operation, month=date(2026, 11, 1), dwellings=16)
    operation.save()  # what the admin's save does
    assert "<strong>731</strong>" in client.get(url).content.decode()


def test_a_partner_picks_a_widget_and_gets_its_code(client, tracked):
    page = client.get("/observatoire/partenaires/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio" name="type"') == 5
    tracked_only = ["cite-des-acacias", "cite-des-bouleaux", "cite-des-charmes"]  # not the Dahlias
    assert re.findall(r'<option value="(cite-[\w-]+)">', html) == tracked_only

    chosen = client.get("/observatoire/partenaires/?type=carte").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/observatoire/partenaires/carte/&quot;" in chosen
    assert 'title="Aperçu\u00a0: Carte des cités"' in chosen

    card = client.get("/observatoire/partenaires/?type=cite&cite=cite-des-acacias").content.decode()
    assert "http://testserver/observatoire/widget/cite-des-acacias/" in card

    missing_city = client.get("/observatoire/partenaires/?type=suivre")
    assert missing_city.status_code == 400
    assert "Choisissez une cité dont les travaux sont suivis." in missing_city.content.decode()
    unknown = client.get("/observatoire/partenaires/?type=inconnu")
    assert unknown.status_code == 400
    assert "Ce widget n’existe pas" in unknown.content.decode()
