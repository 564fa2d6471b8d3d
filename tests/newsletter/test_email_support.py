"""An issue with one block of each kind against caniemail.com's data (doiuse-email, npm), for
Gmail, Outlook (Windows), Apple Mail and Orange: nothing unsupported beyond the idioms listed
here, each with why it is harmless. A feature outside the list (flexbox, position, a web font…)
fails the test."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).with_name("doiuse_email.mjs")
CLIENTS = ["gmail.*", "outlook.windows", "apple-mail.*", "orange.*"]

# What MJML writes on purpose, or what degrades gracefully where a client ignores it.
ALLOWED = {
    "word-break": "MJML's mj-text sets word-break:break-word; where ignored, long words just wrap "
    "as usual.",
    "role attribute": "MJML's layout tables carry role=presentation for screen readers; ignored "
    "elsewhere.",
    "srcset and sizes attributes": "sharper images on high-density screens; clients without "
    "srcset load src, the 600 px image.",
    "outline": "MJML resets outline:none on images and links; a client that ignores it shows its "
    "default.",
    "text-decoration": "MJML resets text-decoration on images and buttons; ignored, a link may be "
    "underlined.",
    "Type selector": "the <style> block (dark mode, mobile columns) is an enhancement; every "
    "layout and colour is also inline.",
    "Class selector": "same: MJML's responsive classes and our dark-mode classes, inline styles "
    "first.",
    "ID selector": "MJML's Outlook reset (#outlook a), for Outlook only.",
    "Descendant combinator": "dark-mode rules (.bg-card a); ignored by clients without dark-mode "
    "support.",
    "Chaining selectors": "MJML's mobile rules; ignored by clients that keep the desktop layout.",
    "@media": "mobile columns and dark mode; a client without @media keeps the 600 px layout "
    "in light colours.",
    "!important keyword": "dark-mode overrides of inline colours; ignored where dark mode is "
    "not supported.",
    "target attribute": "MJML buttons open in a new tab where allowed; elsewhere in the same one.",
    "border-radius": "rounded buttons; square where unsupported.",
    "opacity": "hides the preheader (MJML's mj-preview idiom), which also uses display:none, "
    "max-height and font-size 1px.",
    "display:none": "hides the preheader (mj-preview), with the fallbacks above.",
    "overflow": "hides the preheader (mj-preview), with the fallbacks above.",
    "lang attribute": "lang=fr for screen readers; ignored by clients that strip it.",
    "aria-label attribute": "MJML's accessible name of the layout; ignored where stripped.",
    "aria-hidden attribute": "the decorative arrow after the link of an article or a page teaser "
    "(« Lire la suite → »); where stripped (Orange webmail), a screen reader also reads the "
    "arrow.",
    "mailto: links": "the contact address in the text; clients without mailto: show it as text.",
}


def unsupported(html_path: Path) -> dict[str, set[str]]:
    result = subprocess.run(
        ["node", str(SCRIPT), str(html_path), *CLIENTS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    features: dict[str, set[str]] = {}
    for error in json.loads(result.stdout)["errors"]:
        match = re.match(r"`(.+?)` is not supported by `(.+?)`", error)
        assert match, error
        features.setdefault(match[1], set()).add(match[2])
    return features


def test_an_issue_uses_nothing_unsupported_beyond_the_documented_idioms(issue, tmp_path):
    html = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER).html
    path = tmp_path / "n2.html"
    path.write_text(html, encoding="utf-8")
    found = unsupported(path)
    assert found, "doiuse-email reported nothing: is it running?"
    beyond = {
        feature: sorted(clients) for feature, clients in found.items() if feature not in ALLOWED
    }
    assert beyond == {}


def test_the_check_fails_on_a_feature_outside_the_list(tmp_path):
    path = tmp_path / "flex.html"
    path.write_text(
        '<!doctype html><html lang="fr"><body><div style="display:flex">x</div></body></html>'
    )
    assert set(unsupported(path)) - set(ALLOWED)
