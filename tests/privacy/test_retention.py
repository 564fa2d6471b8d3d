"""The retention register, kept: one test per entry creates the personal data as the site does,
moves the clock past the period, runs the entry's scheduled job, and finds the person's address
in no table (task results included), no S3 bucket and no cache."""

import json
import uuid
from datetime import timedelta
from email.message import EmailMessage

import boto3
import pytest
from django.utils import timezone
from freezegun import freeze_time

from renouveau.retention import register
from renouveau.scheduler import discover_jobs
from tests.privacy.traces import NO_TRACE, traces_of

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


@pytest.fixture
def address():
    return f"personne-{uuid.uuid4().hex[:10]}@example.org"


@pytest.fixture
def db_tasks(settings):
    """Tasks queued in the database as in production, then run as django-tasks-db's worker
    runs each (claim, call, record the outcome), in the test's own transaction."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS

    def run_worker():
        while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            row.claim("test-worker")
            try:
                value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
            except Exception as exc:
                row.set_failed(exc)
            else:
                row.set_successful(value)

    return run_worker


def run_entry_job(key: str) -> None:
    [entry] = [e for e in register() if e.key == key]
    [job] = [j for j in discover_jobs() if j.func == entry.run]
    job.func()


def later(days: int):
    return freeze_time(timezone.now() + timedelta(days=days))


def test_every_processing_of_the_privacy_page_has_an_entry_and_a_job(home_page, client):
    from renouveau.legal import PersonalDataPage
    from tests.pages import privacy_page
    from tests.typography import as_typed

    names = {e.processing for e in register()}
    keys = {e.key for e in register()}
    assert keys == {
        "newsletter",
        "cite-follow",
        "document-requests",
        "webinar-registrations",
        "contact",
        "security",
    }
    jobs = {job.func for job in discover_jobs() if job.daily_at}
    assert all(entry.run in jobs for entry in register())
    # The page's retention lines are the register's, whatever the editor typed; a processing
    # the register does not know keeps the editor's line.
    privacy_page(
        home_page,
        [{"name": name, "retention": "Texte de l'éditeur."} for name in sorted(names)]
        + [{"name": "Traitement hors registre", "retention": "Deux semaines exactement."}],
    )
    page = PersonalDataPage.objects.get()
    html = as_typed(client.get(page.url).content.decode())
    for entry in register():
        assert as_typed(entry.period) in html, entry.key
    assert "Texte de l'éditeur" not in html
    assert "Deux semaines exactement." in html


def test_newsletter_unconfirmed_address_leaves_no_trace(address, ses, db_tasks):
    from mailing.audience.subscriptions import start_subscription

    start_subscription(email=address, source="/lettre/abonnement/", ip="203.0.113.9")
    db_tasks()
    assert traces_of(address)["database"]  # it is there…
    with later(31):
        run_entry_job("newsletter")
        assert traces_of(address) == NO_TRACE  # …and gone, task results included


def test_newsletter_unsubscribed_address_is_kept_only_as_a_keyed_hash(
    address, ses, db_tasks, client
):
    from mailing.addresses import address_hash
    from mailing.audience.csv_io import import_subscribers
    from mailing.audience.subscriptions import is_suppressed, start_subscription, unsubscribe
    from mailing.audience.tokens import confirmation_token
    from mailing.models import Subscriber, SuppressedAddress

    start_subscription(email=address, source="/lettre/abonnement/")
    db_tasks()
    subscriber = Subscriber.objects.get(email=address)
    client.post(f"/lettre/confirmation/{confirmation_token(subscriber)}/")
    db_tasks()  # the welcome mail
    unsubscribe(subscriber)
    with later(20):
        run_entry_job("newsletter")
        assert Subscriber.objects.filter(email=address).exists()  # within the 30 days
    with later(31):
        run_entry_job("newsletter")
        assert traces_of(address) == NO_TRACE
        assert SuppressedAddress.objects.filter(address_hash=address_hash(address)).exists()
        assert is_suppressed(address.upper())
        # A re-import does not bring the address back.
        report = import_subscribers(
            "email;source_consentement;date_consentement;listes\n"
            f"{address};Fiche papier;01/02/2026;lettre\n"
        )
        assert report.created == 0
        assert not Subscriber.objects.filter(email=address).exists()


def test_a_follower_who_stops_following_leaves_no_trace(address, ses, db_tasks, client, cites):
    from mailing.audience.subscriptions import start_subscription
    from mailing.audience.tokens import confirmation_token, unsubscribe_token
    from mailing.models import Subscriber

    lemay, _ = cites
    start_subscription(
        email=address, source="/lettre/suivre/", cite_ids=[lemay.pk], newsletter=False
    )
    db_tasks()
    subscriber = Subscriber.objects.get(email=address)
    client.post(f"/lettre/confirmation/{confirmation_token(subscriber)}/")
    db_tasks()
    run_entry_job("cite-follow")
    assert Subscriber.objects.filter(email=address).exists()  # still following
    client.post(f"/lettre/preferences/{unsubscribe_token(subscriber.pk)}/", {"profile": ""})
    with later(1):
        run_entry_job("cite-follow")
        assert traces_of(address) == NO_TRACE


def test_document_requests_and_their_raw_mails_leave_no_trace(address, settings, db_tasks):
    from documents.models import DocumentRequest, InboundMail

    bucket = f"inbound-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3", region_name=settings.AWS_REGION)
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.AWS_REGION}
    )
    mail = EmailMessage()
    mail["From"] = f"Jeanne <{address}>"
    mail["Subject"] = "Demande du référentiel"
    mail.set_content("Bonjour, je souhaite recevoir le référentiel.")
    s3.put_object(Bucket=bucket, Key="mails/abc", Body=mail.as_bytes())
    payload = {
        "notificationType": "Received",
        "mail": {"source": address, "messageId": "abc"},
        "receipt": {"action": {"type": "S3", "bucketName": bucket, "objectKey": "mails/abc"}},
    }
    InboundMail.objects.create(
        sns_message_id="sns-abc", ses_message_id="abc", payload=json.dumps(payload)
    )
    DocumentRequest.objects.create(
        source="email",
        status="queued",
        email=address,
        mail_subject="Demande du référentiel",
        mail_s3_key=f"{bucket}/mails/abc",
    )
    assert traces_of(address)["s3"]
    with later(366):
        run_entry_job("document-requests")
        assert traces_of(address) == NO_TRACE


def test_webinar_registrations_leave_no_trace(address, ses, db_tasks, home_page):
    from tests.factories import WebinarIndexPageFactory, WebinarPageFactory
    from webinar_registrations.models import Registration
    from webinar_registrations.registrations import start_registration

    start = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page),
        start=start,
        end=start + timedelta(hours=2),
    )
    start_registration(webinar, email=address, name="Jeanne Martin", organisation="Mairie")
    db_tasks()
    assert Registration.objects.filter(email=address).exists()
    with later(7 + 366):
        run_entry_job("webinar-registrations")
        assert traces_of(address) == NO_TRACE
        assert traces_of("Jeanne Martin") == NO_TRACE


def test_contact_form_messages_are_erased_after_a_year(address, home_page, client, ses, settings):
    from django.core.cache import cache

    from tests.pages import contact_form

    cache.clear()
    page = contact_form(home_page)
    fields = {f.clean_name: f for f in page.get_form_fields()}
    data = {}
    for name, field in fields.items():
        data[name] = address if field.field_type == "email" else "Bonjour, une question."
    page.get_submission_class().objects.create(page=page, form_data=data)
    assert traces_of(address)["database"]
    with later(364):
        run_entry_job("contact")
        assert traces_of(address)["database"]  # within the year
    with later(366):
        run_entry_job("contact")
        assert traces_of(address) == NO_TRACE


def test_admin_login_records_are_purged(address, client, settings):
    from axes.models import AccessAttempt, AccessLog

    # Someone types their e-mail address as the user name: axes records it with the IP.
    client.post("/admin/login/", {"username": address, "password": "faux"})
    AccessLog.objects.create(username=address, ip_address="203.0.113.9", user_agent="test")
    assert AccessAttempt.objects.filter(username=address).exists()
    with later(31):
        run_entry_job("security")
        assert traces_of(address) == NO_TRACE
        assert traces_of("203.0.113.9")["database"] == []


def test_task_arguments_and_results_never_hold_an_address(address, ses, db_tasks, home_page):
    """Whatever the purge schedule, the task backend's table never receives the address: the
    tasks get a row id (TaskInput), which they delete once read."""
    from django_tasks_db.models import DBTaskResult

    from mailing.audience.subscriptions import start_subscription
    from mailing.models import TaskInput
    from tests.factories import WebinarIndexPageFactory, WebinarPageFactory
    from webinar_registrations.registrations import start_registration

    start = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page),
        start=start,
        end=start + timedelta(hours=2),
    )
    start_subscription(email=address, source="/lettre/abonnement/")
    start_registration(webinar, email=address, name="Jeanne Martin")
    ours = DBTaskResult.objects.filter(
        task_path__in=[
            "mailing.audience.subscriptions.record_subscription",
            "webinar_registrations.registrations.record_registration",
        ]
    )
    assert ours.count() == 2
    rows = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert address not in json.dumps(rows)
    db_tasks()
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    assert address not in stored and "Jeanne" not in stored
    assert not TaskInput.objects.exists()  # read and deleted by the tasks
