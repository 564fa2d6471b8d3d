"""Anonymous pages come from the cache, and publishing shows the new content at once."""

import pytest
from django.core.cache import caches

from renouveau.demo import child_page
from renouveau.models import SiteSettings, StandardPage


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.django_db
def test_anonymous_pages_are_cached_and_publishing_invalidates(page_cache, home_page, client):
    page = child_page(home_page, StandardPage, slug="reunion", title="Réunion publique")
    client.get("/")  # the first page view creates the site settings (and so invalidates)

    first = client.get("/reunion/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/reunion/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second  # headers are kept with the cached body

    # A draft changes nothing for visitors…
    page.title = "Réunion publique (brouillon)"
    page.save_revision()
    assert client.get("/reunion/")["X-Page-Cache"] == "hit"

    # …publishing shows the new title on the very next request.
    page.title = "Réunion publique du 12 juin"
    page.save_revision().publish()
    response = client.get("/reunion/")
    assert response["X-Page-Cache"] == "miss"
    assert "Réunion publique du 12 juin" in response.content.decode()

    page.unpublish()
    assert client.get("/reunion/").status_code == 404


@pytest.mark.django_db
def test_settings_changes_invalidate_and_editors_are_never_served_the_cache(
    page_cache, home_page, client, admin_client
):
    client.get("/")  # creates the site settings
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.contact_email = "nouvelle-adresse@example.org"
    site_settings.save()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "nouvelle-adresse@example.org" in response.content.decode()

    editor_response = admin_client.get("/")
    assert "X-Page-Cache" not in editor_response


@pytest.mark.django_db
def test_responses_that_set_a_cookie_are_not_cached(page_cache, home_page, client):
    # A page with a CSRF-protected form sets the csrftoken cookie: caching it would hand every
    # visitor the same token, so it is rendered each time.
    response = client.get("/admin/login/")
    assert "X-Page-Cache" not in response
    from django.http import HttpResponse

    from renouveau.page_cache import PageCacheMiddleware

    def view_setting_a_cookie(request):
        answer = HttpResponse("formulaire")
        answer.set_cookie("csrftoken", "abc")
        return answer

    middleware = PageCacheMiddleware(view_setting_a_cookie)
    from django.test import RequestFactory

    request = RequestFactory().get("/formulaire/")
    assert middleware(request).get("X-Page-Cache") is None
    assert middleware(RequestFactory().get("/formulaire/")).get("X-Page-Cache") is None
