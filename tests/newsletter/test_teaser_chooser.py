"""« Ajouter des pages en teasers » takes pages through Wagtail's page chooser; the teasers it
adds come back in the issue's edit form with their chosen page and save as they are."""

import pytest

from tests.admin_edit import EditForm, latest_revision
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(home_page):
    return StandardPageFactory(parent=home_page, slug="le-programme", title="Le programme")


@pytest.fixture
def legal(home_page):
    return StandardPageFactory(parent=home_page, slug="accessibilite", title="Accessibilité")


def add_pages_url(issue) -> str:
    return f"/admin/lettre/{issue.pk}/ajouter-des-pages/"


def test_the_form_offers_wagtail_page_choosers(editor_client, issue):
    html = editor_client.get(add_pages_url(issue)).content.decode()
    # Wagtail's chooser widget (its modal's URL and the script that opens it), one per page.
    assert html.count('name="page_') >= 6 and "/admin/choose-page/" in html
    assert "wagtailadmin/js/page-chooser" in html  # the form's media: the chooser's script


def test_chosen_pages_become_teasers_the_editor_can_save(editor_client, issue, programme, legal):
    before = len(issue.body)

    response = editor_client.post(
        add_pages_url(issue), {"page_1": str(programme.pk), "page_3": str(legal.pk)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = latest_revision(issue).as_object()
    assert [block.value["page"].pk for block in list(draft.body)[before:]] == [
        programme.pk,
        legal.pk,
    ]

    # The editor opens the issue: each teaser shows its chosen page in the block's chooser.
    form = EditForm.load(editor_client, issue)
    teasers = form.streams["body"][before:]
    assert [block["type"] for block in teasers] == ["page_teaser", "page_teaser"]
    assert [block["value"]["page"]["id"] for block in teasers] == [programme.pk, legal.pk]

    # Saved as it is (a draft), every block kept with its page.
    response = form.post(editor_client)
    assert response.status_code == 302, EditForm.from_response(response, issue).errors
    saved = latest_revision(issue).as_object()
    assert len(saved.body) == before + 2
    assert saved.body[before + 1].value["page"].pk == legal.pk


def test_nothing_chosen_or_a_draft_page_is_refused_in_french(editor_client, issue, programme):
    before = latest_revision(issue)
    response = editor_client.post(add_pages_url(issue), {"page_1": "", "addresses": ""})
    assert response.status_code == 200
    assert "Choisissez au moins une page." in response.content.decode()

    draft = programme
    draft.live = False
    draft.save(update_fields=["live"])
    response = editor_client.post(add_pages_url(issue), {"page_1": str(draft.pk)})
    assert response.status_code == 200
    assert "Cette page n’est pas publiée\u00a0: un lecteur" in response.content.decode()
    assert latest_revision(issue) == before  # nothing added


def test_pasted_addresses_still_work_after_chosen_pages(editor_client, issue, programme, legal):
    before = len(issue.body)
    response = editor_client.post(
        add_pages_url(issue), {"page_1": str(legal.pk), "addresses": "/le-programme/"}
    )
    assert response.status_code == 302
    draft = latest_revision(issue).as_object()
    assert [block.value["page"].pk for block in list(draft.body)[before:]] == [
        legal.pk,
        programme.pk,
    ]
