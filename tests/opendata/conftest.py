import pytest
from django.core.cache import cache

from cites_pages import demo as cites_demo
from works import demo as works_demo


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the fragments of an earlier test's database
    yield
    cache.clear()


@pytest.fixture
def demo(home_page):
    """The demo cités (from the seeds) with their demo works trackers."""
    cites_demo.load(home_page)
    works_demo.load(home_page)
    return home_page
