"""Small page trees that several test modules build (one place, not one copy per module)."""

from decimal import Decimal

from wagtail.models import Page


def city_without_dwellings_count(parent: Page):
    """A published cité, on the map (coordinates, one commune), whose dwellings are unknown."""
    from cites_pages.models import CitiesIndexPage, CityPage, Commune
    from renouveau.demo import child_page

    index = child_page(parent, CitiesIndexPage, slug="cites", title="Les cités")
    commune = Commune.objects.create(name="Vicq", slug="vicq", insee_code="59616", department="59")
    city = CityPage(
        slug="cite-inconnue",
        title="Cité Inconnue",
        latitude=Decimal("50.40"),
        longitude=Decimal("3.60"),
    )
    index.add_child(instance=city)
    city.communes.set([commune])
    city.save_revision().publish()
    return CityPage.objects.get(pk=city.pk)
