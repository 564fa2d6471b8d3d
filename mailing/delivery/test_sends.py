"""« Envoyer un test »: the campaign mail of a test recipient.

A test send is a campaign of its own kind (TEST), made from the issue's latest revision exactly as
`create_campaign` makes one (`checked_rendering`, `frozen_campaign`: the same checks, frozen
images, counted links, final size check), and each test address gets the mail that
`transport.campaign_mail` builds for a subscriber, sent by the same sender with the same retries.
It differs from a subscriber's mail only where the recipient does — To, Date, Message-ID, and the
unsubscribe address: the generic page, since a test address is nobody's subscription — and by
the campaign in its counted links. Before publication, links to pages not yet public (the issue's
own web version included) lead to their draft preview in the admin, and a notice at the top of
the mail says which. The test campaigns stay in the campaign list (type « Envoi de test »): who
tested what, and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from newsletter.rendering import generic_unsubscribe_url
from newsletter.testsend import MAX_TEST_RECIPIENTS

from ..audience.tokens import list_headers
from ..models import Campaign
from .campaigns import checked_rendering, frozen_campaign
from .transport import SendOutcome, campaign_mail, send_with_retries, sender_state


@dataclass(frozen=True)
class TestSendResult:
    campaign: Campaign
    sent: list[str]
    failed: list[tuple[str, str]]  # (address, error)


def test_recipient_headers() -> dict[str, str]:
    """The list headers of a subscriber's mail (RFC 2919, 2369, 8058), for nobody in particular:
    the generic unsubscribe page (which answers a one-click POST without effect)."""
    return list_headers(generic_unsubscribe_url(), "desabonnement")


def send_test(issue: Any, addresses: Sequence[str], *, user: Any = None) -> TestSendResult:
    """Check and freeze `issue` (its latest revision) as a test campaign, then send it to each
    address (at most MAX_TEST_RECIPIENTS). Raises CampaignError, sending nothing, when the issue
    fails its checks: a broken issue is never sent, not even as a test."""
    addresses = list(dict.fromkeys(addresses))[:MAX_TEST_RECIPIENTS]
    rendered = checked_rendering(issue, test_send=True)
    with transaction.atomic():
        campaign = frozen_campaign(
            issue,
            rendered,
            kind=Campaign.Kind.TEST,
            segment_label="Test : " + ", ".join(addresses),
            created_by=user if getattr(user, "pk", None) else None,
            recipient_count=len(addresses),
            started_at=timezone.now(),
        )
    state = sender_state()
    unsubscribe, headers = generic_unsubscribe_url(), test_recipient_headers()
    tags = {"campaign": str(campaign.pk), "test": "1"}
    sent, failed = [], []
    for address in addresses:
        raw = campaign_mail(
            campaign, to=address, unsubscribe=unsubscribe, headers=headers, state=state
        )
        outcome, _, error = send_with_retries(state, address, raw, tags)
        if outcome == SendOutcome.SENT:
            sent.append(address)
        else:
            failed.append((address, error))
    # A test send has no delivery rows (its addresses are nobody's subscription): its figures
    # are counted here.
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.DONE,
        finished_at=timezone.now(),
        sent_count=len(sent),
        failed_count=len(failed),
    )
    campaign.refresh_from_db()
    return TestSendResult(campaign, sent, failed)
