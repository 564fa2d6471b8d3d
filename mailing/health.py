"""Campaign health: pause a campaign whose bounce or complaint rate passes SES's comfort zone."""

from __future__ import annotations

import logging

from .campaigns import pause_campaign
from .conf import setting
from .models import Campaign

logger = logging.getLogger(__name__)

BOUNCE_RATE_LIMIT = 0.02  # SES puts accounts under review at 5 %
COMPLAINT_RATE_LIMIT = 0.0008  # … and at 0.1 %


def _percent(rate: float, digits: int) -> str:
    return f"{rate * 100:.{digits}f} %".replace(".", ",")  # French: "2,5 %"


def check_health(campaign_id: int) -> str | None:
    """Pause the campaign when its bounce or complaint rate passes our thresholds."""
    campaign = Campaign.objects.get(pk=campaign_id)
    minimum = setting("MAILING_HEALTH_MIN_SENT", 100)
    if campaign.sent_count < minimum or campaign.status != Campaign.Status.SENDING:
        return None
    bounce_rate = campaign.bounce_count / campaign.sent_count
    complaint_rate = campaign.complaint_count / campaign.sent_count
    reason = None
    bounce_limit = setting("MAILING_BOUNCE_RATE_LIMIT", BOUNCE_RATE_LIMIT)
    complaint_limit = setting("MAILING_COMPLAINT_RATE_LIMIT", COMPLAINT_RATE_LIMIT)
    if bounce_rate > bounce_limit:
        reason = (
            f"Pause automatique : taux de rebonds de {_percent(bounce_rate, 1)} "
            f"(seuil {_percent(bounce_limit, 0)}). Nettoyez la liste avant de reprendre."
        )
    elif complaint_rate > complaint_limit:
        reason = (
            f"Pause automatique : taux de plaintes de {_percent(complaint_rate, 2)} "
            f"(seuil {_percent(complaint_limit, 2)}). Vérifiez le contenu et la liste."
        )
    if reason and pause_campaign(campaign, reason):
        logger.warning("Campaign %s paused: %s", campaign.pk, reason)
        return reason
    return None
