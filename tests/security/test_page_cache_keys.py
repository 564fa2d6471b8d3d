"""Issue 26 item 7: the page cache keys only the query parameters pages read (random query
strings cannot flood it), and an expired page is never served, from the cache or not."""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


def cached_pages() -> int:
    keys = caches["default"]._cache  # the tests' local-memory cache
    return sum(":page-cache:" in key and "generation" not in key for key in keys)


def test_random_query_strings_do_not_fill_the_cache(page_cache, home_page, client):
    StandardPageFactory(parent=home_page, slug="reunion", title="Réunion publique")
    client.get("/")
    before = cached_pages()
    assert client.get("/reunion/")["X-Page-Cache"] == "miss"
    for index in range(50):
        response = client.get(f"/reunion/?x{index}=y{index}")
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert cached_pages() == before + 1
    # Tracking parameters and the order of real ones do not make new entries.
    assert client.get("/reunion/?utm_source=lettre&fbclid=abc")["X-Page-Cache"] == "hit"
    assert client.get("/reunion/?page=2&q=cite")["X-Page-Cache"] == "miss"
    assert client.get("/reunion/?q=cite&page=2")["X-Page-Cache"] == "hit"
    assert cached_pages() == before + 2


def test_an_expired_page_is_not_served_even_from_the_cache(page_cache, home_page, client):
    with freeze_time("2026-06-22 10:00"):
        page = StandardPageFactory(parent=home_page, slug="atelier", title="Atelier")
        page.expire_at = timezone.now() + datetime.timedelta(minutes=5)
        page.save_revision().publish()
        client.get("/")
        client.get("/atelier/")
        assert client.get("/atelier/")["X-Page-Cache"] == "hit"
    with freeze_time("2026-06-22 10:06"):  # expired; the scheduler has not run yet
        response = client.get("/atelier/")
        assert response.status_code == 404


def test_an_expired_page_leaves_the_sitemap_at_once(home_page, client):
    page = StandardPageFactory(parent=home_page, slug="atelier", title="Atelier")
    assert "/atelier/" in client.get("/sitemap.xml").content.decode()
    page.expire_at = timezone.now() - datetime.timedelta(minutes=1)  # the scheduler not yet run
    page.save()
    assert page.live
    assert "/atelier/" not in client.get("/sitemap.xml").content.decode()
