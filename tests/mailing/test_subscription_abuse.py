"""Issue 12 item 7 (no timing difference between known and new addresses) and issue 11 item 7
(a rejected confirmation mail is recorded on the subscriber and shown to staff)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailing.models import Subscriber
from mailing.subscriptions import record_subscription
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
        assert result.task_path == "mailing.subscriptions.record_subscription"
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
