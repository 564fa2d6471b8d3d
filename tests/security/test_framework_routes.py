"""Issue 26 item 2: Wagtail's own routes answer before our catch-all page pattern."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_of_restricted_pages_answers(client):
    response = client.get("/_util/login/?next=/membres/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_the_page_password_form_unlocks_the_page(client, home_page):
    from wagtail.models import PageViewRestriction

    from renouveau.models import StandardPage

    page = home_page.add_child(instance=StandardPage(title="Comité", slug="comite", intro="Secret"))
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="cle"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    assert url.startswith("/_util/")
    assert "Secret" not in client.get("/comite/").content.decode()
    response = client.post(url, {"password": "mauvais", "return_url": "/comite/"})
    assert response.status_code == 200  # the form again
    response = client.post(url, {"password": "cle", "return_url": "/comite/"})
    assert response.status_code == 302 and response["Location"] == "/comite/"
    assert "Secret" in client.get("/comite/").content.decode()
