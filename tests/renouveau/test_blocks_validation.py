"""Issue 23, item 1: a custom block's validation error comes back through the real admin edit
view as a 200 form with the French message on the field, every block still there, nothing saved
over the last revision; once fixed, the save keeps every block. (Before, the blocks raised plain
strings: « 'str' object has no attribute 'messages' », a 500, and the editor's work was lost.)"""

from __future__ import annotations

from datetime import date

import pytest

from tests.admin_edit import EditForm, block_messages, refused_then_saved
from tests.factories import SiteImageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("claire", "claire@example.org", "x")
    client.force_login(user)
    return client


@pytest.fixture
def programme(home_page):
    """A page whose body has an image, a call to action and a video around a paragraph."""
    image = SiteImageFactory(title="Chantier", description="Un chantier.", credit="ERBM")
    page = StandardPageFactory(
        parent=home_page,
        slug="le-programme",
        title="Le programme",
        body=[
            ("heading", {"text": "Le chantier", "level": "h2"}),
            ("image", {"image": image, "alt_text": "", "caption": "", "credit": ""}),
            ("paragraph", "<p>Texte.</p>"),
            (
                "call_to_action",
                {
                    "title": "Agir",
                    "text": "",
                    "button_label": "Voir",
                    "page": None,
                    "url": "https://example.org/",
                },
            ),
            (
                "video",
                {
                    "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "title": "Visite",
                    "transcript": "",
                },
            ),
        ],
    )
    page.save_revision().publish()
    return page


def test_an_image_without_alt_text_or_credit_is_refused_on_its_fields(editor, programme):
    bare = SiteImageFactory(title="Sans description", description="", credit="")

    def upload_without_alt(value):
        value["image"] = {"id": bare.pk}

    def fill_in(value):
        value["alt_text"] = "Une façade rénovée."
        value["credit"] = "Ville de Vicq"

    saved = refused_then_saved(
        editor,
        programme,
        "body",
        (1, "alt_text"),
        upload_without_alt,
        "Saisissez un texte alternatif : l’image n’a pas de description dans la bibliothèque "
        "d’images.",
        fill_in,
    )
    assert (saved["image"], saved["alt_text"]) == (bare, "Une façade rénovée.")
    # The credit's own message was on its own field in the same answer (checked once more).
    form = EditForm.load(editor, programme)
    form.streams["body"][1]["value"]["credit"] = ""
    back = EditForm.from_response(form.post(editor), programme)
    assert block_messages(back.errors["body"], 1, "credit") == [
        "Saisissez un crédit : l’image n’en a pas dans la bibliothèque d’images."
    ]


def test_a_call_to_action_without_page_or_address_is_refused_on_the_page_field(editor, programme):
    def no_target(value):
        value["url"] = ""

    def address(value):
        value["url"] = "https://example.org/agir"

    refused_then_saved(
        editor,
        programme,
        "body",
        (3, "page"),
        no_target,
        "Choisissez une page ou saisissez une adresse web.",
        address,
    )


def test_a_video_address_no_player_knows_is_refused_on_the_video_field(editor, programme):
    def elsewhere(value):
        value["video"] = "https://example.org/ma-video"

    def youtube(value):
        value["video"] = "https://youtu.be/dQw4w9WgXcQ"

    refused_then_saved(
        editor,
        programme,
        "body",
        (4, "video"),
        elsewhere,
        "Adresse non reconnue : indiquez l’adresse d’une vidéo YouTube, Vimeo ou Dailymotion "
        "(par exemple https://www.youtube.com/watch?v=…).",
        youtube,
    )


@pytest.fixture
def cite(home_page):
    from tests.factories import CitiesIndexPageFactory, CityPageFactory, CommuneFactory

    image = SiteImageFactory(title="Cité Lemay", description="La cité Lemay.", credit="ERBM")
    event = {
        "date": date(2024, 5, 3),
        "date_precision": "day",
        "end_date": None,
        "kind": "atelier",
        "title": "Atelier habitants",
        "text": "<p>Un atelier.</p>",
        "images": [{"image": image, "alt_text": "", "caption": "", "credit": ""}],
        "quotes": [],
    }
    return CityPageFactory(
        parent=CitiesIndexPageFactory(parent=home_page),
        communes=[CommuneFactory(name="Pecquencourt", insee_code="59456", department="59")],
        timeline=[("event", event), ("event", {**event, "title": "Balade"})],
    )


def test_a_timeline_event_ending_before_it_starts_is_refused_on_its_end_date(editor, cite):
    def backwards(value):
        value["end_date"] = "2024-05-01"

    def onwards(value):
        value["end_date"] = "2024-05-04"

    saved = refused_then_saved(
        editor,
        cite,
        "timeline",
        (0, "end_date"),
        backwards,
        "La date de fin doit suivre la date de début.",
        onwards,
    )
    assert saved["end_date"] == date(2024, 5, 4)


def test_a_photo_of_a_timeline_event_without_alt_text_is_refused_on_its_field(editor, cite):
    bare = SiteImageFactory(title="Sans description", description="", credit="Ville")

    def upload_without_alt(value):
        value["images"][0]["value"]["image"] = {"id": bare.pk}

    def fill_in(value):
        value["images"][0]["value"]["alt_text"] = "Des habitants autour d’une table."

    saved = refused_then_saved(
        editor,
        cite,
        "timeline",
        (1, "images", 0, "alt_text"),
        upload_without_alt,
        "Saisissez un texte alternatif : l’image n’a pas de description dans la bibliothèque "
        "d’images.",
        fill_in,
    )
    assert saved["images"][0]["alt_text"] == "Des habitants autour d’une table."
