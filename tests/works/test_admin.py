"""An editor records a month's deliveries in the admin: the cité page, the observatory and the
open data show the new figure at once (the snippet save starts a new content generation)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from renouveau.page_cache import invalidate_page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaction", "r@example.org", "x")
    client.force_login(user)
    return user


@override_settings(FRAGMENT_CACHE_SECONDS=300)
def test_a_delivery_recorded_in_the_admin_shows_at_once(client, tracked, staff):
    invalidate_page_cache()
    operation = tracked.under_way.works_operation
    assert "427 logements livrés" in client.get("/cites/cite-des-acacias/").content.decode()
    assert "<strong>715 logements rénovés" in client.get("/observatoire/").content.decode()

    url = reverse("wagtailsnippets_works_operation:edit", args=[operation.pk])
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    count = int(data["deliveries-TOTAL_FORMS"])
    data["deliveries-TOTAL_FORMS"] = str(count + 1)
    data[f"deliveries-{count}-month"] = "2026-11-01"
    data[f"deliveries-{count}-dwellings"] = "16"
    data[f"deliveries-{count}-ORDER"] = str(count + 1)
    data[f"deliveries-{count}-id"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert "443 logements livrés" in client.get("/cites/cite-des-acacias/").content.decode()
    assert "<strong>731 logements rénovés" in client.get("/observatoire/").content.decode()
    data = client.get("/observatoire/avancement-cites.json").json()
    assert data["logements_livres"] == 731


def test_a_phase_with_dates_in_the_wrong_order_is_refused_in_french(client, tracked, staff):
    operation = tracked.under_way.works_operation
    url = reverse("wagtailsnippets_works_operation:edit", args=[operation.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data["phases-0-actual_end"] = "2000-01-01"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "La fin réelle doit suivre le début réel." in response.content.decode()
