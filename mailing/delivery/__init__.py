"""Delivery: campaigns, their batches sent through SES, SES events, reports and cité alerts.

Layers, lowest first (the mailing contract in pyproject.toml): transport, deliveries, links,
alert_mail, report → campaigns (state, snapshot, events, pause) → health → sending (the batch
task, which queues itself) → steering (start, program, resume, cancel) → watchdog, launch,
notifications, test_sends, cite_alerts. The names other code uses are gathered here.
"""

from .campaigns import (
    CampaignError,
    Progress,
    Segment,
    count_temporary_failures,
    create_campaign,
    log_event,
    mark_uncertain_as_sent,
    pause_campaign,
    progress,
    recipients,
    refresh_counters,
    snapshot_recipients,
)
from .deliveries import (
    claim_batch,
    process_is_gone,
    record,
    recover_dead_claims,
    recover_orphans,
    worker_identity,
)
from .health import check_health
from .launch import launch_campaign
from .sending import BatchResult, enqueue_batch, finish_if_complete, run_batch, send_campaign_batch
from .steering import (
    ResumeRefused,
    cancel_campaign,
    resend_temporary_failures,
    resend_uncertain,
    resume_campaign,
    schedule_campaign,
    start_campaign,
    start_due_campaigns,
    unschedule_campaign,
)
from .transport import (
    RateLimiter,
    Recipient,
    SendOutcome,
    limiter,
    personalise,
    reset_sending_state,
    send_one,
    ses_max_send_rate,
)
from .watchdog import recover_on_worker_start

__all__ = [
    "BatchResult",
    "CampaignError",
    "Progress",
    "RateLimiter",
    "Recipient",
    "ResumeRefused",
    "Segment",
    "SendOutcome",
    "cancel_campaign",
    "check_health",
    "claim_batch",
    "count_temporary_failures",
    "create_campaign",
    "enqueue_batch",
    "finish_if_complete",
    "launch_campaign",
    "limiter",
    "log_event",
    "mark_uncertain_as_sent",
    "pause_campaign",
    "personalise",
    "process_is_gone",
    "progress",
    "recipients",
    "record",
    "recover_dead_claims",
    "recover_on_worker_start",
    "recover_orphans",
    "refresh_counters",
    "resend_temporary_failures",
    "resend_uncertain",
    "reset_sending_state",
    "resume_campaign",
    "run_batch",
    "schedule_campaign",
    "send_campaign_batch",
    "send_one",
    "ses_max_send_rate",
    "snapshot_recipients",
    "start_campaign",
    "start_due_campaigns",
    "unschedule_campaign",
    "worker_identity",
]
