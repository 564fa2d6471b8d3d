"""Issue 31 in the browser: staff manage the audience in the admin (segments, imports). Each
journey builds its own people with factories, never the demo content; the fixtures at the top
are shared by every journey of this module."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.factories import CommuneFactory, EPCIFactory
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.e2e


@pytest.fixture
def site_on_live_server(live_server, settings):
    """Links in mails point at the live server; no send rate to wait for; fresh rate limits."""
    from django.core.cache import cache

    cache.clear()
    settings.SITE_URL = live_server.url
    settings.MAILING_MAX_SEND_RATE = 0
    return live_server


@pytest.fixture
def places(transactional_db):
    """Two intercommunalities of the basin and three of their communes."""
    lens = EPCIFactory(name="CA Lens-Liévin")
    henin = EPCIFactory(name="CA Hénin-Carvin")
    return {
        "lens": lens,
        "henin": henin,
        "avion": CommuneFactory(name="Avion", epci=lens, insee_code="62065", department="62"),
        "lievin": CommuneFactory(name="Liévin", epci=lens, insee_code="62510", department="62"),
        "henin-beaumont": CommuneFactory(
            name="Hénin-Beaumont", epci=henin, insee_code="62427", department="62"
        ),
    }


def people(places, profile: str, commune: str, n: int = 1, status: str = "confirmed", **fields):
    """`n` subscribers of the letter who declared this profile and commune of interest."""
    made = make_subscribers(n, status=status, prefix=f"{profile}.{commune}.{status}.", **fields)
    for subscriber in made:
        subscriber.profile = profile
        subscriber.save(update_fields=["profile"])
        subscriber.communes.add(places[commune])
    return made


def test_an_editor_sends_a_letter_to_the_elus_of_an_epci(
    site_on_live_server, places, home_page, editor, admin_login, page, ses, immediate_tasks
):
    from mailing.models import Campaign, SavedSegment
    from tests.pages import issue_with_every_block

    url = site_on_live_server.url
    elus = [*people(places, "elu", "avion", 2), *people(places, "elu", "lievin")]
    people(places, "elu", "henin-beaumont")
    people(places, "habitant", "lievin")
    people(places, "elu", "avion", status="pending")
    issue = issue_with_every_block(home_page)

    # She builds the segment; the count follows her ticks before anything is saved.
    admin_login(page)
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Lettre : abonnés").click()
    page.get_by_role("link", name="Segments", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Segments")
    page.get_by_role("link", name=re.compile("Ajouter")).first.click()
    count = page.locator("#segment-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_contain_text("5\u00a0destinataires")  # the whole letter, confirmed only
    page.get_by_role("textbox", name=re.compile("Nom du segment")).fill("élus de la CA Lens-Liévin")
    page.get_by_role("checkbox", name="Élu ou élue, collectivité").check()
    expect(count).to_contain_text("4\u00a0destinataires")
    page.get_by_role("checkbox", name="CA Lens-Liévin", exact=True).check()
    expect(count).to_contain_text("3\u00a0destinataires")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("élus de la CA Lens-Liévin")
    row = page.locator("tr", has_text="élus de la CA Lens-Liévin")
    expect(row).to_contain_text("3\u00a0destinataires")
    segment = SavedSegment.objects.get(name="élus de la CA Lens-Liévin")
    assert segment.profiles == ["elu"] and list(segment.epcis.all()) == [places["lens"]]

    # A test of the letter to herself first.
    page.goto(f"{url}/admin/lettre/{issue.pk}/envoyer-un-test/")
    expect(page.get_by_label("Adresses de test")).to_have_value("redaction@example.org")
    page.get_by_role("button", name="Envoyer le test").click()
    expect(page.locator(".messages")).to_contain_text("envoyé à redaction@example.org")
    assert [m["To"] for m in ses.messages()] == ["redaction@example.org"]

    # Then the letter to the segment, from the segment's page through the send form.
    page.goto(f"{url}/admin/mailing/segments/")
    row.get_by_role("link", name="élus de la CA Lens-Liévin").click()
    page.get_by_role("link", name="Envoyer une lettre à ce segment").click()
    expect(page.locator("h1")).to_contain_text("Envoyer aux abonnés")
    expect(page.get_by_label("Segment enregistré")).to_have_value(str(segment.pk))
    expect(page.locator("#recipient-count")).to_contain_text("3 destinataires")
    acknowledge = page.locator("#acknowledge-warnings")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name=re.compile(r"Envoyer « .* » à 3 destinataires")).click()
    expect(page.locator("h1")).to_contain_text("Suivi")

    campaign = Campaign.objects.get(issue=issue, kind="newsletter")
    assert campaign.segment["saved_segment"] == segment.pk
    assert "élus de la CA Lens-Liévin" in campaign.segment_label
    received = sorted(m["To"] for m in ses.messages() if m["To"] != "redaction@example.org")
    assert received == sorted(subscriber.email for subscriber in elus)
    campaign.refresh_from_db()
    assert campaign.status == "done" and campaign.sent_count == 3
