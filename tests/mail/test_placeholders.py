"""Placeholders never go out (issue 29, item 4): the pre-send checks refuse « à compléter »,
« à confirmer », « XXX », « Lorem » in the letter and its footer (the publisher, from the legal
notice), and `check --deploy` names those left in the legal notice."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from newsletter.checks import check_issue
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.legal import LegalNoticePage
from renouveau.placeholders import check_legal_notice, placeholder_problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text", ["Adresse à compléter", "Date à\u00a0confirmer", "Tél. XXX", "Lorem ipsum dolor"]
)
def test_each_placeholder_is_refused_in_the_mail(text):
    [problem] = placeholder_problems(f"<p>{text}</p>", "", publisher={})
    assert "texte provisoire" in problem


def test_words_that_merely_contain_them_pass():
    assert (
        placeholder_problems(
            "<p>Compléter le dossier ; confirmer à la mairie.</p>", "x", publisher={}
        )
        == []
    )
    assert placeholder_problems('<img alt="" src="https://x.fr/XXX.jpg">', "", publisher={}) == []


def test_the_letter_with_a_placeholder_in_its_footer_is_refused(issue, legal_notice):
    render = lambda: render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)  # noqa: E731
    assert check_issue(issue, render()) == []
    notice = LegalNoticePage.objects.live().get()
    notice.publisher_address = "Adresse postale à compléter\n59000 Lille"
    notice.save_revision().publish()
    problems = check_issue(issue, render())
    assert any("Mentions légales" in p and "à compléter" in p for p in problems), problems


def test_the_deploy_check_names_placeholders_of_the_legal_notice(legal_notice):
    notice = LegalNoticePage.objects.live().get()
    notice.publisher_name = "Préfecture (à confirmer)"
    notice.save_revision().publish()
    [warning] = check_legal_notice()
    assert warning.id == "renouveau.W010" and "éditeur du site (à confirmer)" in warning.msg
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "content")
