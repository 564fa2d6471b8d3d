"""Issue N°2 as a mail client shows it in dark mode and with images blocked (issue 14, items 5
and 6): read in a real browser from the public e-mail version of the issue."""

import pytest
from playwright.sync_api import expect

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
def issue_email_url(live_server, demo_site):
    from newsletter.models import NewsletterIssuePage

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
