"""The mailing app's models (app label `mailing`): the audience's and the delivery's."""

from .audience import (
    ConsentRecord,
    PendingImport,
    PreferenceChange,
    SavedSegment,
    Subscriber,
    SubscriberImport,
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
    "PendingImport",
    "PreferenceChange",
    "SavedSegment",
    "Subscriber",
    "SubscriberImport",
    "SuppressedAddress",
    "TaskInput",
    "TrackedLink",
]
