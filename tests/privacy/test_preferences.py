"""The preferences page and « Suivre cette cité » offer only what the public may see, and show
what the person really receives (nothing after « Tout arrêter »)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from mailing.audience.tokens import unsubscribe_token
from mailing.models import Subscriber
from tests.mailing.conftest import make_subscribers
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


def ticked(html: str) -> list[str]:
    return [
        box
        for box in re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", html)
        if re.search(r"\schecked", box)
    ]


@pytest.fixture
def hidden_cites(home_page, cites):
    """A private cité, a draft one and an expired one, beside two public ones."""
    from tests.factories import CityPageFactory

    index = cites[0].get_parent()
    private = CityPageFactory(parent=index, title="Cité privée")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    draft = CityPageFactory(parent=index, title="Cité brouillon")
    draft.unpublish()
    expired = CityPageFactory(parent=index, title="Cité expirée")
    type(expired).objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - timedelta(hours=1)
    )
    return private, draft, expired


def test_hidden_cites_are_never_offered_nor_followable(client, cites, hidden_cites, ses):
    [subscriber] = make_subscribers(1)
    url = f"/lettre/preferences/{unsubscribe_token(subscriber.pk)}/"
    html = client.get(url).content.decode()
    assert "Cité Lemay" in html
    for cite in hidden_cites:
        assert cite.title not in html
        page = client.get(f"/lettre/suivre/{cite.pk}/")
        assert page.status_code == 404
        assert "ne peut pas être suivie" in as_typed(page.content.decode())
        posted = client.post(
            f"/lettre/suivre/{cite.pk}/", {"email": "a@example.org", "consent": "on"}
        )
        assert posted.status_code == 404
        refused = client.post(url, {"cites": [cite.pk], "profile": ""})
        assert refused.status_code == 400
        assert "Choisissez des cités de la liste." in refused.content.decode()
    assert not subscriber.cites.exists()
    assert ses.messages() == []


def test_after_stopping_everything_no_box_is_ticked(client, cites):
    lemay, _ = cites
    [subscriber] = make_subscribers(1, webinar_announcements=True)
    subscriber.cites.add(lemay)
    token = unsubscribe_token(subscriber.pk)
    before = client.get(f"/lettre/preferences/{token}/").content.decode()
    assert len(ticked(before)) == 3  # the letter, the announcements, Cité Lemay
    client.post(f"/lettre/desabonnement/{token}/")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    after = client.get(f"/lettre/preferences/{token}/").content.decode()
    assert ticked(after) == []
    # Withdrawals recorded, list by list.
    assert set(subscriber.consents.filter(given=False).values_list("topic", flat=True)) == {
        "newsletter",
        "webinars",
        "cite",
    }
