"""Editors in the Wagtail admin: pre-send checks in the editor, « Envoyer un test » through SES."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Page

from tests.factories import StandardPageFactory
from tests.pages import block_mark
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

SUBJECT = "Renouveau du Bassin Minier N°2 — Juillet 2019"  # as subscribers get it


def link_targets(client, html: str) -> list[str]:
    """Where each link of a mail leads, counted links (/lettre/l/…) followed once."""
    import re

    targets = []
    for href in re.findall(r'href="([^"]+)"', html):
        path = href.removeprefix("http://127.0.0.1:8000")
        if path.startswith("/lettre/l/"):
            href = client.get(path)["Location"]
        targets.append(href)
    return targets


def send_url(issue):
    return f"/admin/lettre/{issue.pk}/envoyer-un-test/"


def test_the_editor_shows_the_checks_and_the_send_test_action(editor_client, issue):
    response = editor_client.get(f"/admin/pages/{issue.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Envoyer un test" in html and send_url(issue) in html
    assert "Aucun problème détecté" in html
    assert html.count(send_url(issue)) == 2  # the action menu and the page's header menu
    assert f"/admin/lettre/{issue.pk}/ajouter-des-pages/" in html  # the action menu


def test_the_editor_warns_when_the_html_exceeds_100_kb(editor_client, issue):
    article = next(b for b in issue.body if b.block_type == "article")
    issue.body = [("article", article.value)] * 60
    issue.save_revision()
    html = editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert "Gmail la coupe" in html
    assert "Cette lettre ne peut pas être envoyée en l'état" in html


def test_a_test_send_arrives_through_ses_with_both_parts_and_headers(editor_client, issue, ses):
    form = editor_client.get(send_url(issue))
    assert form.status_code == 200
    assert 'value="claire@example.org"' not in form.content.decode()  # a textarea…
    assert "claire@example.org" in form.content.decode()  # …pre-filled with the editor's address
    response = editor_client.post(
        send_url(issue), {"addresses": "elu@example.org, Habitant@Example.org\nelu@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{issue.pk}/edit/"
    messages = ses.messages()
    assert sorted(m["To"] for m in messages) == ["elu@example.org", "habitant@example.org"]
    for message in messages:
        # Django/stdlib fold a long encoded subject onto a continuation line (leading space).
        assert message["Subject"].strip() == SUBJECT
        assert message["From"] == "Renouveau du Bassin Minier <contact@renouveaubassinminier.fr>"
        assert message["List-Unsubscribe"].startswith("<http://")
        assert "/lettre/desabonnement/>" in message["List-Unsubscribe"]
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert '<html lang="fr"' in html and "JUILLET 2019. N°2" in html
        assert block_mark("article") in text
        assert "__UNSUBSCRIBE_TOKEN__" not in html + text


def test_a_test_goes_out_with_the_latest_draft(editor_client, issue, ses):
    issue.title = "Brouillon du N°2"
    issue.save_revision()
    editor_client.post(send_url(issue), {"addresses": "elu@example.org"})
    [message] = ses.messages()
    assert message["Subject"].strip() == "Brouillon du N°2"


def test_bad_addresses_are_refused_in_french_and_nothing_is_sent(editor_client, issue, ses):
    response = editor_client.post(
        send_url(issue), {"addresses": "elu@example.org, pas-une-adresse"}
    )
    assert response.status_code == 200
    assert "Adresse(s) non valide(s) : pas-une-adresse" in response.content.decode()
    many = ", ".join(f"a{i}@example.org" for i in range(11))
    response = editor_client.post(send_url(issue), {"addresses": many})
    assert "Pas plus de 10 adresses" in response.content.decode()
    assert ses.messages() == []


def test_a_failing_check_blocks_the_test_with_a_clear_message(editor_client, issue, ses):
    issue.title = "Renouveau du Bassin Minier " * 8  # a 216-character subject
    issue.save_revision()
    response = editor_client.post(send_url(issue), {"addresses": "elu@example.org"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Rien n&#x27;a été envoyé" in html or "Rien n'a été envoyé" in html
    assert "fait 216 caractères" in html
    assert ses.messages() == []


def test_a_link_to_an_unpublished_page_leads_to_its_draft_preview_in_a_test(
    editor_client, issue, ses
):
    """Item 2 of issue 14: a test may link to pages still in draft; the mail says so. A real
    send still refuses them (test_subscribers_get_only_a_published_issue…)."""
    target = next(b.value["page"] for b in issue.body if b.block_type == "call_to_action")
    Page.objects.get(pk=target.pk).specific.unpublish()
    response = editor_client.post(send_url(issue), {"addresses": "elu@example.org"})
    assert response.status_code == 302
    [message] = ses.messages()
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    preview = f"http://127.0.0.1:8000/admin/pages/{target.pk}/view_draft/"
    assert preview in link_targets(editor_client, html)  # behind a counted link, as in a send
    for part in (html, text.replace("\n", " ")):  # as typed: the mail sets « » apart by NBSP
        assert "Envoi de test" in part and f"« {target.title} »" in as_typed(part)
    # The preview is the staff's: it asks an anonymous visitor to log in.
    assert editor_client.get(preview.removeprefix("http://127.0.0.1:8000")).status_code == 200
    editor_client.logout()
    assert editor_client.get(preview.removeprefix("http://127.0.0.1:8000")).status_code == 302


def test_only_editors_allowed_to_test_or_publish_may_send(client, django_user_model, issue, ses):
    user = django_user_model.objects.create_user("visiteur", "v@example.org", "x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail turns a PermissionDenied in an admin view into a redirect with an error message.
    for response in (
        client.get(send_url(issue)),
        client.post(send_url(issue), {"addresses": "a@example.org"}),
    ):
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert ses.messages() == []

    group = Group.objects.create(name="Lettre")
    group.permissions.add(Permission.objects.get(codename="send_test_issue"))
    user.groups.add(group)
    assert client.get(send_url(issue)).status_code == 200
    assert client.get("/admin/lettre/999999/envoyer-un-test/").status_code == 404


def test_the_permission_is_offered_in_group_settings(editor_client):
    html = editor_client.get("/admin/groups/new/").content.decode()
    assert "Peut envoyer un test aux adresses de son choix" in html


def test_an_issue_is_built_quickly_from_existing_pages_as_editable_teasers(
    editor_client, issue, home_page
):
    programme = StandardPageFactory(
        parent=home_page,
        slug="le-programme",
        title="Le programme",
        teaser_text="L'Engagement pour le Renouveau du Bassin Minier en quelques mots.",
    )
    legal = StandardPageFactory(parent=home_page, slug="accessibilite", title="Accessibilité")
    url = f"/admin/lettre/{issue.pk}/ajouter-des-pages/"
    assert url in editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()

    response = editor_client.post(url, {"addresses": "/nulle-part/\n/le-programme/"})
    assert "Aucune page publiée à ces adresses : /nulle-part/" in response.content.decode()

    before = len(issue.body)
    response = editor_client.post(
        url, {"addresses": "http://127.0.0.1:8000/accessibilite/\n\n/le-programme"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert len(issue.body) == before  # a draft: nothing published yet
    draft = issue.get_latest_revision_as_object()
    assert len(draft.body) == before + 2
    added = [block.value["page"].pk for block in list(draft.body)[-2:]]
    assert added == [legal.pk, programme.pk]  # in the order typed

    from newsletter.rendering import render_issue

    rendered = render_issue(draft, unsubscribe_url="https://x.test/u")
    assert "L'Engagement pour le Renouveau du Bassin Minier en quelques mots." in as_typed(
        rendered.text
    )


def test_test_sends_are_rate_limited_per_editor(editor_client, issue, ses, monkeypatch):
    from mailing.admin import test_send as admin_test_send

    monkeypatch.setattr(admin_test_send, "TEST_SENDS_PER_HOUR", "1/h")
    assert editor_client.post(send_url(issue), {"addresses": "a@example.org"}).status_code == 302
    response = editor_client.post(send_url(issue), {"addresses": "b@example.org"})
    assert response.status_code == 429
    assert "Trop de tests envoyés" in response.content.decode()
    assert [m["To"] for m in ses.messages()] == ["a@example.org"]


def never_published_copy(previous):
    """Issue N°3, the body of N°2, saved as a draft and never published."""
    from newsletter.models import NewsletterIssuePage

    issue = NewsletterIssuePage(
        title="Renouveau du Bassin Minier N°3",
        slug="n3",
        number=3,
        issue_date=previous.issue_date,
        preheader=previous.preheader,
        body=[(b.block_type, b.value) for b in previous.body],
        live=False,
    )
    previous.get_parent().add_child(instance=issue)
    issue.save_revision()
    return issue


def test_a_never_published_issue_can_be_tested_from_its_latest_draft(editor_client, issue, ses):
    issue = never_published_copy(issue)
    issue.title = "N°3, relu"
    issue.save_revision()
    response = editor_client.post(send_url(issue), {"addresses": "elu@example.org"})
    assert response.status_code == 302
    [message] = ses.messages()
    assert message["Subject"].strip() == "N°3, relu"  # the latest revision
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    # No link without an address: the web version leads to the draft's preview, said so.
    assert 'href=""' not in html
    preview = f"http://127.0.0.1:8000/admin/pages/{issue.pk}/view_draft/"
    assert link_targets(editor_client, html).count(preview) == 2  # top and footer
    assert "Envoi de test" in html and "N°3, relu (version en ligne)" in html
    assert "/n3/" not in html + text  # no public address of the unpublished page
    assert "JUILLET 2019. N°3" in html


def test_subscribers_get_only_a_published_issue_and_the_editor_is_told(editor_client, issue):
    from newsletter.checks import check_issue
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

    issue = never_published_copy(issue)
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    [problem] = check_issue(issue, rendered)
    assert problem.startswith("La lettre n'est pas encore publiée")
    assert check_issue(issue, rendered, test_send=True) == []
    html = editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert "La lettre n&#x27;est pas encore publiée" in html
    issue.get_latest_revision().publish()
    issue.refresh_from_db()
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    assert check_issue(issue, rendered) == []
    assert f'href="{issue.get_archive_url()}"' in rendered.html
