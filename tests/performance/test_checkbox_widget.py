"""Issue 32 (editors' views ≤ 150 ms): the admin's checkbox lists (renouveau/widgets.py) give
the HTML of Django's own, read their choices once per form, pages without their StreamFields,
and the edit form still saves the boxes ticked."""

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.models import CityPage
from renouveau.widgets import CheckboxSelectMultiple
from tests.admin_edit import EditForm, latest_revision
from tests.factories import (
    CitiesIndexPageFactory,
    CityPageFactory,
    ThemeFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)

pytestmark = pytest.mark.django_db


class CitiesForm(forms.Form):
    cities = forms.ModelMultipleChoiceField(CityPage.objects.all(), widget=CheckboxSelectMultiple)


def cities(home_page, *titles):
    index = CitiesIndexPageFactory(parent=home_page)
    return [CityPageFactory(parent=index, title=title) for title in titles]


def boxes(html: str) -> dict[str, bool]:
    """Each box's label text → ticked, found through the label's `for`."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for box in soup.select("input[type=checkbox]"):
        label = soup.select_one(f'label[for="{box["id"]}"]')
        found[label.get_text(strip=True)] = box.has_attr("checked")
    return found


def test_the_list_is_the_html_of_django_s(home_page):
    taffin, _, arenberg = cities(home_page, "Cité <Taffin>", "Cité Lemay", "Cité d'Arenberg")
    choices = CitiesForm().fields["cities"].choices
    attrs = {"id": "id_cities", "class": "w-field__input", "aria-describedby": "cities-help"}
    ticked = [taffin.pk, arenberg.pk]

    ours = CheckboxSelectMultiple(choices=choices).render("cities", ticked, attrs=attrs)

    assert ours == forms.CheckboxSelectMultiple(choices=choices).render("cities", ticked, attrs)
    assert boxes(ours) == {"Cité <Taffin>": True, "Cité Lemay": False, "Cité d'Arenberg": True}
    assert "Cité &lt;Taffin&gt;" in ours
    # Groups of options too.
    grouped = [("Nord", [(1, "Cité A"), (2, "Cité B")]), (3, "Cité C")]
    assert CheckboxSelectMultiple(choices=grouped).render("c", [2], {"id": "c"}) == (
        forms.CheckboxSelectMultiple(choices=grouped).render("c", [2], {"id": "c"})
    )


def test_a_form_reads_its_choices_once_without_the_streamfields(home_page):
    cities(home_page, "Cité Taffin")
    form = CitiesForm()
    with CaptureQueriesContext(connection) as read:
        first = str(form["cities"])
    cities(home_page, "Cité Lemay")
    with CaptureQueriesContext(connection) as read_again:
        assert str(form["cities"]) == first  # Wagtail renders each list twice per edit view
    assert (len(read), len(read_again)) == (1, 0)
    reads = [query["sql"] for query in read]
    assert '"cites_pages_citypage"."body"' not in reads[0]
    assert '"cites_pages_citypage"."dwellings"' in reads[0]

    # The next form, and the form class's own widget each time, read them again.
    assert "Cité Lemay" in boxes(str(CitiesForm()["cities"]))
    widget = CitiesForm.base_fields["cities"].widget
    assert "Cité Lemay" in boxes(widget.render("cities", [], {"id": "c"}))
    cities(home_page, "Cité d'Arenberg")
    assert "Cité d'Arenberg" in boxes(widget.render("cities", [], {"id": "c"}))


def test_the_webinar_editor_shows_and_saves_the_ticked_boxes(admin_client, home_page):
    taffin, lemay, arenberg = cities(home_page, "Cité Taffin", "Cité Lemay", "Cité d'Arenberg")
    theme = ThemeFactory(name="Chauffage")
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page), related_cities=[taffin]
    )

    response = admin_client.get(f"/admin/pages/{webinar.pk}/edit/")
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    shown = boxes(str(soup.select_one("#id_related_cities")))
    assert shown == {"Cité Taffin": True, "Cité Lemay": False, "Cité d'Arenberg": False}
    assert boxes(str(soup.select_one("#id_themes"))) == {"Chauffage": False}

    form = EditForm.from_response(response, webinar)
    form.fields.setlist("related_cities", [str(lemay.pk), str(arenberg.pk)])
    form.fields.setlist("themes", [str(theme.pk)])
    response = form.post(admin_client)

    assert response.status_code == 302
    saved = latest_revision(webinar).as_object()
    assert {city.pk for city in saved.related_cities.all()} == {lemay.pk, arenberg.pk}
    assert [t.name for t in saved.themes.all()] == ["Chauffage"]
    again = boxes(str(edit_view(admin_client, webinar).select_one("#id_related_cities")))
    assert again == {"Cité Taffin": False, "Cité Lemay": True, "Cité d'Arenberg": True}


def edit_view(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    return BeautifulSoup(response.content, "html.parser")


def test_the_ticked_boxes_are_read_by_their_keys(admin_client, home_page):
    """A webinar's cités and case studies, as saved: their keys are read, not the pages."""
    taffin, lemay = cities(home_page, "Cité Taffin", "Cité Lemay")
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page), related_cities=[lemay]
    )
    admin_client.get(f"/admin/pages/{webinar.pk}/edit/")  # the editing session is made
    with CaptureQueriesContext(connection) as read:
        soup = edit_view(admin_client, webinar)
    assert boxes(str(soup.select_one("#id_related_cities"))) == {
        "Cité Taffin": False,
        "Cité Lemay": True,
    }
    ticked_read = [q["sql"] for q in read if "webinarpage_related_cities" in q["sql"]]
    # One column, the key (SELECT "cites_pages_citypage"."page_ptr_id" AS "pk" FROM …).
    assert [sql.split(" FROM ")[0].endswith(' AS "pk"') for sql in ticked_read] == [True]
