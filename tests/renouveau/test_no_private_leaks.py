"""Issue 12 item 6: a private, draft or expired page appears in no public listing, filter, feed,
sitemap, search result, suggestion, map, export or newsletter teaser.

A programme is built (tests/sites.py, with a letter and a document library); then a copy of a
cité, a news item, a webinar and a case study, all named « Tartempion » and linked to a library
document, is made private, unpublished or expired (expiry as the scheduler's `publish_scheduled`
job applies it), and every public surface is read."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.rich_text import RichText

from tests.documents.conftest import make_document  # noqa: F401 (fixture)
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

SECRET = "Tartempion"


def _copies() -> list[Page]:
    from cites_pages.models import CaseStudyPage, CityPage, NewsPage, WebinarPage

    copies = []
    for model in (CityPage, NewsPage, WebinarPage, CaseStudyPage):
        original = model.objects.live().public().order_by("path").first()
        assert original is not None, model
        slug = f"{original.slug}-{SECRET.lower()}"
        copy = original.copy(
            update_attrs={"title": f"{original.title} {SECRET}", "slug": slug}, keep_live=True
        )
        copies.append(copy.specific)
    return copies


def _hide(pages: list[Page], state: str) -> None:
    for page in pages:
        if state == "private":
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
        elif state == "draft":
            page.unpublish()
        elif state == "expired":
            page.expire_at = timezone.now() - timedelta(minutes=5)
            page.save(update_fields=["expire_at"])
    if state == "expired":
        call_command("publish_scheduled")  # what the scheduler runs every minute


def _surfaces() -> list[str]:
    from cites_pages.models import (
        CaseStudyIndexPage,
        CitiesIndexPage,
        NewsIndexPage,
        ProgrammeFiguresPage,
        WebinarIndexPage,
    )
    from documents.models import DocumentLibraryPage
    from newsletter.models import NewsletterIndexPage

    cities = CitiesIndexPage.objects.live().get().url
    news = NewsIndexPage.objects.live().get().url
    webinars = WebinarIndexPage.objects.live().get().url
    library = DocumentLibraryPage.objects.live().get().url
    urls = [
        "/",
        cities,
        f"{cities}export-csv/",
        f"{cities}export-geojson/",
        news,
        f"{news}rss/",
        f"{news}atom/",
        webinars,
        f"{webinars}agenda-ical/",
        CaseStudyIndexPage.objects.live().get().url,
        ProgrammeFiguresPage.objects.live().get().url,
        library,
        NewsletterIndexPage.objects.live().get().url,
        "/sitemap.xml",
        f"/recherche/?q={SECRET}",
        f"/recherche/suggestions/?q={SECRET[:5]}",
    ]
    # Every other public page: indexes, « mentions » on cités, the home page's sections,
    # the newsletter issues and their teasers, the plan of the site…
    hidden = Page.objects.filter(title__contains=SECRET)
    urls += [
        page.url for page in Page.objects.live().public().filter(depth__gt=1).exclude(pk__in=hidden)
    ]
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("state", ["private", "draft", "expired"])
def test_hidden_pages_appear_on_no_public_surface(client, state, home_page, make_document):  # noqa: F811
    from documents.models import LibraryDocument
    from newsletter.models import NewsletterIssuePage
    from newsletter.rendering import render_issue
    from tests.factories import DocumentLibraryPageFactory
    from tests.pages import issue_with_every_block
    from tests.sites import build_programme

    build_programme(home_page)
    issue_with_every_block(home_page)
    DocumentLibraryPageFactory(parent=home_page, show_in_menus=True)
    make_document("Le guide de la rénovation")
    secret_pages = _copies()
    for document in LibraryDocument.objects.all():
        document.related_pages.add(*secret_pages)
    city, news, webinar, _ = secret_pages
    issue = NewsletterIssuePage.objects.live().order_by("number").first()
    for page in secret_pages:
        issue.body.append(
            ("page_teaser", {"page": page, "title": "", "text": "", "show_image": False})
        )
    cta = {"title": "Agir", "text": "", "button_label": "Voir", "page": city, "url": ""}
    issue.body.append(("call_to_action", cta))
    issue.body.append(("article", {"title": "Article", "text": RichText("<p>x</p>"), "page": news}))
    issue.body.append(
        ("webinar", {"page": webinar, "title": "", "date": timezone.now(), "text": ""})
    )
    issue.save_revision().publish()
    # A call to action on an ordinary page, and a footer link, both to the hidden cité.
    from renouveau.models import SiteSettings, StandardPage

    standard = StandardPage.objects.live().first()
    standard.body.append(("call_to_action", cta))
    standard.save_revision().publish()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.legal_links.append(("link", {"label": "", "page": city, "url": ""}))
    site_settings.save()

    _hide(secret_pages, state)

    for url in _surfaces():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        text = body.decode()
        if url.startswith("/recherche/?"):  # the query itself, as typed (title, heading, field)
            text = as_typed(text).replace(f"« {SECRET} »", "").replace(f'value="{SECRET}"', "")
        assert SECRET not in text, f"{url} shows a {state} page"
        for page in secret_pages:
            assert page.slug not in text, f"{url} links to a {state} page"

    issue.refresh_from_db()
    email = render_issue(issue, unsubscribe_url="https://exemple.fr/desabonnement/")
    assert SECRET not in email.html and SECRET not in email.text
