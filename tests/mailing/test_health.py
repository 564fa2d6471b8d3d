"""Issue 13: the bounce pause measures a sliding window of recent sends, shows its cause
(addresses, domains) to staff, and « Reprendre » needs the cause dealt with or an explicit
override, recorded with who and when."""

import json

import pytest

from mailing.delivery import (
    ResumeRefused,
    Segment,
    create_campaign,
    resume_campaign,
    run_batch,
    start_campaign,
)
from mailing.models import Campaign, CampaignEvent, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

URL = "/lettre/ses-notifications/"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def health_settings(settings, sns):
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_BATCH_SIZE = 10
    settings.MAILING_HEALTH_MIN_SENT = 10
    settings.MAILING_HEALTH_WINDOW = 20
    return settings


def bounce_back(client, sns, delivery: Delivery) -> None:
    """SES reports a permanent bounce of this delivery, over SNS, to the real endpoint."""
    payload = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": delivery.subscriber.email}],
        },
        "mail": {"messageId": delivery.ses_message_id, "tags": {"delivery": [str(delivery.pk)]}},
    }
    response = client.post(
        URL, data=json.dumps(sns.notification(payload)), content_type="text/plain"
    )
    assert response.status_code == 200


@pytest.fixture
def paused(issue, ses, sns, health_settings, client):
    """A campaign of 40: the first batch of 10 went out, then 3 of them bounced (all at the
    dead domain ancienne-mairie.example, which has 3 more recipients still to send). The first
    bounce already pauses it (1 of the 10 recent sends: 10 %)."""
    make_subscribers(3, prefix="mairie", domain="ancienne-mairie.example")
    make_subscribers(34)
    make_subscribers(3, prefix="zmairie", domain="ancienne-mairie.example")
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    run_batch(campaign.pk, enqueue_next=False)
    first = list(
        Delivery.objects.filter(status="sent", subscriber__email__startswith="mairie")
        .select_related("subscriber")
        .order_by("pk")
    )
    assert len(first) == 3
    for delivery in first:
        bounce_back(client, sns, delivery)
    campaign.refresh_from_db()
    return campaign


def test_bounces_in_the_window_pause_and_the_page_shows_their_cause(paused, staff):
    campaign = paused
    assert campaign.status == Campaign.Status.PAUSED
    assert campaign.pause_cause == Campaign.PauseCause.HEALTH
    assert "taux de rebonds de 10,0 % sur les 10 derniers envois" in campaign.pause_reason
    page = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert "Cause de la pause automatique" in page
    assert "ancienne-mairie.example" in page
    assert "mairie0@ancienne-mairie.example (rebond, suspendue)" in page
    assert "3 destinataire(s) restent à envoyer aux domaines en cause" in page
    assert "Reprendre malgré les rebonds" in page


def test_plain_resume_is_refused_until_the_bouncing_domain_is_set_aside(paused, staff, ses):
    campaign = paused
    with pytest.raises(ResumeRefused):
        resume_campaign(campaign)
    url = f"/admin/mailing/campagne/{campaign.pk}/"
    page = staff.post(url, {"action": "resume"}, follow=True).content.decode()
    assert "Reprise refusée" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED

    staff.post(url, {"action": "set_aside_domains", "domains": ["ancienne-mairie.example"]})
    skipped = Delivery.objects.filter(status="skipped").values_list("subscriber__email", flat=True)
    assert sorted(skipped) == [f"zmairie{i}@ancienne-mairie.example" for i in range(3)]
    staff.post(url, {"action": "resume"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert campaign.health_override_at is None  # no override was needed

    # The window starts again at the resume: the three old bounces do not pause it again.
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert len(ses.messages()) == 10 + 27


def test_the_override_is_explicit_and_recorded(paused, staff, ses):
    campaign = paused
    url = f"/admin/mailing/campagne/{campaign.pk}/"
    staff.post(url, {"action": "resume_override"})  # the confirmation box left unticked
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED

    staff.post(url, {"action": "resume_override", "confirm_override": "1"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert campaign.health_override_by == staff.user
    assert campaign.health_override_at is not None
    event = CampaignEvent.objects.get(campaign=campaign, kind="override")
    assert event.user == staff.user and "taux de rebonds" in event.message
    page = staff.get(url).content.decode()
    assert "Reprise malgré les rebonds le" in page and "equipe" in page

    # Resumed: the next sends are measured afresh, and the campaign goes on to the end
    # (the three remaining addresses of the dead domain included: staff chose so).
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert Subscriber.objects.filter(status="bounced").count() == 3
    assert len(ses.messages()) == 40  # everyone once


def test_new_bounces_after_a_resume_pause_again(paused, staff, sns, client):
    campaign = paused
    resume_campaign(campaign, user=staff.user, override=True)
    run_batch(campaign.pk, enqueue_next=False)
    newly_sent = list(
        Delivery.objects.filter(status="sent", sent_at__gte=campaign.health_override_at)
        .select_related("subscriber")
        .order_by("pk")
    )
    assert len(newly_sent) == 10
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING
    bounce_back(client, sns, newly_sent[0])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "10,0 % sur les 10 derniers envois" in campaign.pause_reason
