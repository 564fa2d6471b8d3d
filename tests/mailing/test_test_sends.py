"""Issue 14 item 3: « Envoyer un test » sends the campaign mail of a test recipient — built and
sent by the same code as a subscriber's — so the two differ only where the recipient does."""

import re
from email import message_from_bytes, policy
from urllib.parse import quote

import pytest

from mailing.audience.tokens import unsubscribe_token, unsubscribe_url
from mailing.models import Campaign
from tests.mailing.conftest import make_subscribers
from tests.mailing.test_sending import fast_sending, send_all, start  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_sending")]

# Headers that name the recipient or the sending moment, or tell messages apart.
PER_MESSAGE = {"To", "Date", "Message-ID", "Content-Type"}
COUNTED_LINK = re.compile(r"/lettre/l/\d+\.(\d+):[\w-]+/")
BOUNDARY = re.compile(rb"=_[0-9a-f]{32}")


def normalised(raw: bytes, unsubscribe: str, token: str) -> dict:
    """The mail with what belongs to its recipient and its campaign replaced by markers."""
    message = message_from_bytes(raw, policy=policy.default)

    def scrub(value: str) -> str:
        value = value.replace(unsubscribe, "<UNSUBSCRIBE>")
        if token:
            value = value.replace(token, "<TOKEN>").replace(quote(token), "<TOKEN>")
        return COUNTED_LINK.sub(r"/lettre/l/<CAMPAIGN>.\1/", value)

    return {
        "headers": {k: scrub(str(v)) for k, v in message.items() if k not in PER_MESSAGE},
        "type": message.get_content_type(),
        "html": scrub(message.get_body(("html",)).get_content()),
        "text": scrub(message.get_body(("plain",)).get_content()),
        "layout": BOUNDARY.sub(b"<B>", re.sub(rb"\r\n\r\n.*", b"", raw, flags=re.S)).count(b"\r\n"),
    }


def test_a_test_send_is_the_subscribers_mail_but_for_the_recipients_parts(
    issue, ses, staff, settings
):
    settings.MAILING_REPLY_TO = "equipe@renouveaubassinminier.fr"
    [subscriber] = make_subscribers(1)
    send_all(start(issue))
    response = staff.post(f"/admin/lettre/{issue.pk}/envoyer-un-test/", {"addresses": "t@ex.org"})
    assert response.status_code == 302
    campaign_raw, test_raw = ses.raw_messages()

    real = normalised(
        campaign_raw, unsubscribe_url(subscriber.pk), unsubscribe_token(subscriber.pk)
    )
    test = normalised(test_raw, "http://127.0.0.1:8000/lettre/desabonnement/", "")
    # The test's mailto carries no personal token: the subscriber's reads « desabonnement <TOKEN> ».
    real["headers"]["List-Unsubscribe"] = real["headers"]["List-Unsubscribe"].replace(
        "%20<TOKEN>", ""
    )
    assert test["headers"] == real["headers"]
    assert test == real
    # And they are the real thing: one-click headers, Reply-To, the issue's subject, counted links.
    assert test["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert test["headers"]["Reply-To"] == "equipe@renouveaubassinminier.fr"
    assert test["headers"]["Subject"] == "Renouveau du Bassin Minier N°2 — Juillet 2019"
    assert "/lettre/l/<CAMPAIGN>." in test["html"]

    # The test is kept as a campaign of its own kind: who tested what, when, to whom.
    tested = Campaign.objects.get(kind=Campaign.Kind.TEST)
    assert (tested.status, tested.recipient_count) == (Campaign.Status.DONE, 1)
    assert tested.segment_label == "Test : t@ex.org" and tested.created_by.username == "equipe"


def test_the_generic_unsubscribe_page_answers_a_one_click_post_without_effect(client, ses):
    response = client.post(
        "/lettre/desabonnement/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "désabonner" in response.content.decode().lower()
