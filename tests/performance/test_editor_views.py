"""Issue 32 (editors' views ≤ 150 ms): what an edit view costs does not grow with the internal
links of the page edited (renouveau/editor_links.py), and the StreamField block definitions are
packed once per process and language (renouveau/editor_blocks.py); what the editor sees and
saves is what Wagtail alone gives."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.admin.rich_text.converters.html_to_contentstate import PageLinkElementHandler
from wagtail.blocks.base import BlockWidget
from wagtail.models import Page
from wagtail.users.models import UserProfile

from renouveau import editor_blocks
from tests.admin_edit import EditForm, latest_revision
from tests.factories import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db


def linking(pages) -> str:
    return "".join(
        f'<p>Voir <a linktype="page" id="{page.pk}">{page.title}</a>.</p>' for page in pages
    )


def issue_linking(home_page, pages, number):
    """An issue whose two articles link, between them, to each of `pages`."""
    half = len(pages) // 2
    articles = [
        ("article", {"title": "Article", "text": linking(part), "link_label": ""})
        for part in (pages[:half], pages[half:])
    ]
    parent = NewsletterIndexPageFactory(parent=home_page)
    return NewsletterIssuePageFactory(parent=parent, number=number, body=articles)


def targets(home_page, count):
    """`count` pages of two types (news and standard pages), half each."""
    return [
        NewsPageFactory(parent=home_page) if n % 2 else StandardPageFactory(parent=home_page)
        for n in range(count)
    ]


def edit_view_queries(client, page) -> int:
    client.get(f"/admin/pages/{page.pk}/edit/")  # the first view creates the editing session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return len(queries)


def entities(form: EditForm, field: str = "body") -> list[dict]:
    """The link entities of every rich text of the StreamField, as the editor receives them."""
    found = []
    for block in form.streams[field]:
        state = json.loads(block["value"]["text"])
        found += [entity["data"] for entity in state["entityMap"].values()]
    return found


def test_twenty_links_cost_the_queries_of_four(admin_client, home_page):
    # Four: each article links to both page types, as with twenty (the letter's rendering in
    # the checks panel looks its links up once per rich text and page type).
    pages = targets(home_page, 20)
    few = issue_linking(home_page, pages[:4], number=1)
    many = issue_linking(home_page, pages, number=2)
    assert edit_view_queries(admin_client, many) == edit_view_queries(admin_client, few)


def test_each_link_shows_its_page_as_wagtail_gives_it(admin_client, home_page):
    pages = targets(home_page, 4)
    gone = StandardPageFactory(parent=home_page, title="Supprimée")
    issue = issue_linking(home_page, [*pages, gone], number=1)
    gone_id = gone.pk
    gone.delete()

    shown = entities(EditForm.load(admin_client, issue))

    wagtail = PageLinkElementHandler("LINK")
    assert shown == [wagtail.get_attribute_data({"id": str(page.pk)}) for page in pages] + [
        {"id": gone_id, "url": None, "parentId": None}
    ]
    news = Page.objects.get(pk=pages[1].pk).specific
    assert shown[1] == {"id": news.pk, "url": news.url, "parentId": home_page.pk}
    assert news.url.startswith("/") and news.slug in news.url


def test_an_edited_issue_keeps_its_links(admin_client, home_page):
    pages = targets(home_page, 6)
    issue = issue_linking(home_page, pages, number=1)
    form = EditForm.load(admin_client, issue)
    form.streams["body"][0]["value"]["title"] = "Article modifié"

    response = form.post(admin_client)

    assert response.status_code == 302
    saved = latest_revision(issue).as_object()
    assert saved.body[0].value["title"] == "Article modifié"
    texts = "".join(block.value["text"].source for block in saved.body)
    assert re.findall(r"<a [^>]*>[^<]*</a>", texts) == [
        f'<a linktype="page" id="{page.pk}">{page.title}</a>' for page in pages
    ]
    assert entities(EditForm.load(admin_client, issue)) == entities(form)


def test_block_definitions_are_packed_once_per_language(
    admin_client, admin_user, home_page, monkeypatch
):
    issue = issue_linking(home_page, targets(home_page, 2), number=1)
    editor_blocks._PACKED.clear()  # as in a fresh worker
    packings = []
    pack = BlockWidget._build_block_json  # Wagtail's packing of a block tree, counted
    monkeypatch.setattr(BlockWidget, "_build_block_json", lambda w: (packings.append(w), pack(w)))

    def definition() -> tuple[str, int]:
        packings.clear()
        response = admin_client.get(f"/admin/pages/{issue.pk}/edit/")
        form = BeautifulSoup(response.content, "html.parser").select_one("form#page-edit-form")
        return form.select_one("#body")["data-w-block-data-value"], len(packings)

    first, packed = definition()
    assert packed == 1 and "Titre de rubrique" in first
    again, packed = definition()
    assert (again, packed) == (first, 0)

    # Wagtail's own labels follow the editor's language.
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    english, packed = definition()
    assert packed == 1 and "Titre de rubrique" in english and english != first


def test_links_looked_up_for_an_edit_view_are_not_reused_after_it(admin_client, home_page):
    news = NewsPageFactory(parent=home_page)
    issue = issue_linking(home_page, [news, news], number=1)
    EditForm.load(admin_client, issue)
    news.slug = "nouvelle-adresse"
    news.save_revision().publish()

    # Another view of the same worker converting rich text for the editor, later.
    converter = ContentstateConverter(features=["link"])
    state = json.loads(converter.from_database_format(linking([news])))
    assert state["entityMap"]["0"]["data"]["url"].endswith("/nouvelle-adresse/")
