"""Issue 32 (editors' views): opening an issue's editor again does not render the whole letter
again, its checks being kept per saved revision in the fragment cache, and they change as soon as
the draft or what they read beyond it (an image of the library) changes. Fragments on, as in
production; MJML compilations counted with a profiler hook (every function runs as usual)."""

import pytest
from django.core.cache import caches
from wagtail.blocks import StreamBlock

from renouveau import fragments
from renouveau.models import SiteImage
from renouveau.page_cache import invalidate_page_cache
from tests.newsletter.test_render_once import counted_calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()  # the cache outlives each test's rollback
    fragments._local.clear()
    invalidate_page_cache()
    yield
    caches["default"].clear()
    fragments._local.clear()


def open_editor(client, issue) -> tuple[str, int]:
    """The edit view's HTML and how many times it compiled the letter's MJML."""
    with counted_calls() as calls:
        response = client.get(f"/admin/pages/{issue.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode(), calls["mjml.mjml2html"]


def test_the_editor_opened_again_does_not_render_the_letter_again(
    editor_client, issue, fragments_on
):
    html, compiled = open_editor(editor_client, issue)
    assert compiled == 1 and "Aucun problème détecté" in html
    html, compiled = open_editor(editor_client, issue)
    assert compiled == 0 and "Aucun problème détecté" in html


def test_a_new_draft_is_checked_at_once(editor_client, issue, fragments_on):
    open_editor(editor_client, issue)
    article = next(block for block in issue.body if block.block_type == "article")
    issue.body = [("article", article.value)] * 60
    issue.save_revision()
    html, compiled = open_editor(editor_client, issue)
    assert compiled == 1 and "Gmail la coupe" in html


def test_an_image_changed_in_the_library_is_checked_at_once(editor_client, issue, fragments_on):
    html, _ = open_editor(editor_client, issue)
    assert "IMG_1234.jpg" not in html
    for image in SiteImage.objects.all():  # the letter's images get a description saying nothing
        image.description = "IMG_1234.jpg"
        image.save()
    html, compiled = open_editor(editor_client, issue)
    assert compiled == 1 and "IMG_1234.jpg" in html


def test_the_blocks_to_fill_are_kept_with_the_checks(
    editor_client, issue, fragments_on, monkeypatch
):
    """Finding them cleans every block (a query per chosen page or image): once per revision."""
    cleaned = []
    clean = StreamBlock.clean  # Wagtail's, counted
    monkeypatch.setattr(
        StreamBlock, "clean", lambda block, value: (cleaned.append(1), clean(block, value))[1]
    )
    article = next(block for block in issue.body if block.block_type == "article")
    others = [(block.block_type, block.value) for block in issue.body]
    issue.body = [("article", {**article.value, "title": ""}), *others]  # a title to fill
    issue.save_revision()

    for cleanings in (1, 0):
        cleaned.clear()
        html, compiled = open_editor(editor_client, issue)
        assert "bloc à compléter (« Titre »)" in html
        assert (len(cleaned), compiled) == (cleanings, 0)
