"""Issue 23 item 8 in a real browser: from the subscribers list, staff open a subscriber's page
(consent proof and history), then reach the erase page from it."""

import pytest
from playwright.sync_api import expect

from mailing.models import Delivery, Subscriber
from tests.e2e.axe import assert_accessible
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.e2e


def test_staff_open_a_subscribers_page_from_the_list(live_server, page, admin_login):
    from mailing.models import Campaign

    [subscriber] = make_subscribers(1, prefix="habitante.e2e")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        consent_source="Réunion publique de Rouvroy", consent_text_version="2026-06-v2"
    )
    campaign = Campaign.objects.create(subject="Lettre N°2", html="x", text="x", status="done")
    Delivery.objects.create(campaign=campaign, subscriber=subscriber, status="sent")

    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page)
    page.goto(f"{live_server.url}/admin/mailing/subscriber/")
    page.get_by_role("link", name="Fiche").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/mailing/abonnes/{subscriber.pk}/")
    expect(page.get_by_role("heading", name="Fiche de l’abonné")).to_be_visible()
    expect(page.locator("#subscriber-consent")).to_contain_text("Réunion publique de Rouvroy")
    expect(page.locator("#subscriber-deliveries")).to_contain_text("Lettre N°2")
    assert_accessible(page)

    page.get_by_role("link", name="Effacer toutes ses données (RGPD)").click()
    expect(page.get_by_role("button", name="Effacer définitivement")).to_be_visible()
