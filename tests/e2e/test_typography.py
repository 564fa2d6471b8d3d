"""French typography on the web (issue 14, item 8), read in a real browser on a 320 px phone:
« 100 % », « 23 000 » and « e-mail » never break over two lines, and the page's text has no
straight apostrophe left."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WHOLE = ["100 %", "23 000", "e-mail"]

# For each occurrence of each phrase (spaces and hyphens as typeset), the distinct line tops of
# the boxes its characters take: more than one top is a line break inside the phrase.
LINES_JS = """
(phrases) => {
  const found = [];
  const normal = (s) => s.replace(/[\\u00a0\\u202f ]/g, ' ').replace(/[\\u2011-]/g, '-');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = normal(node.data);
    for (const phrase of phrases) {
      for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        found.push({phrase, lines: tops.size});
      }
    }
  }
  return found;
}
"""


@pytest.fixture
def typeset_page(live_server, site_home):
    """A content page whose intro and paragraphs put the phrases at every place of a line."""
    from renouveau.models import StandardPage

    paragraphs = "".join(
        f"<p>{'m' * n} l'objectif : 23 000 logements à 100 % avec l'e-mail d'alerte.</p>"
        for n in range(1, 40)
    )
    page = StandardPage(
        title="L'e-mail des chantiers",
        slug="typographie",
        intro="Qu'est-ce qui change ? 23 000 logements rénovés à 100 %, et un e-mail par mois.",
        body=[("paragraph", paragraphs)],
    )
    site_home.add_child(instance=page)
    page.save_revision().publish()
    return live_server.url + page.url


def test_on_a_phone_numbers_percent_and_e_mail_stay_whole(browser, typeset_page):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(typeset_page)
    expect(page.locator("h1")).to_have_text("L’e‑mail des chantiers")
    found = page.evaluate(LINES_JS, WHOLE)
    # Every phrase is there: in the intro and each of the 39 paragraphs (e-mail: and the title,
    # in the heading and the breadcrumb).
    assert {phrase: sum(f["phrase"] == phrase for f in found) for phrase in WHOLE} == {
        "100 %": 40,
        "23 000": 40,
        "e-mail": 42,
    }
    broken = [f for f in found if f["lines"] != 1]
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # Straight apostrophes are gone from what the page shows: its title, intro and text (with
    # the breadcrumb), the header's name and menu, the footer's presentation of the programme.
    regions = [page.locator("main"), page.locator("header"), page.locator("footer p").nth(1)]
    for region in regions:
        text = region.inner_text()
        assert "’" in text and "'" not in text, [line for line in text.splitlines() if "'" in line]
    context.close()
