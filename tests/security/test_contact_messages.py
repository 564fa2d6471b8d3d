"""Issue 26 item 8: contact-form messages are read and exported by the roles that answer
them (« Modérateurs », superusers), not by « Rédacteurs »."""

import pytest
from django.contrib.auth.models import Group
from wagtail.contrib.forms.models import FormSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_page(home_page):
    from renouveau.form_pages import FormField, FormPage

    page = home_page.add_child(instance=FormPage(title="Contact", slug="contact"))
    FormField.objects.create(page=page, label="Message", field_type="multiline")
    FormSubmission.objects.create(page=page, form_data={"message": "Mon adresse : 3 rue X"})
    return page


def staff_in(django_user_model, group_name):
    user = django_user_model.objects.create_user(group_name, f"{group_name}@example.org", "x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize(("group", "allowed"), [("Rédacteurs", False), ("Modérateurs", True)])
def test_contact_messages_by_role(client, django_user_model, contact_page, group, allowed):
    client.force_login(staff_in(django_user_model, group))
    url = f"/admin/forms/submissions/{contact_page.pk}/"
    for query in ("", "?export=csv"):
        response = client.get(url + query)
        if allowed:
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403)
    listing = client.get("/admin/forms/").content.decode()
    assert ("Contact" in listing) is allowed
