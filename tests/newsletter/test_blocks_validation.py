"""Issue 23 for a newsletter issue: the blocks' errors posted through the real admin edit view
(item 1), checks that lead to where the fix is made (item 2), « Prochain webinaire » from its
page (item 3), and one list of checks in the panel, on a test send and on the send form (item 4)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from newsletter.checks import check_issue, issue_checks, issue_warnings
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.models import SiteImage
from tests.admin_edit import refused_then_saved
from tests.factories import SiteImageFactory
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

NO_ALT = (
    "Saisissez un texte alternatif : l’image n’a pas de description dans la bibliothèque d’images."
)


def with_blocks(issue, *blocks):
    issue.body = [*((b.block_type, b.value) for b in issue.body), *blocks]
    issue.save_revision().publish()
    return type(issue).objects.get(pk=issue.pk)


def checked(issue):
    return issue_checks(issue, render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER))


@pytest.fixture
def bare_image():
    return SiteImageFactory(title="Sans description", description="", credit="ERBM")


def test_an_image_block_without_alt_text_is_refused_on_its_field(editor_client, issue, bare_image):
    described = SiteImageFactory(title="Chantier", description="Un chantier.", credit="ERBM")
    issue = with_blocks(
        issue, ("image", {"image": described, "alt_text": "", "caption": "", "credit": ""})
    )
    last = len(issue.body) - 1

    def upload_without_alt(value):
        value["image"] = {"id": bare_image.pk}

    def describe(value):
        value["alt_text"] = "Une façade rénovée."

    saved = refused_then_saved(
        editor_client, issue, "body", (last, "alt_text"), upload_without_alt, NO_ALT, describe
    )
    assert saved["alt_text"] == "Une façade rénovée."


def test_an_article_image_without_alt_text_is_refused_on_its_field(
    editor_client, issue, bare_image
):
    position = next(i for i, b in enumerate(issue.body) if b.block_type == "article")

    def upload_without_alt(value):
        value["image"] = {"image": {"id": bare_image.pk}, "alt_text": "", "credit": ""}

    def describe(value):
        value["image"]["alt_text"] = "Des habitants devant leur maison."

    saved = refused_then_saved(
        editor_client,
        issue,
        "body",
        (position, "image", "alt_text"),
        upload_without_alt,
        NO_ALT,
        describe,
    )
    assert saved["image"]["image"] == bare_image


@pytest.fixture
def webinar(home_page):
    from tests.factories import WebinarIndexPageFactory, WebinarPageFactory

    return WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page),
        title="Les charges après rénovation",
        slug="charges",
        registration_url="https://inscription.example.org/charges",
        # At 10 h, whatever the hour the suite runs (midnight would print no time at all).
        start=timezone.localtime(timezone.now() + timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        ),
    )


def test_a_webinar_without_page_needs_its_title_date_and_link_on_their_fields(
    editor_client, issue, webinar
):
    issue = with_blocks(
        issue,
        ("webinar", {"page": webinar, "title": "", "date": None, "registration_url": ""}),
    )
    last = len(issue.body) - 1

    def no_page(value):
        value["page"] = None

    def typed(value):
        value.update(
            title="Les charges",
            date="2099-01-14 10:00",
            registration_url="https://inscription.example.org/x",
        )

    refused_then_saved(
        editor_client,
        issue,
        "body",
        (last, "date"),
        no_page,
        "Saisissez la date et l’heure (aucune page n’est choisie).",
        typed,
    )


def test_the_webinar_block_shows_the_pages_date_and_link_and_a_typed_date_is_flagged(
    issue, webinar
):
    typed = webinar.start + timedelta(days=7)  # N°3 said 21 January, the page 14 January
    issue = with_blocks(
        issue,
        (
            "webinar",
            {"page": webinar, "title": "", "date": typed, "text": "", "registration_url": ""},
        ),
    )
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    start = timezone.localtime(webinar.start)
    text = as_typed(rendered.text)  # the text part is typeset (non-breaking spaces)
    assert f"{start:%H} h {start:%M}" in text
    assert "https://inscription.example.org/charges" in text
    [problem] = [p for p in check_issue(issue, rendered) if "date saisie" in p]
    position = len(issue.body)
    assert problem.startswith(f"Bloc {position} « Prochain webinaire » : La date saisie")
    assert f"({start:%d/%m/%Y à %H:%M}), que la lettre affiche" in problem
    assert problem.url == reverse("wagtailadmin_pages:edit", args=[webinar.pk])


def test_an_alt_text_typed_in_the_block_is_fixed_in_the_block_not_in_the_library(issue):
    """Issue 23, item 2: « IMG_2041.JPG » typed in the block overrides the image's description:
    the check names the block and its field; an image described badly in the library gets a
    link to it."""
    described = SiteImageFactory(title="Chantier", description="Un chantier.", credit="ERBM")
    badly = SiteImageFactory(title="DSC", description="DSC01234", credit="ERBM")
    issue = with_blocks(
        issue,
        ("image", {"image": described, "alt_text": "IMG_2041.JPG", "caption": "", "credit": ""}),
        ("image", {"image": badly, "alt_text": "", "caption": "", "credit": ""}),
    )
    problems = checked(issue).problems
    own = len(issue.body) - 1
    [in_block] = [p for p in problems if "IMG_2041.JPG" in p]
    assert in_block.startswith(f"Bloc {own} « Image » : Le texte alternatif « IMG_2041.JPG »")
    assert "dans le champ « Texte alternatif » de ce bloc" in in_block
    assert "bibliothèque" not in in_block.split("(")[0] and in_block.url == ""
    [in_library] = [p for p in problems if "DSC01234" in p]
    assert in_library.startswith(f"Bloc {own + 1} « Image » : ")
    assert "décrivez-la dans la bibliothèque d'images" in in_library
    assert in_library.url == reverse("wagtailimages:edit", args=[badly.pk])
    # Each is reported once (not again from the HTML).
    assert sum("IMG_2041.JPG" in p for p in problems) == 1


def test_one_list_of_checks_in_the_panel_on_a_test_send_and_on_the_send_form(editor_client, issue):
    """Issue 23, item 4: the warnings (no preview text, a very tall image) were only on the send
    form; the checks panel and the test send page now show the same list."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 1200), "#336699").save(buffer, format="PNG")
    tall = SiteImage(title="Plan", description="Le plan de la cité.", credit="ERBM")
    tall.file = ImageFile(buffer, name="plan-haut.png")
    tall.save()
    issue.preheader = ""
    issue = with_blocks(
        issue, ("image", {"image": tall, "alt_text": "", "caption": "", "credit": ""})
    )
    warnings = checked(issue).warnings
    assert warnings == issue_warnings(
        issue, render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    )
    assert any(w.startswith("Pas de texte d'aperçu") for w in warnings)
    [very_tall] = [w for w in warnings if "très haute" in w]
    assert very_tall.startswith(f"Bloc {len(issue.body)} « Image » : Une image est très haute")

    panel = editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    test_send = editor_client.get(f"/admin/lettre/{issue.pk}/envoyer-un-test/").content.decode()
    send_form = editor_client.get(f"/admin/mailing/envoyer/{issue.pk}/").content.decode()
    for page in (panel, test_send, send_form):
        assert "Pas de texte d&#x27;aperçu" in page
        assert f"Bloc {len(issue.body)} « Image » : Une image est très haute" in page
