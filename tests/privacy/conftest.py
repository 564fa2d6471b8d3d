import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cites(home_page):
    from tests.factories import CitiesIndexPageFactory, CityPageFactory

    index = CitiesIndexPageFactory(parent=home_page)
    return (
        CityPageFactory(parent=index, title="Cité Lemay"),
        CityPageFactory(parent=index, title="Cité du Pinson"),
    )
