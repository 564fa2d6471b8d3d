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


def test_an_editor_previews_imports_and_reimports_a_partner_list(
    site_on_live_server, places, editor, admin_login, page
):
    from mailing.models import Subscriber, SubscriberImport
    from tests.typography import as_typed

    partner_list = (
        "email;source_consentement;date_consentement;listes;profil;communes\n"
        "maire.avion@example.org;Fiche papier, conseil communautaire;12/05/2026;lettre;élu;Avion\n"
        "dgs.lievin@example.org;Liste CA Lens-Liévin;2026-04-01;webinaires;élu;Liévin\n"
        "sans.source@example.org;;12/05/2026;lettre;;\n"
        'habitante@example.org;Stand, fête de la cité;03/06/2026;"lettre; webinaires";;\n'
        "pas-une-adresse;Fiche papier;12/05/2026;lettre;;\n"
    ).encode()
    url = site_on_live_server.url
    admin_login(page)
    page.goto(f"{url}/admin/mailing/subscriber/")
    page.get_by_role("link", name="Importer un CSV").click()

    def preview() -> None:
        page.get_by_label("Fichier CSV").set_input_files(
            {"name": "partenaires.csv", "mimeType": "text/csv", "buffer": partner_list}
        )
        page.get_by_label("Description du fichier (facultatif)").fill("Liste CA Lens-Liévin")
        page.get_by_role("button", name="Voir l’aperçu").click()
        expect(page.locator("h1")).to_contain_text("Aperçu de l’import")

    preview()
    counts = as_typed(page.locator("#import-preview-counts").inner_text())
    assert "3 nouvel(s) abonné(s)" in counts and "2 ligne(s) écartée(s)" in counts
    rows = page.locator("#import-rejected tbody tr")
    expect(rows).to_have_count(2)
    assert as_typed(rows.nth(0).inner_text()).split("\t") == [
        "4",
        "sans.source@example.org",
        "Source du consentement manquante.",
    ]
    assert as_typed(rows.nth(1).inner_text()).split("\t")[0::2] == ["6", "Adresse non valide."]
    assert not Subscriber.objects.exists()  # a preview writes nothing
    assert_accessible(page)

    page.get_by_role("button", name="Confirmer l’import").click()
    expect(page.locator("#import-result")).to_be_visible()
    assert as_typed(page.locator("#import-result").inner_text()) == (
        "3 abonné(s) créé(s), 0 déjà connu(s), 2 ligne(s) écartée(s)."
    )
    assert_accessible(page)
    dgs = Subscriber.objects.get(email="dgs.lievin@example.org")
    assert (dgs.newsletter, dgs.webinar_announcements) == (False, True)

    # The same file again: every person already known, nobody created twice.
    preview()
    counts = as_typed(page.locator("#import-preview-counts").inner_text())
    assert "0 nouvel(s) abonné(s)" in counts and "3 adresse(s) déjà connue(s)" in counts
    expect(page.locator("#import-rejected")).to_contain_text("Déjà abonné.")
    page.get_by_role("button", name="Confirmer l’import").click()
    assert as_typed(page.locator("#import-result").inner_text()) == (
        "0 abonné(s) créé(s), 3 déjà connu(s), 2 ligne(s) écartée(s)."
    )
    assert Subscriber.objects.count() == 3
    assert dgs.consents.count() == 1
    assert list(SubscriberImport.objects.values_list("created_count", flat=True)) == [0, 3]

    # The subscriber's page shows where the person came from.
    page.goto(f"{url}/admin/mailing/abonnes/{dgs.pk}/")
    expect(page.locator("#subscriber-import")).to_contain_text("partenaires.csv")
    expect(page.locator("#subscriber-consent")).to_contain_text("Liste CA Lens-Liévin")
