"""The web archive: issue pages, the e-mail version, the list of issues, RSS, preview modes."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory

from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from tests.factories import SiteImageFactory
from tests.pages import block_mark
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Measure and check what the views render, not the anonymous page cache (whose entries
    # would also outlive each test's rolled-back database).
    settings.PAGE_CACHE_SECONDS = 0


def test_the_issue_is_an_accessible_web_page_not_the_email(client, issue):
    response = client.get("/lettre/n2/")
    assert response.status_code == 200
    html = as_typed(response.content.decode())
    assert "<h1>Renouveau du Bassin Minier N°2 — Juillet 2019</h1>" in html
    assert "<iframe" not in html and "<mj-" not in html
    for block in issue.body:
        if block.block_type in ("lead_story", "article"):
            assert block.value["title"] in html
    assert "Credit" + block_mark("image") in html
    assert block_mark("quote") in html and "Jeanne" in html  # the quote and its author
    assert 'href="/lettre/n2/email/"' in html
    assert "style=" not in html  # the public CSP forbids inline styles
    assert 'rel="alternate" type="application/rss+xml"' in html


def test_the_email_version_is_served_with_the_generic_unsubscribe_link(client, issue):
    response = client.get("/lettre/n2/email/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert f'href="{settings.SITE_URL}/lettre/desabonnement/"' in html
    assert "__UNSUBSCRIBE_TOKEN__" not in html
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_the_archive_lists_issues_by_number_and_date(client, issue, home_page):
    index = NewsletterIndexPage.objects.get()
    issue.teaser_image = SiteImageFactory(credit="Crédit Studio Lumière")
    issue.save_revision().publish()
    for number in (1, 3):
        issue = NewsletterIssuePage(
            title=f"Renouveau du Bassin Minier N°{number}",
            slug=f"n{number}",
            number=number,
            issue_date=date(2019, 3 * number, 1),
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()
    response = client.get("/lettre/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.index("N°3 — Septembre 2019") < html.index("N°2 — Juillet 2019")
    assert html.index("N°2 — Juillet 2019") < html.index("N°1 — Mars 2019")
    assert "1er juillet 2019" in html
    assert '<span class="credit">Crédit Studio Lumière</span>' in html  # teaser image
    for bad in ("abc", "999", "-1"):
        assert client.get("/lettre/", {"page": bad}).status_code == 200


def test_the_archive_costs_the_same_queries_for_many_issues(
    client, issue, django_assert_max_num_queries
):
    index = NewsletterIndexPage.objects.get()
    issue.teaser_image = SiteImageFactory()
    issue.save_revision().publish()
    client.get("/lettre/")
    with django_assert_max_num_queries(40) as few:
        client.get("/lettre/")
    one_issue = len(few)
    for number in range(10, 22):
        issue = NewsletterIssuePage(
            title=f"N°{number}",
            slug=f"n{number}",
            number=number,
            issue_date=date(2020, 1, 1),
            teaser_image=issue.teaser_image,
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()
    client.get("/lettre/")
    with django_assert_max_num_queries(one_issue):
        client.get("/lettre/")


def test_rss_feed_lists_the_issues(client, issue):
    response = client.get("/lettre/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    [item] = channel.findall("item")
    assert item.findtext("title") == "Renouveau du Bassin Minier N°2 — Juillet 2019"
    assert item.findtext("link") == f"{settings.SITE_URL}/lettre/n2/"


def test_preview_modes_web_and_email(issue, admin_user):
    assert issue.preview_modes == [("", "Web"), ("email", "E-mail")]
    request = RequestFactory().get("/")
    request.user = admin_user
    # Through the middleware, as Wagtail's preview panel does (the site's CSP applies there).
    email = issue.make_preview_request(request, "email")
    html = email.content.decode()
    assert html.startswith("<!doctype html>")
    # The mail, framed in a sandbox (no script, no same origin), under a policy of its own that
    # lets its inline styles apply and runs no script.
    frames = re.findall(r"<iframe [^>]*>", html)
    assert len(frames) == 4  # light and dark, images shown and blocked
    for frame in frames:
        assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in frame
    light, dark, light_blocked, dark_blocked = (
        unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1)) for frame in frames
    )
    assert light.startswith("<!doctype html>") and "JUILLET 2019. N°2" in light
    assert "@media (prefers-color-scheme: dark)" in light and "@media all" in dark
    assert "<img" in light_blocked and not re.search(r"<img[^>]*\ssrc=", light_blocked)
    assert re.search(r"<img[^>]*\ssrc=", light) and "@media all" in dark_blocked
    policy = email["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy
    assert 'for="width-600"' in html and 'for="width-375"' in html  # the width switches
    assert 'for="scheme-dark"' in html and 'for="images-off"' in html
    web = issue.make_preview_request(request, "")
    assert b"Voir la version e-mail" in web.content
    assert "style-src 'self'" in web["Content-Security-Policy"]  # the site's own policy


def test_page_tree_rules_and_unique_number(issue, home_page):
    index = NewsletterIndexPage.objects.get()
    assert NewsletterIssuePage.can_create_at(index)
    assert not NewsletterIssuePage.can_create_at(home_page)
    assert not NewsletterIndexPage.can_create_at(home_page)  # there is one archive already
    assert issue.masthead_label == "JUILLET 2019. N°2"
    duplicate = NewsletterIssuePage(
        title="Doublon", slug="doublon", number=2, issue_date=date.today()
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "number" in error.value.message_dict


def test_render_newsletter_command_writes_html_and_text(issue, legal_notice, tmp_path, capsys):
    call_command("render_newsletter", "--number", "2", "--out", str(tmp_path))
    html = (tmp_path / "lettre-2.html").read_text()
    text = (tmp_path / "lettre-2.txt").read_text()
    assert '<html lang="fr"' in html and "JUILLET 2019. N°2" in text
    assert "Attention" not in capsys.readouterr().err
    with pytest.raises(Exception, match="Aucune lettre n°9"):
        call_command("render_newsletter", "--number", "9", "--out", str(tmp_path))


def test_other_apps_add_sections_to_the_archive_through_a_hook(client, issue, settings, tmp_path):
    from wagtail import hooks

    (tmp_path / "form.html").write_text('<h2 id="abonnement">{{ section.title }}</h2>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    def section(index, request):
        return {"template": "form.html", "title": f"Abonnez-vous à « {index.title} »"}

    with hooks.register_temporarily("newsletter_archive_sections", section):
        html = client.get("/lettre/").content.decode()
    assert '<h2 id="abonnement">Abonnez-vous à « La lettre »</h2>' in html


@pytest.mark.parametrize("page_kind", ["standard", "news"])
def test_the_issue_page_costs_the_same_queries_for_many_pages_put_forward(
    client, issue, settings, page_kind
):
    """Each « Page mise en avant » shows its page's teaser text and image: read for the whole
    issue at once, not its specific page and its image per teaser (fragments on, as in
    production, where telling whether a page is public costs no query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cites_pages.models import NewsPage
    from tests.factories import NewsIndexPageFactory, StandardPageFactory
    from tests.pages import add_blocks

    settings.FRAGMENT_CACHE_SECONDS = 300
    home = issue.get_site().root_page
    news_index = NewsIndexPageFactory(parent=home) if page_kind == "news" else None

    def teased_page():
        if page_kind == "news":
            page = NewsPage(title="Comité", slug=f"comite-{NewsPage.objects.count()}",
                            image=SiteImageFactory())  # fmt: skip
            news_index.add_child(instance=page)
            page.save_revision().publish()
            return page
        return StandardPageFactory(parent=home, teaser_image=SiteImageFactory())

    def queries_with(count: int) -> int:
        teasers = [
            ("page_teaser", {"page": teased_page(), "show_image": True}) for _ in range(count)
        ]
        add_blocks(NewsletterIssuePage.objects.get(pk=issue.pk), *teasers)
        for _ in range(2):  # renditions made, shared fragments (menu, footer) kept
            assert client.get("/lettre/n2/").status_code == 200
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/lettre/n2/").content.decode()
        assert html.count('class="card newsletter-teaser"') >= count
        return len(captured)

    one = queries_with(1)
    assert queries_with(8) == one
