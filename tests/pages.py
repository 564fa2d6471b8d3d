"""Small page trees that several test modules build (one place, not one copy per module)."""

from wagtail.models import Page

from tests.factories import CitiesIndexPageFactory, CityPageFactory, CommuneFactory


def city_without_dwellings_count(parent: Page):
    """A published cité, on the map (coordinates, one commune), whose dwellings are unknown."""
    from cites_pages.models import CityPage

    city = CityPageFactory(
        parent=CitiesIndexPageFactory(parent=parent),
        slug="cite-inconnue",
        title="Cité Inconnue",
        dwellings=None,
        intro="",
        communes=[CommuneFactory(name="Vicq", slug="vicq", insee_code="59616")],
    )
    return CityPage.objects.get(pk=city.pk)
