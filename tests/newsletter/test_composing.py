"""Composing an issue (#14, item 9): a new issue's e-mail has its banner, a cité teaser its
chapô, the « date de parution » defaults to today in France, and the preheader is followed by
the invisible spacer that keeps phones from running it on into the body."""

import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from newsletter.models import NewsletterIssuePage
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.typography import french_text
from tests.pages import city_without_dwellings_count

pytestmark = pytest.mark.django_db


def new_issue(previous, **fields):
    issue = NewsletterIssuePage(title="Lettre N°3", slug="n3", number=3, **fields)
    previous.get_parent().add_child(instance=issue)
    return issue


def test_a_new_issue_without_the_banner_block_still_has_it_in_both_parts(issue):
    third = new_issue(
        issue,
        issue_date=datetime.date(2026, 3, 2),
        body=[("section_heading", {"text": "Dans les cités"})],
    )
    rendered = render_issue(third, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    assert "MARS 2026. N°3" in rendered.text
    html = unescape(rendered.html)
    assert "MARS 2026. N°3" in html and "S\u2019engager ensemble" in html
    assert html.index("MARS 2026. N°3") < html.index("Dans les cités")  # at the top
    # An issue that has the block gets it once, where the editor put it.
    assert (
        unescape(render_issue(issue, unsubscribe_url="https://x.test/u").html).count(
            "JUILLET 2019. N°2"
        )
        == 1
    )


def test_a_cite_teaser_shows_its_chapo(home_page, issue):
    city = city_without_dwellings_count(home_page)
    city.intro = "Une cité de 300 logements rénovés avec ses habitants."
    city.save_revision().publish()
    issue = new_issue(
        issue,
        issue_date=datetime.date(2026, 3, 2),
        body=[("page_teaser", {"page": city, "title": "", "text": "", "show_image": False})],
    )
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    assert city.intro in rendered.text
    assert city.intro in unescape(rendered.html)
    issue.save_revision().publish()
    from django.test import Client

    assert city.intro in Client().get(issue.url).content.decode()  # the web archive too


def test_the_date_of_a_new_issue_defaults_to_today_in_france(editor_client, issue):
    with freeze_time("2026-12-31 23:30:00"):  # UTC: already 1 January 2027 in Paris
        assert NewsletterIssuePage(title="N°3", number=3).issue_date == datetime.date(2027, 1, 1)
    today = datetime.datetime.now(ZoneInfo("Europe/Paris")).date()
    parent = issue.get_parent()
    response = editor_client.get(f"/admin/pages/add/newsletter/newsletterissuepage/{parent.pk}/")
    assert response.status_code == 200
    assert f'value="{today.isoformat()}"' in response.content.decode()


def test_the_preheader_is_followed_by_an_invisible_spacer(issue):
    html = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER).html
    start = html.index('<div style="display:none;')
    hidden = html[start : html.index("</div>", start)]
    preheader = hidden[hidden.index(">") + 1 :]
    typeset = french_text(issue.preheader)  # the preheader is typeset like the body
    assert unescape(preheader).startswith(typeset)
    spacer = unescape(preheader)[len(typeset) :]
    assert len(spacer) >= 150 and set(spacer) <= {"\u034f", "\u200c", "\u00a0"}
