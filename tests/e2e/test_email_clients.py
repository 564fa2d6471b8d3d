"""Issue N°2 as a mail client shows it in dark mode and with images blocked (issue 14, items 5
and 6): read in a real browser from the public e-mail version of the issue."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations

pytestmark = pytest.mark.e2e

# WCAG relative luminance and contrast, computed in the page from computed styles.
CONTRAST_JS = """
(element) => {
  const rgb = (value) => value.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const value = getComputedStyle(node).backgroundColor;
      const clear = value.startsWith('rgba(0, 0, 0, 0)') || value === 'transparent';
      if (value && !clear) return rgb(value);
    }
    return [255, 255, 255];
  };
  const fg = lum(rgb(getComputedStyle(element).color));
  const bg = lum(background(element));
  return {
    contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
    background: bg,
    color: getComputedStyle(element).color,
  };
}
"""


@pytest.fixture
def issue_email_url(live_server, settings, transactional_db):
    from django.core.management import call_command

    from newsletter.models import NewsletterIssuePage

    settings.SITE_URL = live_server.url  # the mail's images and links point at this server
    call_command("load_demo_content", verbosity=0)

    issue = NewsletterIssuePage.objects.get(number=2)
    return live_server.url + issue.url + "email/"


def test_dark_mode_keeps_buttons_accents_and_boxes_readable(browser, issue_email_url):
    context = browser.new_context(color_scheme="dark", viewport={"width": 600, "height": 900})
    page = context.new_page()
    page.goto(issue_email_url)
    expect(page.locator(".cta a").first).to_be_visible()

    for button in page.locator(".cta a").all():
        found = button.evaluate(CONTRAST_JS)
        assert found["contrast"] >= 4.5, (button.inner_text(), found)
    # The top strip and the tinted boxes turn dark with the rest of the mail.
    top_strip = page.locator(".bg-page a").first
    assert top_strip.evaluate(CONTRAST_JS)["background"] < 0.05
    for box in page.locator(".bg-tint h3").all():
        found = box.evaluate(CONTRAST_JS)
        assert found["background"] < 0.05 and found["contrast"] >= 4.5, found
    # Rust accents become a lighter accent, not white, and stay readable.
    accents = page.locator(".bg-card p.accent, .bg-card .accent div").all()
    assert accents
    for accent in accents:
        found = accent.evaluate(CONTRAST_JS)
        assert found["color"] != "rgb(238, 241, 244)", found
        assert found["contrast"] >= 4.5, found
    # axe-core agrees: no contrast failure anywhere in the dark mail.
    contrast = [v for v in axe_violations(page) if v["id"] == "color-contrast"]
    assert contrast == [], [node["target"] for v in contrast for node in v["nodes"]]
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_issue_2_on_a_phone(browser, issue_email_url, scheme):
    """375 px wide, light and dark: nothing wider than the screen. SCREENSHOT_DIR=… keeps the
    full-page screenshots (docs/screenshots/ holds the ones of the closing note)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(issue_email_url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if os.environ.get("SCREENSHOT_DIR"):
        target = Path(os.environ["SCREENSHOT_DIR"]) / f"lettre-n2-375-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
    context.close()


def test_with_images_blocked_the_alt_texts_read_as_text_on_a_tint(browser, issue_email_url):
    context = browser.new_context(viewport={"width": 600, "height": 900})
    page = context.new_page()
    page.route("**/*.{jpg,jpeg,png,webp}", lambda route: route.abort())
    page.goto(issue_email_url)
    pictures = page.locator(".picture img").all()
    assert pictures
    for image in pictures:
        assert image.get_attribute("alt")
        style = image.evaluate(
            "(img) => { const s = getComputedStyle(img); "
            "return [s.fontFamily, s.backgroundColor, s.fontSize]; }"
        )
        assert "Arial" in style[0]
        assert style[1] == "rgb(232, 226, 216)"  # the tint marks where the image goes
        assert style[2] == "14px"
    context.close()


def _dark_pixels(png: bytes) -> int:
    """Pixels of text colour (dark on the light tint) in a screenshot."""
    from io import BytesIO

    from PIL import Image

    return sum(Image.open(BytesIO(png)).convert("L").histogram()[:110])


@pytest.mark.parametrize("width", [600, 375])
def test_with_images_blocked_every_image_keeps_its_space(browser, issue_email_url, width):
    """Issue 14, item 6: blocking images (the default of many clients) used to collapse N°2 by
    some 1 400 px. Each image now keeps its box, fluid on a phone, with its alt text inside."""
    heights = {}
    for blocked in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        if blocked:
            page.route("**/*.{jpg,jpeg,png,webp}", lambda route: route.abort())
        page.goto(issue_email_url)
        page.wait_for_load_state("networkidle")
        images = page.locator(".picture img")
        loaded = images.evaluate_all("all => all.map((i) => i.complete && i.naturalWidth > 0)")
        assert len(loaded) >= 4
        assert loaded == [not blocked] * len(loaded)  # really shown, or really blocked
        heights[blocked] = page.evaluate("document.documentElement.scrollHeight")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for image in images.all():
            box = image.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
            if blocked:
                # The box keeps the picture's proportions, and its alt text is drawn in it.
                assert box["height"] > 0.4 * box["width"], box
                assert _dark_pixels(image.screenshot()) > 200, image.get_attribute("alt")
        context.close()
    assert abs(heights[True] - heights[False]) <= 0.1 * heights[False], heights
