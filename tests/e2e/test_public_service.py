"""Issue 16 in the browser: a French public-service website (legal pages, accessibility
statement, videos behind consent, social cards, forms, newsletter sign-up, French admin)."""

import json

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.pages import city_without_dwellings_count

pytestmark = pytest.mark.e2e

LEGAL_PAGES = {
    "/mentions-legales/": [
        "Éditeur du site",
        "Directeur ou directrice de la publication",
        "Hébergement",
    ],
    "/accessibilite/": [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
        "Schéma pluriannuel de mise en accessibilité",
    ],
    "/donnees-personnelles/": [
        "Responsable de traitement",
        "Les traitements de données de ce site",
        "Vos droits",
    ],
    "/cookies/": ["Cookies strictement nécessaires", "Contenus intégrés"],
    "/plan-du-site/": [],
}
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
def public_site(transactional_db, settings):
    """The site package's demo content: home page, legal pages, contact form, site map."""
    from renouveau import demo

    cache.clear()
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"
    home = demo.ensure_home_page()
    demo.load(home)
    return home


@pytest.fixture
def csp_errors(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def test_legal_pages_render_their_sections_and_are_accessible(
    live_server, public_site, page, csp_errors, browser
):
    phone = browser.new_page(viewport={"width": 320, "height": 640})
    for path, headings in LEGAL_PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        for heading in headings:
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
        # Readable on a 320 px phone without horizontal scrolling.
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
    phone.close()
    assert csp_errors == []

    page.goto(live_server.url + "/mentions-legales/")
    expect(page.locator(".legal-facts").first).to_contain_text("SIREN")
    expect(page.locator(".placeholder-value")).to_have_text("à compléter")

    # The HTML site map lists the legal pages; the footer links it and not the XML file only.
    page.goto(live_server.url + "/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Plan du site", exact=True).click()
    expect(page.locator("h1")).to_have_text("Plan du site")
    sitemap = page.get_by_role("navigation", name="Plan du site")
    for title in (
        "Mentions légales",
        "Données personnelles",
        "Déclaration d’accessibilité",
        "Nous contacter",
    ):
        expect(sitemap.get_by_role("link", name=title, exact=True)).to_be_visible()


def test_the_footer_states_the_accessibility_status_from_the_audit_grid(
    live_server, public_site, page, browser
):
    page.goto(live_server.url + "/")
    mention = page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibilité\u00a0: partiellement conforme"
    )
    expect(mention).to_be_visible()
    mention.click()
    expect(page.locator("h1")).to_have_text("Déclaration d’accessibilité")
    expect(page.locator(".conformity")).to_contain_text("est partiellement conforme")
    expect(page.get_by_text("76,9 % des critères du RGAA 4.1.2 sont respectés")).to_be_visible()
    expect(page.get_by_text("Critère 13.3")).to_be_visible()

    # For the lead: the statement at 1280 px.
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    wide.goto(live_server.url + "/accessibilite/")
    wide.screenshot(path="/tmp/accessibilite.png", full_page=True)
    wide.close()


def test_a_video_loads_from_its_provider_only_after_a_click(
    live_server, public_site, page, csp_errors
):
    from renouveau.demo import child_page
    from renouveau.models import StandardPage

    child_page(public_site, StandardPage, slug="videos", title="Vidéos du programme", body=VIDEOS)
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


def test_shared_links_get_a_card_a_canonical_link_and_structured_data(
    live_server, public_site, page
):
    page.goto(live_server.url + "/mentions-legales/")
    head = page.locator("head")
    assert (
        head.locator('link[rel="canonical"]').get_attribute("href").endswith("/mentions-legales/")
    )
    assert head.locator('meta[property="og:title"]').get_attribute("content") == "Mentions légales"
    image = head.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith("http") and image.endswith("/static/img/partage.png")
    assert (
        head.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
    )
    # The default sharing image exists and is the size LinkedIn expects.
    response = page.request.get(live_server.url + "/static/img/partage.png")
    assert response.ok and response.headers["content-type"] == "image/png"

    page.goto(live_server.url + "/")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    types = {item["@type"] for item in data["@graph"]}
    assert types == {"Organization", "WebSite"}
    description = page.locator('meta[property="og:description"]').get_attribute("content")
    assert description == public_site.teaser_text


def test_a_visitor_writes_through_the_contact_form_and_staff_read_it_in_the_admin(
    live_server, public_site, page, admin_login, browser
):
    page.goto(live_server.url + "/contact/")
    assert_accessible(page)
    page.get_by_label("Nom").fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.get_by_label("Objet").select_option("Accessibilité du site")
    page.get_by_label("Message").fill("La carte des cités est-elle lisible au clavier ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("status")).to_contain_text("Merci, votre message a bien été envoyé")

    from renouveau.form_pages import FormPage

    editor = browser.new_page()
    admin_login(editor)
    # Wagtail caches the form content types for the process; flushed test databases renumber
    # them (a production database never does).
    from wagtail.contrib.forms.utils import get_form_types

    get_form_types.cache_clear()
    editor.goto(live_server.url + "/admin/forms/")
    expect(editor.get_by_role("link", name="Nous contacter").first).to_be_visible()
    editor.goto(f"{live_server.url}/admin/forms/submissions/{FormPage.objects.get().pk}/")
    expect(editor.get_by_text("La carte des cités est-elle lisible au clavier ?")).to_be_visible()
    # Wagtail's export, in the header's « Actions » menu: a CSV of every answer.
    editor.locator("#w-slim-header-buttons").get_by_role("button", name="Actions").click()
    csv_link = editor.get_by_role("link", name="Télécharger en CSV")
    expect(csv_link).to_be_visible()
    export = editor.request.get(live_server.url + csv_link.get_attribute("href"))
    assert export.ok
    assert "La carte des cités est-elle lisible au clavier ?" in export.text()


def test_the_newsletter_sign_up_in_the_footer_and_on_the_home_page(live_server, public_site, page):
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

    page.goto(live_server.url + "/mentions-legales/")
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

    from renouveau.demo import child_page
    from renouveau.models import StandardPage

    wagtail_default_workflow_in_english()
    # Our data migration, as `migrate` runs it after Wagtail's.
    migration = importlib.import_module("renouveau.migrations.0003_french_workflow_and_group_names")
    migration.to_french(apps, None)

    draft = child_page(public_site, StandardPage, slug="a-relire", title="Page à relire")
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
