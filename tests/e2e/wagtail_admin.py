"""Steps an editor takes in the Wagtail admin, shared by the browser tests."""

from playwright.sync_api import Page, expect


def publish_page(page: Page) -> None:
    """Click "Publier" in the page editor's action menu and wait for the confirmation."""
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text("publiée")
