"""axe-core on every page of the demo site's sitemap.xml, on a phone (320 px) and a desktop
(1280 px): no serious or critical WCAG 2.1 A/AA violation (issue 30, « Done when »), and nothing
wider than the screen. The demo's every page, with its real photos and texts: one of the few
browser journeys that load the demo (the others build their site, tests/e2e/sites.py)."""

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.axe import BLOCKING_IMPACTS, axe_violations

pytestmark = pytest.mark.e2e

WIDTHS = (320, 1280)


def sitemap_paths(client) -> list[str]:
    """The path of every <loc> of sitemap.xml, as a crawler reads them."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locs = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    return sorted({urlsplit(loc).path for loc in locs})


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_axe_violation_on_any_sitemap_page(
    live_server, demo_site, browser, client, width
):
    paths = sitemap_paths(client)
    assert len(paths) > 20  # the demo's pages, not an empty sitemap
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    failures = []
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if page.evaluate("document.documentElement.scrollWidth") > width:
            failures.append(f"{path}: wider than {width} px (horizontal scrolling)")
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                failures.append(f"{path} [{violation['impact']}] {violation['id']}: {targets}")
    context.close()
    assert not failures, f"{len(failures)} violations at {width} px:\n" + "\n".join(failures)
