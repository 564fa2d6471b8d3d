"""Issue 26 item 1 (second half): the admin password reset is limited per client IP and per
address, and does the same work whether the address belongs to someone or not."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

URL = "/admin/password_reset/"
KNOWN = "equipe@example.org"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # django-ratelimit's counters live in the default cache
    yield
    cache.clear()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("equipe", KNOWN, "mot-de-passe-2026")


def reset_tasks():
    from django_tasks_db.models import DBTaskResult

    from renouveau.password_reset import send_password_reset_mails

    return DBTaskResult.objects.filter(task_path=send_password_reset_mails.module_path)


def ask(client, email, ip="198.51.100.1"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_take_the_same_path(client, staff, ses):
    answers = {}
    for index, email in enumerate([KNOWN, "personne@example.org"]):
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email, ip=f"198.51.100.{index + 1}")
        answers[email] = (response.status_code, response["Location"], len(queries))
    assert answers[KNOWN] == answers["personne@example.org"]
    assert answers[KNOWN][0] == 302
    # Nothing sent inside the request: a task for each, sent by the worker.
    assert ses.messages() == []
    assert reset_tasks().count() == 2


def test_the_worker_mails_the_known_address_only(client, staff, ses, immediate_tasks):
    ask(client, KNOWN)
    ask(client, "personne@example.org", ip="198.51.100.2")
    messages = ses.messages()
    assert [m["To"] for m in messages] == [KNOWN]
    body = messages[0].get_body(("plain",)).get_content()
    assert "/admin/password_reset/confirm/" in body


def test_one_address_cannot_ask_without_end(client, staff, settings):
    settings.PASSWORD_RESET_RATE_PER_IP = "3/h"
    for _ in range(3):
        assert ask(client, "x@example.org").status_code == 302
    response = ask(client, KNOWN)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert ask(client, KNOWN, ip="198.51.100.9").status_code == 302  # another visitor


def test_one_mailbox_gets_few_mails_whoever_asks(client, staff, ses, immediate_tasks, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "2/h"
    for index in range(5):
        assert ask(client, KNOWN, ip=f"198.51.100.{index + 10}").status_code == 302
    assert len(ses.messages()) == 2
