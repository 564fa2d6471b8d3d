"""Issue 16 in the browser: a French public-service website (videos behind consent, forms,
newsletter sign-up, French admin; the legal pages and social cards: test_legal_pages.py)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import contact_form
from tests.factories import StandardPageFactory
from tests.pages import city_without_dwellings_count

pytestmark = pytest.mark.e2e

VIDEOS = [
    (
        "video",
        {"video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Visite de chantier"},
    ),
    (
        "video",
        {"video": "https://www.dailymotion.com/video/x8abcd1", "title": "Le webinaire du 22 juin"},
    ),
    ("video", {"video": "https://vimeo.com/76979871", "title": "Paroles d'habitants"}),
]
PLAYER_HOSTS = (
    "www.youtube-nocookie.com",
    "www.youtube.com",
    "player.vimeo.com",
    "www.dailymotion.com",
)


@pytest.fixture
def public_site(site_home, settings):
    """The home page (each journey adds the pages it shows), map tiles from nowhere."""
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"
    return site_home


def test_a_video_loads_from_its_provider_only_after_a_click(
    live_server, public_site, page, csp_errors
):
    StandardPageFactory(parent=public_site, slug="videos", title="Vidéos du programme", body=VIDEOS)
    third_party = []
    page.on(
        "request",
        lambda request: (
            third_party.append(request.url) if any(h in request.url for h in PLAYER_HOSTS) else None
        ),
    )
    # The players answer locally (no Internet in tests): enough to see the frame is allowed.
    for host in PLAYER_HOSTS:
        page.route(
            f"https://{host}/**",
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body="<p>Lecteur vidéo</p>"
            ),
        )
    page.goto(live_server.url + "/videos/")
    expect(page.locator(".video-consent")).to_have_count(3)
    expect(page.locator("iframe")).to_have_count(0)
    expect(page.get_by_text("Cette vidéo est hébergée par Dailymotion.")).to_be_visible()
    assert_accessible(page)
    assert third_party == []  # nothing requested from YouTube, Vimeo or Dailymotion yet

    page.get_by_role(
        "button", name="Charger et lire la vidéo « Visite de chantier » (YouTube)"
    ).click()
    frame = page.locator("iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "Vidéo : Visite de chantier")
    expect(page.frame_locator("iframe").first.get_by_text("Lecteur vidéo")).to_be_visible()

    # A keyboard user (Enter on the button) goes on in the player.
    page.get_by_role(
        "button", name="Charger et lire la vidéo « Le webinaire du 22 juin » (Dailymotion)"
    ).press("Enter")
    expect(page.locator("iframe")).to_have_count(2)
    expect(page.locator("iframe").nth(1)).to_be_focused()
    expect(page.frame_locator("iframe").nth(1).get_by_text("Lecteur vidéo")).to_be_visible()
    assert all("youtube-nocookie" in url or "dailymotion" in url for url in third_party)
    assert csp_errors == []  # the CSP lets the players' frames in


def test_a_visitor_writes_through_the_contact_form_and_staff_read_it_in_the_admin(
    live_server, public_site, page, admin_login, browser
):
    contact = contact_form(public_site)
    page.goto(live_server.url + contact.url)
    assert_accessible(page)
    page.get_by_label("Nom").fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.get_by_label("Objet").select_option("Accessibilité du site")
    page.get_by_label("Message").fill("La carte des cités est-elle lisible au clavier ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("status")).to_contain_text("Merci, votre message a bien été envoyé")

    editor = browser.new_page()
    admin_login(editor)
    # Wagtail caches the form content types for the process; flushed test databases renumber
    # them (a production database never does).
    from wagtail.contrib.forms.utils import get_form_types

    get_form_types.cache_clear()
    editor.goto(live_server.url + "/admin/forms/")
    expect(editor.get_by_role("link", name="Nous contacter").first).to_be_visible()
    editor.goto(f"{live_server.url}/admin/forms/submissions/{contact.pk}/")
    expect(editor.get_by_text("La carte des cités est-elle lisible au clavier ?")).to_be_visible()
    # Wagtail's export, in the header's « Actions » menu: a CSV of every answer.
    editor.locator("#w-slim-header-buttons").get_by_role("button", name="Actions").click()
    csv_link = editor.get_by_role("link", name="Télécharger en CSV")
    expect(csv_link).to_be_visible()
    export = editor.request.get(live_server.url + csv_link.get_attribute("href"))
    assert export.ok
    assert "La carte des cités est-elle lisible au clavier ?" in export.text()


def test_the_newsletter_sign_up_in_the_footer_and_on_the_home_page(live_server, public_site, page):
    other = StandardPageFactory(parent=public_site, title="Le programme")
    page.goto(live_server.url + "/")
    home_form = page.locator(".home-newsletter")
    expect(
        home_form.get_by_role("heading", name="La lettre du Renouveau du Bassin Minier")
    ).to_be_visible()
    page.get_by_role("contentinfo").get_by_label(
        "Recevoir la lettre d’information (courriel)"
    ).fill("claire@example.org")
    page.get_by_role("contentinfo").get_by_role("button", name="S’abonner").click()
    expect(page).to_have_url(f"{live_server.url}/lettre/abonnement/commencer/")  # no address
    expect(page.get_by_label("Adresse électronique")).to_have_value("claire@example.org")
    # Consent is asked on the subscription page itself.
    expect(page.locator('input[name="consent"]')).not_to_be_checked()

    page.goto(live_server.url + other.url)
    home_only = page.locator(".home-newsletter")
    expect(home_only).to_have_count(0)
    expect(page.get_by_role("contentinfo").locator("form.newsletter-signup")).to_have_attribute(
        "method", "post"
    )


def wagtail_default_workflow_in_english():
    """What Wagtail's migrations create (the browser tests' database is flushed between tests):
    the « Moderators » and « Editors » groups and the « Moderators approval » workflow on the
    root page."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

    moderators = Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=Page.get_first_root_node())


def test_the_admin_speaks_french_in_workflows(live_server, public_site, page, admin_login):
    import importlib

    from django.apps import apps

    wagtail_default_workflow_in_english()
    # Our data migration, as `migrate` runs it after Wagtail's.
    migration = importlib.import_module("renouveau.migrations.0003_french_workflow_and_group_names")
    migration.to_french(apps, None)

    draft = StandardPageFactory(parent=public_site, slug="a-relire", title="Page à relire")
    admin_login(page)
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    submit = page.locator("button[name='action-submit']")
    expect(submit).to_have_count(1)
    expect(submit).to_contain_text("Soumettre à Validation par les modérateurs")
    expect(page.get_by_text("Moderators approval")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/groups/")
    expect(page.get_by_role("link", name="Modérateurs")).to_be_visible()
    expect(page.get_by_role("link", name="Rédacteurs")).to_be_visible()
    expect(page.get_by_text("Moderators")).to_have_count(0)


def test_a_cite_without_a_dwellings_count_says_so_on_the_map(live_server, public_site, page):
    city_without_dwellings_count(public_site)

    page.goto(live_server.url + "/cites/")
    expect(page.locator(".city-card")).to_contain_text("Logements\u00a0: non renseigné")
    page.locator("#cites-map .leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Logements\u00a0: non renseigné")
    expect(page.locator(".leaflet-popup-content")).not_to_contain_text("0 logements")
