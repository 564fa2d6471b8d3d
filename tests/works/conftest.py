import pytest
from django.core.cache import cache

from tests.works.builders import TrackedCites, tracked_cites


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the fragments of an earlier test's database
    yield
    cache.clear()


@pytest.fixture
def tracked(home_page) -> TrackedCites:
    """Four factory-built cités, three with works trackers (tests/works/builders.py)."""
    return tracked_cites(home_page)
