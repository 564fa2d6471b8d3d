"""« Complet » and « Replay à venir »: what the webinar page and the webinars index say."""

import datetime

import pytest
from django.utils import timezone

from webinar_registrations import registrations
from webinar_registrations.models import RegistrationSettings

pytestmark = pytest.mark.django_db

REPLAY = [
    {
        "type": "video",
        "value": {"video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Le replay"},
    }
]


def seat(webinar, email):
    return registrations.register(webinar, email=email, name="N", profile="elu")[1]


def test_a_full_webinar_says_complet_on_its_page_and_in_the_index_at_once(
    client, settings, webinar, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600  # cached pages must follow the change
    RegistrationSettings.objects.create(webinar=webinar, capacity=1)
    index_url = webinar.get_parent().url
    assert "— complet" not in client.get(webinar.url).content.decode()
    assert "À venir" in client.get(index_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert seat(webinar, "premiere@example.org") == "registered"
    page = client.get(webinar.url).content.decode()
    assert "Webinaire à venir — complet" in page and "liste d’attente" in page
    assert '<span class="tag">Complet</span>' in client.get(index_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert seat(webinar, "seconde@example.org") == "waiting"
        registrations.cancel(registrations.Registration.objects.get(email="premiere@example.org"))
    # The waiting list took the seat: still full.
    assert "— complet" in client.get(webinar.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.set_capacity(webinar, capacity=5, open=True)
    assert "— complet" not in client.get(webinar.url).content.decode()
    assert '<span class="tag">À venir</span>' in client.get(index_url).content.decode()


def test_a_past_webinar_without_replay_says_replay_a_venir(client, make_webinar):
    past = timezone.now() - datetime.timedelta(days=3)
    waiting = make_webinar(title="Sans vidéo encore", start=past)
    online = make_webinar(title="Avec sa vidéo", start=past, replay=REPLAY)
    index = client.get(waiting.get_parent().url).content.decode()
    cards = {title: index.split(title, 1)[1][:600] for title in ("Sans vidéo", "Avec sa vidéo")}
    assert '<span class="tag">Replay à venir</span>' in cards["Sans vidéo"]
    assert '<span class="tag">Replay</span>' in cards["Avec sa vidéo"]
    assert "replay à venir" in client.get(waiting.url).content.decode()
    assert "Replay du webinaire" in client.get(online.url).content.decode()
