import pytest
from django.core.management import call_command

from mailing.models import Subscriber


@pytest.mark.django_db
def test_demo_subscribers_are_example_org_confirmed_and_pending_and_idempotent():
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    emails = list(Subscriber.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == 8
    assert all(email.endswith("@example.org") for email in emails)
    assert Subscriber.objects.filter(status="confirmed").count() == 6
    assert Subscriber.objects.filter(status="pending").count() == 2
    nadia = Subscriber.objects.get(email="habitante.conde@example.org")
    assert [c.name for c in nadia.communes.all()] == ["Condé-sur-l'Escaut"]
    assert nadia.confirmed_at and nadia.consent_text_version
