"""Audience rules that run on the clock (issue 31): the one opt-in reminder before the purge,
re-permission of old consents, and bounce classification over a window. The clock is moved
with freezegun; the database and the mails SES (moto) captured are read."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from freezegun import freeze_time

from mailing.models import Subscriber
from renouveau.scheduler import discover_jobs

pytestmark = pytest.mark.django_db


def run_job(name: str):
    [job] = [job for job in discover_jobs() if job.name == name]
    return job.func()


def subject_of(message) -> str:
    return str(message["Subject"])


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def path_in(message, pattern: str) -> str:
    match = re.search(pattern, text_of(message))
    assert match, text_of(message)
    return "/" + match.group(0).split("/", 3)[3]


# --- 1. One reminder before the 30-day purge ---


def test_one_reminder_at_day_seven_then_confirm_with_the_button(client, ses, immediate_tasks):
    start = timezone.now()
    with freeze_time(start):
        client.post("/lettre/abonnement/", {"email": "lent@example.org", "consent": "on"})
    assert len(ses.messages()) == 1
    subscriber = Subscriber.objects.get(email="lent@example.org")

    with freeze_time(start + timedelta(days=6)):
        assert run_job("mailing-optin-reminders") == {"reminded": 0, "failed": 0}
    assert len(ses.messages()) == 1

    with freeze_time(start + timedelta(days=8)):
        assert run_job("mailing-optin-reminders") == {"reminded": 1, "failed": 0}
        assert run_job("mailing-optin-reminders") == {"reminded": 0, "failed": 0}
    subscriber.refresh_from_db()
    assert subscriber.reminder_sent_at == start + timedelta(days=8)
    [_, reminder] = ses.messages()
    assert reminder["To"] == "lent@example.org"
    assert subject_of(reminder).startswith("Rappel : confirmez votre abonnement")
    assert "le seul que nous vous enverrons" in text_of(reminder)
    erased_on = date_format(timezone.localtime(start + timedelta(days=30)), "j F Y")
    assert f"effacée le {erased_on}" in re.sub(r"[\u00a0\u202f]", " ", text_of(reminder))

    with freeze_time(start + timedelta(days=10)):
        assert run_job("mailing-optin-reminders") == {"reminded": 0, "failed": 0}
        link = path_in(reminder, r"https?://\S+/lettre/confirmation/\S+/")
        page = client.get(link)  # a mail scanner opening the link confirms nothing
        assert page.status_code == 200
        assert "Je confirme mon abonnement" in page.content.decode()
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING
        client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert len(ses.messages()) == 3  # the welcome mail; no more reminders


def test_no_reminder_to_confirmed_or_after_the_purge(client, ses, immediate_tasks):
    start = timezone.now()
    with freeze_time(start):
        client.post("/lettre/abonnement/", {"email": "vite@example.org", "consent": "on"})
        client.post("/lettre/abonnement/", {"email": "oubli@example.org", "consent": "on"})
    quick = Subscriber.objects.get(email="vite@example.org")
    Subscriber.objects.filter(pk=quick.pk).update(status=Subscriber.Status.CONFIRMED)
    with freeze_time(start + timedelta(days=31)):
        assert run_job("mailing-optin-reminders") == {"reminded": 0, "failed": 0}
        run_job("mailing-list-hygiene")
    assert not Subscriber.objects.filter(email="oubli@example.org").exists()
    assert len(ses.messages()) == 2


# --- 2. Re-permission of old consents ---


def _confirmed(client, ses, email: str) -> Subscriber:
    client.post("/lettre/abonnement/", {"email": email, "consent": "on"})
    [mail] = [m for m in ses.messages() if m["To"] == email]
    client.post(path_in(mail, r"https?://\S+/lettre/confirmation/\S+/"))
    return Subscriber.objects.get(email=email, status=Subscriber.Status.CONFIRMED)


def test_old_consent_asked_once_renewed_with_the_button(client, ses, immediate_tasks, settings):
    from mailing.models import ConsentRecord

    settings.MAILING_REPERMISSION_YEARS = 2
    start = timezone.now()
    with freeze_time(start):
        subscriber = _confirmed(client, ses, "fidele@example.org")
    sent = len(ses.messages())

    with freeze_time(start + timedelta(days=365)):
        assert run_job("mailing-repermission") == {"asked": 0, "failed": 0, "unsubscribed": 0}
    later = start + timedelta(days=2 * 365 + 1)
    with freeze_time(later):
        assert run_job("mailing-repermission") == {"asked": 1, "failed": 0, "unsubscribed": 0}
        assert run_job("mailing-repermission") == {"asked": 0, "failed": 0, "unsubscribed": 0}
    [ask] = ses.messages()[sent:]
    assert subject_of(ask) == "Souhaitez-vous rester abonné au Renouveau du Bassin Minier ?"
    link = path_in(ask, r"https?://\S+/lettre/preferences/\S+/renouveler/")
    assert "<img" not in ask.get_body(("html",)).get_content()  # no open-tracking pixel

    with freeze_time(later + timedelta(days=3)):
        page = client.get(link)  # opening the link (a scanner) renews nothing
        assert "Je reste abonné" in page.content.decode()
        subscriber.refresh_from_db()
        assert subscriber.repermission_asked_at == later
        assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.repermission_asked_at is None
    assert subscriber.status == Subscriber.Status.CONFIRMED
    renewal = ConsentRecord.objects.get(subscriber=subscriber, source__startswith="Je reste")
    assert (renewal.topic, renewal.given) == ("newsletter", True)
    assert renewal.at == later + timedelta(days=3)

    with freeze_time(later + timedelta(days=60)):  # renewed: not asked nor unsubscribed
        assert run_job("mailing-repermission") == {"asked": 0, "failed": 0, "unsubscribed": 0}
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_no_answer_in_thirty_days_unsubscribes_with_a_withdrawal(
    client, ses, immediate_tasks, settings
):
    from mailing.models import ConsentRecord

    start = timezone.now()
    with freeze_time(start):
        subscriber = _confirmed(client, ses, "absent@example.org")
    asked_at = start + timedelta(days=3 * 365 + 1)
    with freeze_time(asked_at):
        assert run_job("mailing-repermission")["asked"] == 1
    with freeze_time(asked_at + timedelta(days=29)):
        assert run_job("mailing-repermission")["unsubscribed"] == 0
    with freeze_time(asked_at + timedelta(days=31)):
        assert run_job("mailing-repermission") == {"asked": 0, "failed": 0, "unsubscribed": 1}
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.newsletter is False
    assert subscriber.unsubscribed_campaign is None
    withdrawal = ConsentRecord.objects.get(subscriber=subscriber, given=False, topic="newsletter")
    assert withdrawal.source == "Sans réponse à la demande de renouvellement"
    assert withdrawal.at == asked_at + timedelta(days=31)


# --- 3. Bounce classification ---


@pytest.fixture
def webhook(sns, settings, client):
    import json

    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]

    def post(payload):
        body = json.dumps(sns.notification(payload))
        return client.post("/lettre/ses-notifications/", data=body, content_type="text/plain")

    return post


def bounce(email, bounce_type, sub_type, diagnostic=""):
    recipient = {"emailAddress": email, "diagnosticCode": diagnostic}
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": bounce_type,
            "bounceSubType": sub_type,
            "bouncedRecipients": [recipient],
        },
        "mail": {"messageId": f"msg-{email}-{timezone.now().timestamp()}"},
    }


def test_soft_bounces_suppress_only_three_within_thirty_days(webhook, settings):
    from mailing.models import BounceRecord
    from tests.mailing.conftest import make_subscribers

    [subscriber] = make_subscribers(1)
    full = f"smtp; 452 4.2.2 <{subscriber.email}>: Mailbox full"
    for _ in range(2):
        webhook(bounce(subscriber.email, "Transient", "MailboxFull", full))
    # The SNS signing certificate is only valid now: the bounces are dated back instead of
    # moving the clock. The first one left the 30-day window.
    first, second = BounceRecord.objects.filter(subscriber=subscriber).order_by("pk")
    BounceRecord.objects.filter(pk=first.pk).update(at=timezone.now() - timedelta(days=45))
    BounceRecord.objects.filter(pk=second.pk).update(at=timezone.now() - timedelta(days=25))
    assert webhook(bounce(subscriber.email, "Undetermined", "Undetermined")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.transient_bounce_count == 3

    webhook(bounce(subscriber.email, "Transient", "General"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert subscriber.suppression_reason == "3 rebonds temporaires en 30 jours signalés par SES"
    records = list(BounceRecord.objects.filter(subscriber=subscriber).order_by("at"))
    assert [(r.kind, r.sub_type, r.suppressed) for r in records] == [
        ("Transient", "MailboxFull", False),
        ("Transient", "MailboxFull", False),
        ("Undetermined", "Undetermined", False),
        ("Transient", "General", True),
    ]
    # The diagnostic is kept for staff, never the address.
    assert records[0].diagnostic == "smtp; 452 4.2.2 <[e-mail]>: Mailbox full"


def test_permanent_bounce_and_complaint_suppress_at_once_shown_to_staff(
    webhook, client, django_user_model
):
    from mailing.models import BounceRecord
    from tests.mailing.conftest import make_subscribers

    gone, angry = make_subscribers(2)
    webhook(bounce(gone.email, "Permanent", "NoEmail", "smtp; 550 5.1.1 user unknown"))
    webhook(
        {
            "notificationType": "Complaint",
            "complaint": {
                "complainedRecipients": [{"emailAddress": angry.email}],
                "complaintFeedbackType": "abuse",
            },
            "mail": {"messageId": "msg-complaint"},
        }
    )
    gone.refresh_from_db()
    angry.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED
    assert gone.suppression_reason == "Rebond définitif signalé par SES (NoEmail)"
    assert angry.status == Subscriber.Status.COMPLAINED
    [record] = BounceRecord.objects.filter(subscriber=angry)
    assert (record.kind, record.sub_type, record.suppressed) == ("Complaint", "abuse", True)

    staff = django_user_model.objects.create_superuser("chef", "chef@example.org", "x")
    client.force_login(staff)
    page = client.get(f"/admin/mailing/abonnes/{gone.pk}/").content.decode()
    assert "Rebond définitif" in page
    assert "NoEmail" in page
    assert "smtp; 550 5.1.1 user unknown" in page
