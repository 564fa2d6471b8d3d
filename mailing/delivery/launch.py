"""« Envoyer aux abonnés » as one service: what the send form calls once the editor confirms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..models import Campaign, CampaignEvent
from .campaigns import CampaignError, Segment, create_campaign, log_event, recipients
from .steering import schedule_campaign, start_campaign

COUNT_CHANGED = "Le nombre de destinataires a changé depuis l'affichage : vérifiez et confirmez."


def launch_campaign(
    issue: Any,
    segment: Segment,
    *,
    expected_count: int | None,
    user: Any = None,
    rendered: Any = None,
    warnings: Sequence[str] = (),
    when: datetime | None = None,
) -> Campaign:
    """Create the campaign of `issue` for `segment` from the rendering the form already made,
    record the warnings the editor acknowledged, then start it now or program it for `when`.
    CampaignError when the audience is no longer the `expected_count` the editor confirmed or
    the issue cannot be sent."""
    if expected_count != recipients(segment).count():
        raise CampaignError([COUNT_CHANGED])
    campaign = create_campaign(issue, segment, user=user, rendered=rendered)
    if warnings:
        log_event(
            campaign,
            CampaignEvent.Kind.WARNINGS,
            "Envoi confirmé malgré les avertissements : " + " / ".join(warnings),
            user,
        )
    if when:
        schedule_campaign(campaign, when, user=user)
    else:
        start_campaign(campaign)
    return campaign
