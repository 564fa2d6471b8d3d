"""The shared page cache (Redis) never hides a published edit, whichever worker answers."""

import secrets

from tests.production.visitors import request

PAGE = """
import json
from renouveau.models import StandardPage
page = StandardPage.objects.live().order_by("pk").first()
print(json.dumps({"id": page.pk, "path": page.get_url_parts()[2], "title": page.title}))
"""

EDIT = """
import json
from renouveau.models import StandardPage
page = StandardPage.objects.get(pk={id})
page.title = {title!r}
page.save_revision().publish()
print(json.dumps(True))
"""


def test_a_published_edit_is_visible_at_once_through_the_cache(production):
    page = production.shell(PAGE)
    url = production.site_url + page["path"]
    first, second = request(url), request(url)
    assert first.status == second.status == 200
    assert second.header("X-Page-Cache") == "hit", dict(second.headers)
    assert page["title"] in second.text

    title = f"Page relue {secrets.token_hex(4)}"
    production.shell(EDIT.format(id=page["id"], title=title))
    # Every gunicorn worker answers with the new content on the very next request.
    for _ in range(4):
        response = request(url)
        assert response.status == 200
        assert title in response.text, response.header("X-Page-Cache")


def test_the_most_visited_pages_are_served_from_the_cache(production):
    """The cache exists for the pages everyone reads first; the newsletter sign-up in their
    footer is a plain GET form, so it does not make them uncacheable."""
    misses = {}
    for path in ("/", "/actualites/", "/cites/", "/lettre/n2-juillet-2019/"):
        request(production.site_url + path)
        response = request(production.site_url + path)
        assert response.status == 200, path
        if response.header("X-Page-Cache") != "hit":
            misses[path] = response.header("Cache-Control")
    assert not misses, f"not served from the page cache (Cache-Control): {misses}"


def test_a_page_holding_a_form_token_is_kept_by_no_cache(production):
    """The archive embeds the full subscription form (a CSRF token of the visitor's own): it is
    rendered for each visitor and marked so that no CDN or proxy keeps it either."""
    for _ in range(2):
        response = request(production.site_url + "/lettre/")
        assert response.status == 200
        assert response.header("X-Page-Cache") == ""
        assert "no-store" in response.header("Cache-Control")
        assert "csrftoken" in response.cookies()
