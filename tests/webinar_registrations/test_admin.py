"""Staff side: webinars with their counts, registrants, attendance, places and CSV export."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from webinar_registrations import registrations
from webinar_registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(user)
    return client


def denied(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def login_with(client, django_user_model, *codenames):
    group = Group.objects.create(name="Équipe " + "-".join(codenames))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="webinar_registrations", codename=codename
            )
        )
    user = django_user_model.objects.create_user("lecteur", "lecteur@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    return client


def register(webinar, email: str, **fields) -> Registration:
    fields.setdefault("name", email.split("@")[0])
    fields.setdefault("profile", "bailleur")
    return registrations.register(webinar, email=email, **fields)[0]


def admin_url(webinar) -> str:
    return f"/admin/webinaires-inscriptions/{webinar.pk}/"


def test_the_list_of_webinars_shows_the_counts(staff, webinar, ses):
    registrations.set_capacity(webinar, capacity=2, open=True)
    for name in ("a", "b", "c"):
        register(webinar, f"{name}@example.org")
    registrations.cancel(Registration.objects.get(email="a@example.org"))

    html = staff.get("/admin/webinaires-inscriptions/").content.decode()
    assert webinar.title in html
    assert "<td>2</td><td>0</td><td>1</td><td>0</td>" in html  # c promoted when a cancelled

    page = staff.get(admin_url(webinar))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Inscrits&nbsp;: <strong>2</strong> sur 2 places" in text
    assert "c@example.org" in text and "Exporter les inscrits (CSV)" in text
    # The webinar's edit page links to its registrants.
    assert admin_url(webinar) in staff.get(f"/admin/pages/{webinar.pk}/edit/").content.decode()


def test_staff_mark_attendance(staff, webinar):
    a = register(webinar, "a@example.org")
    b = register(webinar, "b@example.org")
    response = staff.post(admin_url(webinar), {"action": "attendance", "attended": [a.pk]})
    assert response.status_code == 302
    assert Registration.objects.get(pk=a.pk).attended
    assert not Registration.objects.get(pk=b.pk).attended
    staff.post(admin_url(webinar), {"action": "attendance", "attended": [b.pk]})
    assert list(Registration.objects.filter(attended=True)) == [Registration.objects.get(pk=b.pk)]
    assert registrations.counts(webinar)["attended"] == 1


def test_staff_set_places_and_the_waiting_list_is_promoted(staff, webinar, ses):
    response = staff.post(admin_url(webinar), {"action": "settings", "capacity": "1", "open": "on"})
    assert response.status_code == 302
    register(webinar, "a@example.org")
    waiting = register(webinar, "b@example.org")
    assert waiting.status == Registration.Status.WAITING

    staff.post(admin_url(webinar), {"action": "settings", "capacity": "", "open": "on"})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert [m["To"] for m in ses.messages()] == ["b@example.org"]

    bad = staff.post(admin_url(webinar), {"action": "settings", "capacity": "-3"})
    assert bad.status_code == 400


def test_csv_export_neutralises_formulas(staff, webinar):
    register(webinar, "a@example.org", name='=HYPERLINK("http://x")', organisation="+33 Mairie")
    response = staff.get(f"{admin_url(webinar)}export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["nom", "email", "organisation", "profil", "statut"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][1:5] == ["a@example.org", "'+33 Mairie", "Bailleur social", "Inscrit"]


def test_permissions(client, django_user_model, webinar):
    registration = register(webinar, "a@example.org")
    reader = login_with(client, django_user_model, "view_registration")
    assert reader.get(admin_url(webinar)).status_code == 200
    assert reader.get(f"{admin_url(webinar)}export.csv").status_code == 200
    attendance = {"action": "attendance", "attended": [registration.pk]}
    response = reader.post(admin_url(webinar), attendance)
    assert denied(response)
    assert not Registration.objects.filter(attended=True).exists()


def test_editors_without_the_permission_see_nothing(client, django_user_model, webinar):
    reader = login_with(client, django_user_model)
    assert denied(reader.get("/admin/webinaires-inscriptions/"))
    assert denied(reader.get(f"{admin_url(webinar)}export.csv"))
