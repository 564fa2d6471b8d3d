"""Issue 23 item 8: the subscriber's page in the admin (GDPR art. 15): consent proof, consents per
list, preference changes, mails received with their fate, bounces and complaints, the erase
button; reached from the subscribers list; only for staff who may see subscribers."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission

from mailing.audience.tokens import unsubscribe_url
from mailing.models import Subscriber
from tests.mailing.conftest import make_subscribers, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_sending")]


def section(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"')[1].split("</table>")[0]


def test_the_subscriber_page_shows_consent_history_mails_and_bounces(
    issue,
    ses,
    staff,
    client,
    webhook,  # noqa: F811
):
    [subscriber, other] = make_subscribers(2)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        consent_source="Formulaire d'abonnement, page d'accueil",
        consent_text_version="2026-06-v2",
        consent_ip_hash="a" * 64,
    )
    # The person changes their preferences on the public page (the real code path).
    preferences = "/" + unsubscribe_url(subscriber.pk).split("/", 3)[3].replace(
        "desabonnement", "preferences"
    )
    response = client.post(
        preferences,
        {"newsletter": "on", "webinar_announcements": "on", "profile": "elu"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 303
    campaign = send(issue)
    webhook(campaign.deliveries.get(subscriber=subscriber), "Bounce", bounce_type="Transient")

    # Reached from the list: one link per row.
    listing = staff.get("/admin/mailing/subscriber/").content.decode()
    url = f"/admin/mailing/abonnes/{subscriber.pk}/"
    assert f'href="{url}"' in listing and f'href="/admin/mailing/abonnes/{other.pk}/"' in listing
    assert subscriber.email not in url

    html = unescape(staff.get(url).content.decode())
    consent = section(html, "subscriber-consent")
    assert "Formulaire d'abonnement, page d'accueil" in consent
    assert "2026-06-v2" in consent and "a" * 64 in consent
    changes = section(html, "subscriber-changes")
    assert "Annonces de webinaires : non → oui" in changes
    assert "Profil : — → Élu ou élue, collectivité" in changes
    assert "2026-12-preferences-v1" in changes
    assert "203.0.113.9" not in html  # only its keyed hash
    lists = section(html, "subscriber-lists")
    assert "Annonces de webinaires" in lists and "donné" in lists
    deliveries = section(html, "subscriber-deliveries")
    assert campaign.subject in deliveries and "Envoyé" in deliveries
    assert f'href="/admin/mailing/campagne/{campaign.pk}/"' in deliveries
    incidents = section(html, "subscriber-incidents")
    assert "Rebond temporaire" in incidents and campaign.subject in incidents
    assert f'href="/admin/mailing/abonnes/{subscriber.pk}/effacer/"' in html
    assert other.email not in html
    assert staff.get("/admin/mailing/abonnes/999999/").status_code == 404


def test_only_staff_who_may_see_subscribers_open_the_page(client, django_user_model):
    [subscriber] = make_subscribers(1)
    url = f"/admin/mailing/abonnes/{subscriber.pk}/"
    editors = Group.objects.create(name="Rédaction seule")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("redac", "redac@example.org", "pw")
    user.groups.add(editors)
    client.force_login(user)
    assert client.get(url).status_code in (302, 403)

    editors.permissions.add(Permission.objects.get(codename="view_subscriber"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions cache
    client.force_login(user)
    html = client.get(url).content.decode()
    assert subscriber.email in html
    # Seeing is not erasing: no erase button without the delete permission.
    assert not re.search(r"/effacer/", html)
