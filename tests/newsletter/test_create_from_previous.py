"""Issue 23, « compose faster »: « Créer à partir du numéro précédent » makes the next issue as
a draft with the previous one's blocks in order (banner and section headings kept, the others
empty), in 4 clicks from the archive's listing instead of adding each block by hand."""

import pytest
from django.urls import reverse

from newsletter.compose import KEPT_BLOCKS
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage

pytestmark = pytest.mark.django_db


def test_the_next_issue_is_a_draft_with_the_previous_ones_structure(editor_client, issue):
    index = NewsletterIndexPage.objects.get()
    url = reverse("newsletter_create_from_previous", args=[index.pk])
    listing = editor_client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    assert url in listing and "Créer à partir du numéro précédent" in listing

    page = editor_client.get(url).content.decode()
    assert "Créer le brouillon du N°3" in page
    response = editor_client.post(url)

    issue = NewsletterIssuePage.objects.get(number=3)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[issue.pk])
    assert not issue.live and issue.get_parent().pk == index.pk
    assert "N°3" in issue.title and "N°2" not in issue.title
    draft = issue.get_latest_revision_as_object()
    previous = [(b.block_type, b.value) for b in issue.body]
    assert [b.block_type for b in draft.body] == [kind for kind, _ in previous]
    for (kind, value), block in zip(previous, draft.body, strict=True):
        if kind in KEPT_BLOCKS:
            assert block.value == value
        else:
            empty = block.block.get_default()  # to fill
            api = block.block.get_api_representation
            assert api(block.value) == api(empty)
    # The editor opens it without error: the checks panel lists the blocks to fill (a draft
    # with empty required fields cannot be rendered: it used to answer 500), as does the test
    # send page, which sends nothing.
    editor = editor_client.get(response["Location"])
    assert editor.status_code == 200
    assert "bloc à compléter (« Titre », « Texte »)." in editor.content.decode()
    test_url = reverse("newsletter_send_test", args=[issue.pk])
    assert "bloc à compléter" in editor_client.get(test_url).content.decode()
    refused = editor_client.post(test_url, {"addresses": "claire@example.org"})
    assert refused.status_code == 422 and "bloc à compléter" in refused.content.decode()


def test_without_permission_nothing_is_created(client, django_user_model, issue):
    user = django_user_model.objects.create_user("lecteur", "l@example.org", "x", is_staff=True)
    client.force_login(user)
    index = NewsletterIndexPage.objects.get()
    response = client.post(reverse("newsletter_create_from_previous", args=[index.pk]))
    assert response.status_code in (302, 403)
    assert not NewsletterIssuePage.objects.filter(number=3).exists()
