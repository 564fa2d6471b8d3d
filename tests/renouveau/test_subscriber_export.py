"""« Exporter en CSV » on the subscribers' admin list: the file holds exactly the rows the list
shows for the same query string (filters, search, order), in a constant number of queries; a
filter the list does not know answers 400 with a French message, never 500."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mailing.models import Subscriber
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/mailing/subscriber/"
EXPORT = "/admin/mailing/abonnes/export.csv"


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("equipe", "e@example.org", "pw"))
    return client


def subscriber(email: str, **fields) -> Subscriber:
    fields = {"status": "confirmed", "consent_text_version": "v1", **fields}
    return Subscriber.objects.create(email=email, **fields)


@pytest.fixture
def audience():
    """Subscribers that differ by one thing each, so that every filter keeps some and drops some."""
    vicq = CommuneFactory(name="Vicq")
    subscriber("elue@example.org", profile="elu").communes.add(vicq)
    subscriber("habitant@example.org", profile="habitant", first_name="Léon")
    subscriber("attente@example.org", status="pending")
    subscriber("sans-lettre@example.org", newsletter=False)
    subscriber("rebond@example.org", status="bounced", mail_error_at=timezone.now())
    subscriber("relance@example.org", renewal_flagged_at=timezone.now())
    return vicq


def listed_emails(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    cells = response.content.decode().split('<td class="field-email')[1:]
    return [re.search(r"[\w.-]+@example\.org", cell).group(0) for cell in cells]


def exported(client, query: str) -> list[list[str]]:
    response = client.get(f"{EXPORT}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status__exact=confirmed",
        "profile__exact=elu",
        "newsletter__exact=0",
        "mail_error_at__isnull=False",
        "renewal_flagged_at__isnull=False",
        "q=L%C3%A9on",
        "status__exact=confirmed&o=0",  # sorted by e-mail
        "status__exact=confirmed&o=-0",
    ],
)
def test_the_export_holds_what_the_list_shows(staff, audience, query):
    rows = exported(staff, query)
    assert rows[0][:3] == ["email", "prenom", "profil"]
    emails = [row[0] for row in rows[1:]]
    assert emails == listed_emails(staff, query)
    assert 0 < len(emails) < Subscriber.objects.count() or query == ""


def test_the_commune_filter_and_the_columns(staff, audience):
    [header, row] = exported(staff, f"communes__id__exact={audience.pk}")
    assert (row[header.index("email")], row[header.index("communes")]) == (
        "elue@example.org",
        "Vicq",
    )


@pytest.mark.parametrize(
    "query",
    [
        "communes__id__exact=abc",
        "mail_error_at__gte=pas-une-date",
        "inconnu=1",
        "status__exact=confirmed&email__regex=(",
        "consent_ip_hash__startswith=a",  # a field the list does not offer to filter on
    ],
)
def test_a_filter_the_list_does_not_know_answers_400_in_french(staff, audience, query):
    for url in (EXPORT, LIST):
        response = staff.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert "Filtre non reconnu\u00a0:" in response.content.decode()


def test_queries_do_not_grow_with_the_subscribers(staff, audience):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exported(staff, "status__exact=confirmed")
        return len(captured)

    few = queries()
    vicq = audience
    for n in range(40):
        subscriber(f"abonne{n}@example.org").communes.add(vicq)
    assert queries() == few


def test_only_those_who_may_see_subscribers_export_them(client, django_user_model, audience):
    from django.contrib.auth.models import Group, Permission

    editor = django_user_model.objects.create_user("redac", "redac@example.org", "pw")
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get(EXPORT)
    assert response.status_code in (302, 403)
    assert not hasattr(response, "streaming_content")
