"""Issue 32 (editors' views ≤ 150 ms): the programme's page types build their edit form class
once per process (cites_pages/models/common.py, TabbedInterface); each form made from it still
shows today's choices, the editor's own values, and saves through the page type's own form."""

import pytest
from bs4 import BeautifulSoup

from cites_pages.models import CaseStudyPage, CityPage, WebinarPage
from cites_pages.models.case_study import CaseStudyPageForm
from tests.admin_edit import EditForm, latest_revision
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CitiesIndexPageFactory,
    CityPageFactory,
)

pytestmark = pytest.mark.django_db


def test_each_page_type_builds_its_form_class_once():
    classes = {}
    for model in (CaseStudyPage, WebinarPage, CityPage):
        first = model.get_edit_handler().get_form_class()
        assert model.get_edit_handler().get_form_class() is first
        assert first._meta.model is model
        classes[model] = first
    assert len(set(classes.values())) == 3  # one a page type, not one for all
    assert issubclass(classes[CaseStudyPage], CaseStudyPageForm)


def ticked(response, name) -> dict[str, bool]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        box.find_parent("label").get_text(strip=True): box.has_attr("checked")
        for box in soup.select(f"#id_{name} input[type=checkbox]")
    }


def test_the_case_study_editor_shows_new_choices_and_saves(admin_client, home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    taffin = CityPageFactory(parent=index, title="Cité Taffin")
    study = CaseStudyPageFactory(
        parent=CaseStudyIndexPageFactory(parent=home_page), cities=[taffin]
    )
    url = f"/admin/pages/{study.pk}/edit/"
    assert ticked(admin_client.get(url), "cities") == {"Cité Taffin": True}

    lemay = CityPageFactory(parent=index, title="Cité Lemay")  # after the class was built
    response = admin_client.get(url)
    assert ticked(response, "cities") == {"Cité Taffin": True, "Cité Lemay": False}

    form = EditForm.from_response(response, study)
    form.fields.setlist("cities", [str(lemay.pk)])
    assert form.post(admin_client).status_code == 302
    saved = latest_revision(study).as_object()
    assert [city.pk for city in saved.cities.all()] == [lemay.pk]
    assert ticked(admin_client.get(url), "cities") == {"Cité Taffin": False, "Cité Lemay": True}


def test_the_case_study_form_still_checks_the_budget(admin_client, home_page):
    study = CaseStudyPageFactory(parent=CaseStudyIndexPageFactory(parent=home_page))
    form = EditForm.load(admin_client, study)
    for prefix, amount in (("budget_lines", "100"), ("funding_lines", "90")):
        form.fields[f"{prefix}-TOTAL_FORMS"] = "1"
        form.fields[f"{prefix}-0-amount"] = amount
        form.fields[f"{prefix}-0-ORDER"] = "1"
    form.fields["budget_lines-0-item"] = "Isolation"
    form.fields["funding_lines-0-source"] = "region"

    response = form.post(admin_client)

    assert response.status_code == 200
    assert "les deux montants doivent être égaux" in response.content.decode()
