"""The mailing app's models (app label `mailing`): the audience's and the delivery's."""

from .audience import (
    ConsentRecord,
    PreferenceChange,
    SavedSegment,
    Subscriber,
    SuppressedAddress,
    TaskInput,
)
from .delivery import BounceRecord, Campaign, CampaignEvent, CiteUpdate, Delivery, TrackedLink

__all__ = [
    "BounceRecord",
    "Campaign",
    "CampaignEvent",
    "CiteUpdate",
    "ConsentRecord",
    "Delivery",
    "PreferenceChange",
    "SavedSegment",
    "Subscriber",
    "SuppressedAddress",
    "TaskInput",
    "TrackedLink",
]
