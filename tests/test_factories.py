"""The factories build a small programme tree in which every page type renders, and a cité
profile lists what mentions it: the tree unit and integration tests start from."""

import pytest

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    OrganisationFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)

pytestmark = pytest.mark.django_db


def test_every_page_type_renders_from_a_tree_built_by_the_factories(client, home_page):
    commune = CommuneFactory(name="Vicq", insee_code="59616")
    city = CityPageFactory(
        parent=CitiesIndexPageFactory(parent=home_page), title="Cité Test", communes=[commune]
    )
    news = NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home_page), title="Chantier lancé", related_cities=[city]
    )
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page),
        title="Webinaire des habitants",
        related_cities=[city],
    )
    study = CaseStudyPageFactory(
        parent=CaseStudyIndexPageFactory(parent=home_page),
        title="Jardin partagé",
        cities=[city],
        lead_organisations=[OrganisationFactory(name="Mission Bassin Minier")],
    )

    for page in (home_page, city, news, webinar, study, *[p.get_parent() for p in (city, news)]):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()

    profile = client.get(city.url).content.decode()
    for mention in (news, webinar, study):
        assert mention.title in profile, mention.title
    assert "Vicq" in profile


def test_index_factories_return_the_existing_index(home_page):
    assert CitiesIndexPageFactory(parent=home_page) == CitiesIndexPageFactory(parent=home_page)
