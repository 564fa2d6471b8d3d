"""« Programmer l'envoi »: a campaign programmed in the admin starts at its time (Europe/Paris),
with the recipients of that moment, once; cancellable until it starts."""

import html
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mailing.delivery import start_due_campaigns
from mailing.models import Campaign, CampaignEvent, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def schedule_in_admin(staff, issue, when_local: str, count: int):
    return staff.post(
        f"/admin/mailing/envoyer/{issue.pk}/",
        {"confirm_count": str(count), "scheduled_for": when_local},
    )


def test_a_programmed_campaign_starts_at_its_time_with_the_recipients_of_then(
    staff,
    issue,
    ses,
    settings,
):
    settings.MAILING_MAX_SEND_RATE = 0
    early, leaving = make_subscribers(2)
    when = (timezone.now() + timedelta(days=2)).astimezone(PARIS).replace(second=0, microsecond=0)
    response = schedule_in_admin(staff, issue, when.strftime("%Y-%m-%dT%H:%M"), 2)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.scheduled_for == when  # the time typed is Paris time
    event = CampaignEvent.objects.get(kind=CampaignEvent.Kind.SCHEDULE)
    assert event.message == f"Envoi programmé le {when:%d/%m/%Y à %H:%M}."
    page = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert f"Programmée</strong> pour le {when:%d/%m/%Y à %H:%M}" in page
    assert "Annuler la programmation" in page

    # Before its time nothing starts; meanwhile one reader joins and one leaves.
    assert start_due_campaigns(now=when - timedelta(minutes=1)) == 0
    [late] = make_subscribers(1, prefix="tardif")
    Subscriber.objects.filter(pk=leaving.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    assert start_due_campaigns(now=when) == 1
    assert start_due_campaigns(now=when) == 0  # a second scheduler run starts nothing more
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert set(campaign.deliveries.values_list("subscriber_id", flat=True)) == {early.pk, late.pk}
    assert campaign.recipient_count == 2


def test_programming_in_the_past_is_refused_in_french(staff, issue):
    make_subscribers(1)
    past = (timezone.now() - timedelta(hours=1)).astimezone(PARIS)
    response = schedule_in_admin(staff, issue, past.strftime("%Y-%m-%dT%H:%M"), 1)
    assert response.status_code == 422
    assert "Choisissez une date et une heure à venir." in response.content.decode()
    garbage = schedule_in_admin(staff, issue, "demain matin", 1)
    assert garbage.status_code == 422
    assert "Saisissez une date et une heure valides" in garbage.content.decode()
    assert not Campaign.objects.exists()


def test_a_programmed_campaign_can_be_cancelled_until_it_starts(staff, issue):
    make_subscribers(1)
    when = timezone.now() + timedelta(hours=3)
    schedule_in_admin(staff, issue, when.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"), 1)
    campaign = Campaign.objects.get()
    staff.post(f"/admin/mailing/campagne/{campaign.pk}/", {"action": "unschedule"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert start_due_campaigns(now=when + timedelta(minutes=5)) == 0
    assert not Delivery.objects.filter(status=Delivery.Status.SENT).exists()


def test_the_scheduler_runs_the_job_every_minute():
    from renouveau.scheduler import build_scheduler, discover_jobs

    [job] = [job for job in discover_jobs() if job.name == "mailing-scheduled-campaigns"]
    assert job.every_seconds == 60
    scheduler = build_scheduler([job])
    assert [j.id for j in scheduler.get_jobs()] == ["mailing-scheduled-campaigns"]


def test_warnings_need_an_acknowledgement_recorded_on_the_campaign(staff, issue):
    make_subscribers(1)
    issue.preheader = ""  # a warning, not an error
    issue.save_revision().publish()
    url = f"/admin/mailing/envoyer/{issue.pk}/"
    page = html.unescape(staff.get(url).content.decode())
    assert "Pas de texte d'aperçu" in page and "acknowledge_warnings" in page
    refused = staff.post(url, {"confirm_count": "1"})
    assert refused.status_code == 422
    assert "Cochez la case pour confirmer que vous avez lu les avertissements." in (
        html.unescape(refused.content.decode())
    )
    assert not Campaign.objects.exists()
    staff.post(url, {"confirm_count": "1", "acknowledge_warnings": "1"})
    campaign = Campaign.objects.get()
    event = campaign.events.get(kind=CampaignEvent.Kind.WARNINGS)
    assert event.user.username == "equipe"
    assert "Pas de texte d'aperçu" in event.message


def test_the_size_is_checked_on_the_mail_as_it_leaves(issue):
    from mailing.delivery.campaigns import Segment, create_campaign, final_size_problem
    from newsletter.checks import MAX_HTML_BYTES
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER

    campaign = create_campaign(issue, Segment())
    assert final_size_problem(campaign) == ""
    # Just under the limit with the placeholder: over it once the personal address is in.
    padding = MAX_HTML_BYTES - len(campaign.html.encode()) - 10
    campaign.html += "x" * padding  # as track_links leaves it, in memory
    assert UNSUBSCRIBE_URL_PLACEHOLDER in campaign.html
    assert "pèse 100.0 Ko de HTML" in final_size_problem(campaign)


def test_a_programmed_campaign_keeps_its_saved_segment(staff, issue):
    """« Élus de la CA Lens-Liévin », programmed: the count shown, the segment recorded on the
    campaign, and at its time the segment's members of that moment, nobody else."""
    from mailing.models import SavedSegment
    from tests.factories import CommuneFactory, EPCIFactory

    lens = EPCIFactory(name="CA Lens-Liévin")
    avion = CommuneFactory(name="Avion", epci=lens)
    elu, habitant, elu_ailleurs = make_subscribers(3)
    Subscriber.objects.filter(pk__in=[elu.pk, elu_ailleurs.pk]).update(profile="elu")
    elu.communes.add(avion)
    habitant.communes.add(avion)
    segment = SavedSegment.objects.create(name="Élus de la CA Lens-Liévin", profiles=["elu"])
    segment.epcis.add(lens)

    page = staff.get(f"/admin/mailing/envoyer/{issue.pk}/", {"saved_segment": segment.pk})
    assert page.context["count"] == 1
    assert "Segment « Élus de la CA Lens-Liévin »" in html.unescape(page.content.decode())
    when = (timezone.now() + timedelta(days=2)).astimezone(PARIS).replace(second=0, microsecond=0)
    response = staff.post(
        f"/admin/mailing/envoyer/{issue.pk}/",
        {
            "saved_segment": segment.pk,
            "confirm_count": "1",
            "scheduled_for": when.strftime("%Y-%m-%dT%H:%M"),
            "acknowledge_warnings": "on",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.segment["saved_segment"] == segment.pk
    assert campaign.segment_label == "Segment « Élus de la CA Lens-Liévin »"

    [nouvel_elu] = make_subscribers(1, prefix="nouvel", profile="elu")
    nouvel_elu.communes.add(avion)  # joins the segment before the campaign starts
    assert start_due_campaigns(now=when) == 1
    assert set(campaign.deliveries.values_list("subscriber_id", flat=True)) == {
        elu.pk,
        nouvel_elu.pk,
    }

    bad = staff.get(f"/admin/mailing/envoyer/{issue.pk}/", {"saved_segment": "999999"})
    assert bad.status_code == 400
    assert "Ce segment n" in bad.content.decode()
