"""Seats and reminders under concurrency (PostgreSQL, where requests really run in parallel):
the last seat goes to one person only, and two scheduler runs send a reminder once."""

import threading

import pytest
from django.db import connection, connections

from webinar_registrations import registrations
from webinar_registrations.models import Registration

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write anyway"
    ),
]


def in_parallel(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def run(i, function):
        try:
            barrier.wait()
            results[i] = function()
        except Exception as exc:  # reported below, with the thread's own traceback lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_the_last_seat_goes_to_one_person(webinar):
    registrations.set_capacity(webinar, capacity=1, open=True)

    def register(n):
        return lambda: registrations.register(
            webinar, email=f"p{n}@example.org", name=f"P{n}", profile="autre"
        )[1]

    outcomes = in_parallel([register(n) for n in range(8)])
    assert sorted(outcomes).count("registered") == 1
    assert Registration.objects.filter(status="registered").count() == 1
    assert Registration.objects.filter(status="waiting").count() == 7


def test_two_cancellations_at_once_promote_two_people_in_order(webinar, ses):
    registrations.set_capacity(webinar, capacity=2, open=True)
    for n in range(5):
        registrations.register(webinar, email=f"p{n}@example.org", name=f"P{n}", profile="autre")
    seated = list(Registration.objects.filter(status="registered"))
    in_parallel([lambda r=r: registrations.cancel(r) for r in seated])
    assert set(
        Registration.objects.filter(status="registered").values_list("email", flat=True)
    ) == {"p2@example.org", "p3@example.org"}
    assert Registration.objects.get(email="p4@example.org").status == "waiting"


def test_two_scheduler_runs_at_once_send_each_reminder_once(webinar, ses):
    for n in range(3):
        registrations.register(webinar, email=f"p{n}@example.org", name=f"P{n}", profile="autre")
    now = webinar.start - registrations.timedelta(hours=20)
    results = in_parallel([lambda: registrations.send_reminders(now=now)] * 2)
    assert sum(r["reminder_day"] for r in results) == 3
    assert sorted(m["To"] for m in ses.messages()) == [f"p{n}@example.org" for n in range(3)]
