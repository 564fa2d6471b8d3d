"""SES bounce/complaint notifications over SNS, signed with the tests' own certificate."""

import json

import pytest

from mailing.models import Campaign, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

URL = "/lettre/ses-notifications/"


@pytest.fixture
def webhook(sns, settings, client):
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]

    def post(message, **kwargs):
        body = message if isinstance(message, str) else json.dumps(message)
        return client.post(URL, data=body, content_type="text/plain", **kwargs)

    return post


def bounce(email, bounce_type="Permanent", **mail):
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": bounce_type,
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": email}],
        },
        "mail": {"messageId": "0000-bounce", **mail},
    }


def complaint(email, **mail):
    return {
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": email}]},
        "mail": {"messageId": "0000-complaint", **mail},
    }


def test_permanent_bounce_suppresses_the_address(webhook, sns):
    [subscriber] = make_subscribers(1)
    response = webhook(sns.notification(bounce(subscriber.email.upper())))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert "Rebond définitif" in subscriber.suppression_reason


def test_transient_bounce_is_counted_not_suppressed(webhook, sns):
    [subscriber] = make_subscribers(1)
    for _ in range(2):
        webhook(sns.notification(bounce(subscriber.email, "Transient")))
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.transient_bounce_count == 2


def test_complaint_suppresses_with_event_publishing_format_too(webhook, sns):
    [subscriber] = make_subscribers(1)
    event = complaint(subscriber.email)
    event["eventType"] = event.pop("notificationType")
    assert webhook(sns.notification(event, version=2)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.COMPLAINED


def test_forged_unsigned_or_foreign_messages_change_nothing(webhook, sns, settings):
    from tests.sns import make_certificate

    [subscriber] = make_subscribers(1)
    genuine = sns.notification(bounce(subscriber.email))

    tampered = {**genuine, "Message": json.dumps(bounce("autre@example.org"))}
    assert webhook(tampered).status_code == 403

    unsigned = {k: v for k, v in genuine.items() if k != "Signature"}
    assert webhook(unsigned).status_code == 403

    other_key, _ = make_certificate()
    wrong_key = sns.sign({k: v for k, v in genuine.items() if k != "Signature"}, key=other_key)
    assert webhook(wrong_key).status_code == 403

    foreign_topic = sns.notification(
        bounce(subscriber.email), topic_arn="arn:aws:sns:eu-west-3:999999999999:stranger"
    )
    assert webhook(foreign_topic).status_code == 403

    assert webhook("not json").status_code == 403
    assert webhook({"Type": "Notification"}).status_code == 403

    settings.MAILING_SNS_TOPIC_ARNS = []  # nothing configured: refuse everything
    assert webhook(genuine).status_code == 403

    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.transient_bounce_count == 0


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_subscription_confirmation_visits_the_subscribe_url(webhook, sns):
    response = webhook(sns.subscription_confirmation())
    assert response.status_code == 200
    assert any(path.startswith("/confirm") for path in sns.requests)


def test_bounces_count_against_the_campaign_and_pause_it_past_2_percent(webhook, sns, settings):
    settings.MAILING_HEALTH_MIN_SENT = 50
    subscribers = make_subscribers(100)
    campaign = Campaign.objects.create(
        subject="N°2", html="x", text="x", status=Campaign.Status.SENDING, sent_count=100
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s, status="sent") for s in subscribers
    )

    def bounce_of(i):
        tags = {"delivery": [str(deliveries[i].pk)], "campaign": [str(campaign.pk)]}
        return sns.notification(bounce(subscribers[i].email, tags=tags))

    webhook(bounce_of(0))
    webhook(bounce_of(0))  # SNS may deliver twice: counted once
    webhook(bounce_of(1))
    campaign.refresh_from_db()
    assert (campaign.bounce_count, campaign.status) == (2, "sending")  # 2 % is not above 2 %

    webhook(bounce_of(2))
    campaign.refresh_from_db()
    assert campaign.bounce_count == 3
    assert campaign.status == Campaign.Status.PAUSED
    reason = campaign.pause_reason
    assert "taux de rebonds de 3,0 % sur les 100 derniers envois (seuil 2 %)" in reason


def test_one_complaint_per_thousand_pauses_the_campaign(webhook, sns, settings):
    subscribers = make_subscribers(1000)
    campaign = Campaign.objects.create(
        subject="N°2", html="x", text="x", status=Campaign.Status.SENDING, sent_count=1000
    )
    [delivery, *_] = Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s, status="sent") for s in subscribers
    )
    tags = {"delivery": [str(delivery.pk)]}
    webhook(sns.notification(complaint(subscribers[0].email, tags=tags)))
    campaign.refresh_from_db()
    assert campaign.complaint_count == 1
    assert campaign.status == Campaign.Status.PAUSED  # 0.1 % > 0.08 %
    assert "plaintes" in campaign.pause_reason


def test_send_event_reconciles_an_uncertain_delivery_by_its_tag(webhook, sns):
    [subscriber] = make_subscribers(1)
    campaign = Campaign.objects.create(subject="N°2", html="x", text="x", status="done")
    delivery = Delivery.objects.create(campaign=campaign, subscriber=subscriber, status="uncertain")
    event = {
        "eventType": "Send",
        "mail": {"messageId": "ses-123", "tags": {"delivery": [str(delivery.pk)]}},
        "send": {},
    }
    assert webhook(sns.notification(event)).status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.ses_message_id) == ("sent", "ses-123")
    campaign.refresh_from_db()
    assert campaign.sent_count == 1
