"""A works note published by an editor reaches the cité's followers in the daily cité alert,
sent through real SES (moto_server), once."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from mailing.delivery.cite_alerts import send_cite_alerts
from mailing.delivery.sending import run_batch
from mailing.models import Campaign, CiteUpdate
from tests.mailing.conftest import make_subscribers
from works.models import WorksNote
from works.notes import announce_new_notes

pytestmark = pytest.mark.django_db


def test_an_editor_s_works_note_reaches_the_followers_in_their_alert(
    client, tracked, ses, settings
):
    settings.MAILING_MAX_SEND_RATE = 0
    acacias = tracked.under_way
    [follower] = make_subscribers(1, prefix="riverain", newsletter=False)
    follower.cites.add(acacias)
    make_subscribers(1, prefix="ailleurs")  # follows nothing
    assert not CiteUpdate.objects.exists()  # the builder's note was announced already

    client.force_login(get_user_model().objects.create_superuser("redaction", "r@example.org", "x"))
    operation = acacias.works_operation
    url = reverse("wagtailsnippets_works_operation:edit", args=[operation.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    count = int(data["notes-TOTAL_FORMS"])
    data["notes-TOTAL_FORMS"] = str(count + 1)
    data[f"notes-{count}-date"] = timezone.localdate().isoformat()
    data[f"notes-{count}-title"] = "Tranche 3 : 16 logements livrés"
    data[f"notes-{count}-text"] = "Seize familles retrouvent leur maison rénovée cette semaine."
    data[f"notes-{count}-ORDER"] = str(count + 1)
    data[f"notes-{count}-id"] = ""
    assert client.post(url, data).status_code == 302

    [update] = CiteUpdate.objects.filter(cite=acacias)
    assert update.kind == "Note de chantier"
    assert update.url.endswith("/cites/cite-des-acacias/#notes-de-chantier")
    assert announce_new_notes(operation) == 0  # announced once

    assert send_cite_alerts()["recipients"] == 1
    [campaign] = Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    [mail] = ses.messages()
    assert mail["To"] == "riverain0@example.org"
    assert "Tranche 3 : 16 logements livrés" in mail["Subject"]
    assert "Seize familles" in mail.get_body(("plain",)).get_content()


def test_a_note_dated_in_the_future_waits_and_a_private_cite_alerts_nobody(tracked):
    operation = tracked.under_way.works_operation
    later = WorksNote.objects.create(
        operation=operation, date=date.today() + timedelta(days=3), title="Coupure d'eau", text="…"
    )
    assert announce_new_notes(operation) == 0
    assert announce_new_notes(operation, today=later.date) == 1

    operation.city.unpublish()
    WorksNote.objects.create(operation=operation, date=date.today(), title="Réunion", text="…")
    assert announce_new_notes(operation) == 0
