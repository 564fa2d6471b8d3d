"""Staff side: lists, CSV export, GDPR erasure, "Envoyer aux abonnés" and progress (the CSV
import: test_import.py)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from mailing.models import Campaign, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_without_send_permission(client, django_user_model):
    """An editor of the site who may not send campaigns."""
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("redac", "redac@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    return client


def test_subscriber_list_filters_and_search(staff):
    make_subscribers(3)
    make_subscribers(2, status="pending", prefix="attente")
    listing = staff.get("/admin/mailing/subscriber/?status__exact=pending")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "attente0@example.org" in html and "abonne0@example.org" not in html
    found = staff.get("/admin/mailing/subscriber/?q=abonne1")
    assert "abonne1@example.org" in found.content.decode()
    assert "Exporter en CSV" in html and "Importer un CSV" in html


def test_csv_export_follows_the_filters_with_constant_queries(
    staff, communes, django_assert_max_num_queries
):
    subscribers = make_subscribers(30, profile="elu")
    for subscriber in subscribers:
        subscriber.communes.add(communes[0], communes[1])
    make_subscribers(2, status="unsubscribed", prefix="parti")
    Subscriber.objects.filter(pk=subscribers[0].pk).update(first_name="=HYPERLINK(1)")

    with django_assert_max_num_queries(8):  # session/user + 2 for the rows, whatever the count
        response = staff.get("/admin/mailing/abonnes/export.csv?status__exact=confirmed")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["email", "prenom", "profil"]
    assert len(rows) == 31
    assert {row[4] for row in rows[1:]} == {"Abonné (confirmé)"}
    assert "Condé-sur-l'Escaut; Vicq" in {row[3] for row in rows[1:]}
    assert "'=HYPERLINK(1)" in {row[1] for row in rows[1:]}  # no formula injection


def test_gdpr_erasure_removes_the_subscriber_and_their_deliveries(staff):
    [subscriber] = make_subscribers(1)
    campaign = Campaign.objects.create(subject="N°2", html="x", text="x", sent_count=1)
    # Sent and already counted on the campaign (mailing/counters.py).
    Delivery.objects.create(
        campaign=campaign, subscriber=subscriber, status="sent", counted_status="sent"
    )
    page = staff.get(f"/admin/mailing/abonnes/{subscriber.pk}/effacer/")
    assert "Effacer définitivement" in page.content.decode()
    staff.post(f"/admin/mailing/abonnes/{subscriber.pk}/effacer/")
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()
    campaign.refresh_from_db()
    assert campaign.sent_count == 1


def test_delivery_list_costs_the_same_queries_for_5_or_100_rows(
    staff, django_assert_max_num_queries
):
    campaign = Campaign.objects.create(subject="N°2", html="x", text="x")
    few = make_subscribers(5)
    Delivery.objects.bulk_create(Delivery(campaign=campaign, subscriber=s) for s in few)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert staff.get("/admin/mailing/delivery/").status_code == 200
    many = make_subscribers(95, prefix="autre")
    Delivery.objects.bulk_create(Delivery(campaign=campaign, subscriber=s) for s in many)
    with CaptureQueriesContext(connection) as large:
        response = staff.get("/admin/mailing/delivery/")
    assert "autre94@example.org" in response.content.decode()
    assert len(large) == len(small)


def test_send_to_subscribers_confirmation_count_preview_and_launch(
    staff, issue, ses, communes, immediate_tasks, settings, django_capture_on_commit_callbacks
):
    settings.MAILING_MAX_SEND_RATE = 0
    elus = make_subscribers(3, prefix="elu", profile="elu")
    make_subscribers(4, prefix="habitant", profile="habitant")
    make_subscribers(2, status="pending", prefix="attente")

    edit = staff.get(f"/admin/pages/{issue.pk}/edit/")
    assert "Envoyer aux abonnés" in edit.content.decode()

    url = f"/admin/mailing/envoyer/{issue.pk}/"
    page = staff.get(url)
    html = page.content.decode()
    assert "7 destinataires" in html and "habitant0@example.org" in html
    segmented = staff.get(url, {"profiles": ["elu"]})
    assert "3 destinataires" in segmented.content.decode()

    # The count shown is what the staff member confirms; a changed list asks again.
    stale = staff.post(url, {"profiles": ["elu"], "confirm_count": "2"})
    assert stale.status_code == 422
    assert not Campaign.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"profiles": ["elu"], "confirm_count": "3"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/mailing/campagne/{campaign.pk}/"
    assert sorted(m["To"] for m in ses.messages()) == sorted(s.email for s in elus)

    progress = staff.get(response["Location"])
    text = progress.content.decode()
    assert "Terminée" in text
    assert '<td data-status="sent">3</td>' in text

    dashboard = staff.get("/admin/")
    assert "Lettre d'information" in dashboard.content.decode()
    assert "3 envoyés sur 3" in dashboard.content.decode()


def test_pause_resume_cancel_from_the_progress_page(staff, issue, ses, settings):
    from mailing.delivery import Segment, create_campaign, start_campaign

    make_subscribers(5)
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    url = f"/admin/mailing/campagne/{campaign.pk}/"
    assert "Mettre en pause" in staff.get(url).content.decode()
    staff.post(url, {"action": "pause"})
    campaign.refresh_from_db()
    assert campaign.status == "paused"
    staff.post(url, {"action": "resume"})
    campaign.refresh_from_db()
    assert campaign.status == "sending"
    staff.post(url, {"action": "cancel"})
    campaign.refresh_from_db()
    assert campaign.status == "cancelled"
    assert campaign.deliveries.filter(status="skipped").count() == 5


def test_sending_needs_the_dedicated_permission(editor_without_send_permission, issue):
    client = editor_without_send_permission
    url = f"/admin/mailing/envoyer/{issue.pk}/"
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    for response in (client.get(url), client.post(url, {"confirm_count": "0"})):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Campaign.objects.exists()
    edit = client.get(f"/admin/pages/{issue.pk}/edit/")
    assert "Envoyer aux abonnés" not in edit.content.decode()


def test_staff_edit_profile_and_communes_but_not_the_consent_proof(staff, communes):
    [subscriber] = make_subscribers(1)
    url = f"/admin/mailing/subscriber/edit/{subscriber.pk}/"
    form = staff.get(url).content.decode()
    assert 'name="profile"' in form and 'name="communes"' in form
    assert 'name="consent_source"' not in form and 'name="status"' not in form
    data = {"first_name": "Léa", "profile": "elu", "communes": [communes[1].pk]}
    response = staff.post(url, data)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.first_name, subscriber.profile) == ("Léa", "elu")
    assert list(subscriber.communes.all()) == [communes[1]]
    assert subscriber.consent_source == "test"
