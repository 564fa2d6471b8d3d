"""Anonymous pages come from the cache, and publishing shows the new content at once."""

import pytest
from django.core.cache import caches

from renouveau.models import SiteSettings
from tests.factories import NewsletterIndexPageFactory, StandardPageFactory


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.django_db
def test_anonymous_pages_are_cached_and_publishing_invalidates(page_cache, home_page, client):
    page = StandardPageFactory(parent=home_page, slug="reunion", title="Réunion publique")
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


# --- Pages with a form: every visitor gets a token of their own (issue 11, item 1) -------------

OUTER = "renouveau.page_cache.PageCacheMiddleware"


def _middleware_with_page_cache_last(settings) -> list[str]:
    """The order that broke subscriptions: the page cache inside the CSRF middleware."""
    return [name for name in settings.MIDDLEWARE if name != OUTER] + [OUTER]


@pytest.fixture(params=["configured order", "page cache last"])
def middleware_order(request, settings):
    if request.param == "page cache last":
        settings.MIDDLEWARE = _middleware_with_page_cache_last(settings)
    return request.param


@pytest.mark.django_db
def test_cookieless_visitors_each_get_a_working_form_from_a_cached_site(
    page_cache, middleware_order, home_page, immediate_tasks, ses
):
    """Two visitors without cookies load the subscription page one after the other; each
    receives a CSRF cookie and can submit (no 403), whatever the middleware order."""
    from django.test import Client

    from mailing.models import Subscriber

    for number in (1, 2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/lettre/abonnement/")
        assert page.status_code == 200
        assert "X-Page-Cache" not in page  # never stored, never served from the cache
        assert "no-store" in page["Cache-Control"]
        assert "csrftoken" in page.cookies, f"visitor {number} got no CSRF cookie"
        token = page.context["csrf_token"]
        answer = visitor.post(
            "/lettre/abonnement/",
            {
                "email": f"visiteur{number}@example.org",
                "consent": "on",
                "csrfmiddlewaretoken": str(token),
            },
        )
        assert answer.status_code == 302, answer.content.decode()[:500]
    assert Subscriber.objects.filter(email__startswith="visiteur").count() == 2


@pytest.mark.django_db
def test_a_wagtail_page_embedding_a_form_is_not_cached_but_plain_pages_are(
    page_cache, middleware_order, home_page
):
    from django.test import Client

    NewsletterIndexPageFactory(parent=home_page)
    client = Client()
    client.get("/")  # creates the site settings (and so invalidates)
    for _ in range(2):
        archive = client.get("/lettre/")  # the archive embeds the subscription form
        assert archive.status_code == 200
        assert "X-Page-Cache" not in archive
        assert "csrftoken" in archive.cookies
        assert "no-store" in archive["Cache-Control"]  # nor kept by a CDN
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_confirmation_page_fetched_by_a_scanner_still_confirms(
    page_cache, home_page, ses, immediate_tasks
):
    """A mail scanner opens the confirmation link first; the subscriber's own browser then
    gets a fresh page with its own token and confirms."""
    from django.test import Client

    from mailing.audience.subscriptions import start_subscription
    from mailing.audience.tokens import confirmation_token
    from mailing.models import Subscriber

    start_subscription(email="lea@example.org", source="/lettre/")
    subscriber = Subscriber.objects.get(email="lea@example.org")
    url = f"/lettre/confirmation/{confirmation_token(subscriber)}/"
    scanner = Client()
    assert scanner.get(url).status_code == 200
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    assert "X-Page-Cache" not in page and "csrftoken" in page.cookies
    answer = browser.post(url, {"csrfmiddlewaretoken": str(page.context["csrf_token"])})
    assert answer.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
