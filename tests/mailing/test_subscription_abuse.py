"""Issue 12 item 7 (no timing difference between known and new addresses) and issue 11 item 7
(a rejected confirmation mail is recorded on the subscriber and shown to staff)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailing.audience.subscriptions import record_subscription
from mailing.models import Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

URL = "/lettre/abonnement/"


def _shape(sql: str) -> str:
    """A statement without its values: what work it does, not on which data."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def _post(client, email: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"email": email, "consent": "on"})
    return response, [_shape(q["sql"]) for q in queries.captured_queries]


def _run_queued_tasks() -> None:
    """What the worker does with the subscriptions the web requests queued."""
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.order_by("enqueued_at"):
        assert result.task_path == "mailing.audience.subscriptions.record_subscription"
        record_subscription.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


def test_known_and_new_addresses_get_the_same_answer_after_the_same_work(client, ses):
    [known] = make_subscribers(1, prefix="deja")
    answer_known, work_known = _post(client, known.email)
    answer_new, work_new = _post(client, "nouvelle@example.org")

    assert answer_known.status_code == answer_new.status_code == 302
    assert answer_known["Location"] == answer_new["Location"]
    # The same statements on both paths (the time an attacker measures follows from them):
    # the request only hands the address to a task.
    assert work_known == work_new
    assert not Subscriber.objects.filter(email="nouvelle@example.org").exists()

    _run_queued_tasks()
    assert Subscriber.objects.get(email="nouvelle@example.org").status == "pending"
    assert [str(m["To"]) for m in ses.messages()] == ["nouvelle@example.org"]


def test_a_rejected_confirmation_mail_is_recorded_and_shown_to_staff(
    client, ses, settings, django_user_model
):
    settings.DEFAULT_FROM_EMAIL = "Renouveau <pas-verifie@renouveaubassinminier.fr>"
    assert client.post(URL, {"email": "visiteur@example.org", "consent": "on"}).status_code == 302
    with pytest.raises(Exception, match="not verified|MessageRejected"):
        _run_queued_tasks()
    subscriber = Subscriber.objects.get(email="visiteur@example.org")
    assert subscriber.mail_error.startswith("MessageRejected")
    assert subscriber.mail_error_at is not None
    assert ses.messages() == []

    staff = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(staff)
    listing = client.get("/admin/mailing/subscriber/").content.decode()
    assert "visiteur@example.org" in listing and "MessageRejected" in listing


def test_confirmation_mails_are_capped_per_domain_and_for_the_site(
    client, ses, settings, immediate_tasks
):
    settings.MAILING_CONFIRMATIONS_PER_DOMAIN_PER_HOUR = 1
    settings.MAILING_CONFIRMATIONS_PER_HOUR = 3
    addresses = ["a@example.org", "b@example.org", "c@autre.fr", "d@troisieme.fr"]
    for index, email in enumerate(addresses):
        response = client.post(
            URL, {"email": email, "consent": "on"}, REMOTE_ADDR=f"192.0.2.{index}"
        )
        assert response.status_code == 302
    assert sorted(str(m["To"]) for m in ses.messages()) == ["a@example.org", "c@autre.fr"]
    capped = {s.email: s.mail_error for s in Subscriber.objects.exclude(mail_error="")}
    assert "plafond du domaine example.org" in capped["b@example.org"]
    assert "plafond du site" in capped["d@troisieme.fr"]
    assert set(capped) == {"b@example.org", "d@troisieme.fr"}


def test_tag_and_dotted_variants_share_the_per_address_limit(
    client, ses, immediate_tasks, settings
):
    settings.MAILING_SUBSCRIBE_RATE_PER_EMAIL = "3/d"
    variants = [
        "marie.dupont@example.org",
        "mariedupont+a@example.org",
        "m.ariedupont+b@example.org",
    ]
    for index, email in enumerate(variants):
        client.post(URL, {"email": email, "consent": "on"}, REMOTE_ADDR=f"198.51.100.{index}")
    client.post(URL, {"email": "mariedupont+c@example.org", "consent": "on"})
    # Three opt-ins per mailbox (MAILING_SUBSCRIBE_RATE_PER_EMAIL), whatever the spelling.
    assert len(ses.messages()) == 3
    assert not Subscriber.objects.filter(email="mariedupont+c@example.org").exists()
