"""The subscriber's page in the admin costs the same queries whether the person came from a CSV
import or not: the import record and who made it come with the subscriber (one join)."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailing.models import Subscriber, SubscriberImport
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

# Session, user and profile; the subscriber with their import and its author; communes; cités;
# the file (deliveries, consents, preference changes, bounces); the admin's menu (locale, pages).
PAGE_QUERIES = 14


def page_queries(staff, subscriber) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(f"/admin/mailing/abonnes/{subscriber.pk}/")
    assert response.status_code == 200
    return len(queries), unescape(response.content.decode())


def test_the_import_record_and_its_author_cost_no_query_of_their_own(staff, django_user_model):
    author = django_user_model.objects.create_user(
        "camille", "camille@example.org", "pw", first_name="Camille", last_name="Martin"
    )
    record = SubscriberImport.objects.create(
        created_by=author, file_name="salon-2026.csv", consent_text_version="2026-06-v2", rows=1
    )
    [imported, typed_in, first] = make_subscribers(3)
    Subscriber.objects.filter(pk=imported.pk).update(subscriber_import=record)

    page_queries(staff, first)  # the admin's first request warms its own caches
    plain, _ = page_queries(staff, typed_in)
    count, html = page_queries(staff, imported)
    assert "par Camille Martin" in html and "salon-2026.csv" in html
    assert count == plain == PAGE_QUERIES, (count, plain)
