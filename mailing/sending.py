"""Campaigns: freeze an issue once, then send one personalised raw MIME mail per recipient,
in batches run by background tasks.

Transport: when the site's mail backend is SES (production, tests), each mail is assembled by
`mime.build_raw` and handed to a boto3 SES v2 client (same region, endpoint and configuration set
as the site's backend): Django's EmailMessage + anymail cost ~5 ms of CPU per 45 kB issue, which
made the worker CPU-bound (bench/send.py). With any other backend (console in development) the
site's mail path `renouveau.mail.build_message` is used.

Crash safety: a batch is marked SENDING (with the claiming process) before any SES call and each
delivery is marked SENT right after its call returns. A delivery found SENDING whose process is
gone (same host, dead pid) or whose claim is older than the lease is marked UNCERTAIN: never
resent automatically; SES send events carrying its delivery tag reconcile it (notifications.py),
otherwise staff decide (admin).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.signals import setting_changed
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from renouveau.mail import build_message

from .mime import MimeSkeleton, build_raw
from .mime import skeleton as mime_skeleton
from .models import Campaign, Delivery, Subscriber
from .subscriptions import list_unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

SES_BACKEND = "anymail.backends.amazon_ses.EmailBackend"
BOUNCE_RATE_LIMIT = 0.02  # SES puts accounts under review at 5 %
COMPLAINT_RATE_LIMIT = 0.0008  # … and at 0.1 %
RETRYABLE_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "LimitExceededException",
    "ServiceUnavailable",
    "InternalFailure",
    "RequestTimeout",
}


def setting(name: str, default: Any) -> Any:
    """A MAILING_* setting: Django settings first, then the environment, then the default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return type(default)(raw) if default is not None else float(raw)


# --- Segments ---


@dataclass(frozen=True)
class Segment:
    """All confirmed subscribers, or those with one of these profiles / communes of interest."""

    profiles: tuple[str, ...] = ()
    commune_ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, list]:
        return {"profiles": list(self.profiles), "communes": list(self.commune_ids)}

    @classmethod
    def from_json(cls, data: dict | None) -> Segment:
        data = data or {}
        return cls(
            profiles=tuple(data.get("profiles") or ()),
            commune_ids=tuple(int(pk) for pk in data.get("communes") or ()),
        )

    def label(self) -> str:
        from django.apps import apps

        parts = []
        if self.profiles:
            names = dict(Subscriber.Profile.choices)
            parts.append("profils : " + ", ".join(names.get(p, p) for p in self.profiles))
        if self.commune_ids:
            commune_model = apps.get_model("cites_pages", "Commune")
            names = commune_model.objects.filter(pk__in=self.commune_ids).order_by("name")
            parts.append("communes : " + ", ".join(str(c) for c in names))
        return "Tous les abonnés confirmés" + (f" ({' ; '.join(parts)})" if parts else "")


def recipients(segment: Segment) -> QuerySet[Subscriber]:
    """Only confirmed (hence unsuppressed) subscribers ever receive an issue."""
    queryset = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if segment.profiles:
        queryset = queryset.filter(profile__in=segment.profiles)
    if segment.commune_ids:
        ids = Subscriber.communes.through.objects.filter(commune_id__in=segment.commune_ids).values(
            "subscriber_id"
        )
        queryset = queryset.filter(pk__in=ids)
    return queryset


# --- Creating and steering campaigns ---


class CampaignError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def create_campaign(issue: Any, segment: Segment, *, user: Any = None) -> Campaign:
    """Render the issue once, check it, freeze it and snapshot the recipient list (DRAFT)."""
    from newsletter.checks import check_issue
    from newsletter.freeze import freeze_images
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

    archive_url = issue.get_full_url() if hasattr(issue, "get_full_url") else None
    rendered = render_issue(
        issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, archive_url=archive_url
    )
    problems = check_issue(issue, rendered)
    if problems:
        raise CampaignError(problems)
    if UNSUBSCRIBE_URL_PLACEHOLDER not in rendered.html:
        raise CampaignError(["Le lien de désabonnement manque dans la version HTML."])
    with transaction.atomic():
        campaign = Campaign.objects.create(
            issue=issue,
            subject=rendered.subject,
            preheader=rendered.preheader,
            html=freeze_images(rendered.html),
            text=rendered.text,
            segment=segment.to_json(),
            segment_label=segment.label(),
            created_by=user if getattr(user, "pk", None) else None,
        )
        count = snapshot_recipients(campaign, recipients(segment))
        Campaign.objects.filter(pk=campaign.pk).update(recipient_count=count)
        campaign.recipient_count = count
    return campaign


def snapshot_recipients(campaign: Campaign, queryset: QuerySet[Subscriber]) -> int:
    """One Delivery per recipient, in a single INSERT … SELECT: the list never passes through
    Python, so time and memory stay flat per recipient (50,000 rows in well under a second)."""
    select_sql, params = (
        queryset.order_by().annotate(recipient_id=F("pk")).values("recipient_id").query
    ).sql_with_params()
    table = connection_quote(Delivery._meta.db_table)
    columns = ", ".join(
        connection_quote(Delivery._meta.get_field(name).column)
        for name in (
            "campaign",
            "subscriber",
            "status",
            "ses_message_id",
            "attempts",
            "error",
            "claimed_by",
        )
    )
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (identifiers from the model, values bound)
        f"SELECT %s, recipients.recipient_id, %s, '', 0, '', '' FROM ({select_sql}) AS recipients"
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, Delivery.Status.PENDING, *params])
    return Delivery.objects.filter(campaign=campaign).count()


def connection_quote(name: str) -> str:
    return db_connection.ops.quote_name(name)


def start_campaign(campaign: Campaign) -> None:
    updated = Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.PAUSED]
    ).update(
        status=Campaign.Status.SENDING,
        pause_reason="",
        started_at=timezone.now() if campaign.started_at is None else campaign.started_at,
    )
    if updated:
        campaign.refresh_from_db()
        transaction.on_commit(lambda: send_campaign_batch.enqueue(campaign.pk))


def pause_campaign(campaign: Campaign, reason: str = "Mise en pause par l'équipe.") -> bool:
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.PAUSED, pause_reason=reason[:300]
    )
    return bool(updated)


def resume_campaign(campaign: Campaign) -> None:
    start_campaign(campaign)


def cancel_campaign(campaign: Campaign) -> bool:
    """Stop for good: what was not sent yet is skipped (a batch in flight still finishes)."""
    with transaction.atomic():
        updated = Campaign.objects.filter(
            pk=campaign.pk,
            status__in=[Campaign.Status.DRAFT, Campaign.Status.SENDING, Campaign.Status.PAUSED],
        ).update(status=Campaign.Status.CANCELLED, finished_at=timezone.now())
        if updated:
            campaign.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED, error="Campagne annulée."
            )
    return bool(updated)


def resend_uncertain(campaign: Campaign, delivery_ids: Iterable[int] | None = None) -> int:
    """Staff decided that these uncertain deliveries did not go out: queue them again."""
    queryset = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN)
    if delivery_ids is not None:
        queryset = queryset.filter(pk__in=list(delivery_ids))
    count = queryset.update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)
    if count and campaign.status == Campaign.Status.DONE:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.PAUSED, pause_reason="Envois incertains remis en file."
        )
    return count


def mark_uncertain_as_sent(campaign: Campaign, delivery_ids: Iterable[int] | None = None) -> int:
    """Staff decided that these uncertain deliveries did go out (e.g. seen in SES logs)."""
    queryset = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN)
    if delivery_ids is not None:
        queryset = queryset.filter(pk__in=list(delivery_ids))
    count = queryset.update(status=Delivery.Status.SENT)
    refresh_counters(campaign)
    return count


# --- Progress ---


@dataclass
class Progress:
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    rate_per_second: float | None = None
    estimated_end: datetime | None = None

    def __getattr__(self, name: str) -> int:
        if name in Delivery.Status.values:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def remaining(self) -> int:
        return self.counts.get("pending", 0) + self.counts.get("sending", 0)

    @property
    def percent_done(self) -> int:
        return round(100 * (self.total - self.remaining) / self.total) if self.total else 100


def progress(campaign: Campaign) -> Progress:
    """Counts per status (one query), observed rate and estimated end."""
    rows = campaign.deliveries.values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    result = Progress(counts=counts, total=sum(counts.values()))
    sent = counts.get("sent", 0) + counts.get("failed", 0)
    if campaign.started_at and sent and campaign.status == Campaign.Status.SENDING:
        elapsed = (timezone.now() - campaign.started_at).total_seconds()
        if elapsed > 0:
            result.rate_per_second = sent / elapsed
            result.estimated_end = timezone.now() + timedelta(
                seconds=result.remaining / result.rate_per_second
            )
    return result


def refresh_counters(campaign: Campaign) -> None:
    counts = progress(campaign).counts
    Campaign.objects.filter(pk=campaign.pk).update(
        sent_count=counts.get("sent", 0), failed_count=counts.get("failed", 0)
    )


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


# --- Rate ---


def ses_max_send_rate() -> float | None:
    """The account's maximum rate: MAILING_MAX_SEND_RATE if set (0 = no limit), else SES's
    GetSendQuota (SES v1 API; SES v2's GetAccount gives the same figure)."""
    configured = setting("MAILING_MAX_SEND_RATE", None)  # 0: no limit
    if configured is not None:
        return float(configured) or None
    if settings.EMAIL_BACKEND != SES_BACKEND:
        return None  # console or test backends: no SES account to protect
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client = boto3.client("ses", region_name=settings.AWS_REGION)
        try:
            quota = client.get_send_quota()
        finally:
            client.close()
    except (BotoCoreError, ClientError) as exc:
        # Sending will probably fail too, but never faster than SES's sandbox rate.
        logger.warning("SES GetSendQuota failed (%s): sending at 1 message per second", exc)
        return 1.0
    return float(quota["MaxSendRate"]) or None


class RateLimiter:
    """Spaces calls at `rate` per second across threads (no burst beyond one call)."""

    def __init__(self, rate: float | None):
        self.interval = 1.0 / rate if rate else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


_limiter: RateLimiter | None = None
_limiter_rate: float | None = None
_limiter_read_at = 0.0


def limiter() -> RateLimiter:
    """One limiter per worker process, the quota re-read every ten minutes."""
    global _limiter, _limiter_rate, _limiter_read_at
    if _limiter is None or time.monotonic() - _limiter_read_at > 600:
        rate = ses_max_send_rate()
        if _limiter is None or rate != _limiter_rate:
            _limiter = RateLimiter(rate)
            _limiter_rate = rate
        _limiter_read_at = time.monotonic()
    return _limiter


# --- Sending ---


class SendOutcome:
    SENT = "sent"
    FAILED = "failed"  # permanent for this recipient
    UNCERTAIN = "uncertain"  # the request may have reached SES
    RETRY_LATER = "retry_later"  # nothing was sent; back to pending


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str


def personalise(campaign: Campaign, subscriber_id: int) -> tuple[str, str, dict[str, str]]:
    """The frozen HTML/text with this recipient's unsubscribe URL, and the RFC 8058 headers."""
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER

    url = unsubscribe_url(subscriber_id)
    html = campaign.html.replace(UNSUBSCRIBE_URL_PLACEHOLDER, url)
    text = campaign.text.replace(UNSUBSCRIBE_URL_PLACEHOLDER, url)
    return html, text, list_unsubscribe_headers(subscriber_id)


_local = threading.local()
_generation = 0
_executor: ThreadPoolExecutor | None = None


def reset_sending_state() -> None:
    """Forget cached connections and the rate limiter (settings or endpoint changed)."""
    global _generation, _limiter, _executor
    _generation += 1
    _limiter = None
    if _executor is not None:
        _executor.shutdown(wait=False)
        _executor = None


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs: Any) -> None:
    if setting.startswith(("MAILING_", "ANYMAIL", "EMAIL_")):
        reset_sending_state()


_NO_RETRIES = {
    "retries": {"total_max_attempts": 1},
    "max_pool_connections": 4,
    "connect_timeout": 5,
    "read_timeout": 30,
}


def uses_ses_fast_path() -> bool:
    """Raw MIME straight to SES v2 when the site's mail backend is SES itself (production,
    tests); any other backend (console in development…) goes through the site's mail path."""
    return settings.EMAIL_BACKEND == SES_BACKEND and setting("MAILING_SES_FAST_PATH", True)


def _thread_cached(name: str, factory):
    """One client per sending thread, rebuilt when settings or the endpoint changed."""
    if getattr(_local, "generation", None) != _generation:
        for old in ("ses_client", "connection"):
            item = getattr(_local, old, None)
            if item is not None:
                item.close()
            setattr(_local, old, None)
        _local.generation = _generation
    item = getattr(_local, name, None)
    if item is None:
        item = factory()
        setattr(_local, name, item)
    return item


def _ses_client():
    """A boto3 SES v2 client, configured as the site's SES backend (region, endpoint from the
    environment) but with botocore's retries off: every attempt is ours to classify, since a
    timed-out request may have been sent."""
    import boto3
    from botocore.config import Config

    params = dict(settings.ANYMAIL.get("AMAZON_SES_CLIENT_PARAMS") or {})
    params.pop("config", None)
    return boto3.session.Session().client("sesv2", config=Config(**_NO_RETRIES), **params)


def _mail_connection():
    """The site's mail path (Django backend) for non-SES backends."""

    def factory():
        client_params = dict(settings.ANYMAIL.get("AMAZON_SES_CLIENT_PARAMS") or {})
        client_params["config"] = _NO_RETRIES
        conn = get_connection(fail_silently=False, client_params=client_params)
        conn.open()
        return conn

    return _thread_cached("connection", factory)


_skeletons: dict[tuple[int, str], MimeSkeleton] = {}


def _skeleton(campaign: Campaign) -> MimeSkeleton:
    key = (campaign.pk, campaign.subject)
    if key not in _skeletons:
        if len(_skeletons) > 32:
            _skeletons.clear()
        _skeletons[key] = mime_skeleton(campaign.subject)
    return _skeletons[key]


def _send_via_ses(campaign, recipient, html: str, text: str, headers: dict[str, str]) -> str:
    client = _thread_cached("ses_client", _ses_client)
    params: dict[str, Any] = {
        "Destination": {"ToAddresses": [recipient.email]},
        "Content": {
            "Raw": {
                "Data": build_raw(
                    _skeleton(campaign), to=recipient.email, text=text, html=html, headers=headers
                )
            }
        },
        "EmailTags": [
            {"Name": "delivery", "Value": str(recipient.delivery_id)},
            {"Name": "campaign", "Value": str(campaign.pk)},
        ],
    }
    configuration_set = settings.ANYMAIL.get("AMAZON_SES_CONFIGURATION_SET_NAME")
    if configuration_set:
        params["ConfigurationSetName"] = configuration_set
    return client.send_email(**params).get("MessageId", "")


def _send_via_site_path(campaign, recipient, html: str, text: str, headers) -> str:
    message = build_message(
        to=[recipient.email],
        subject=campaign.subject,
        text=text,
        html=html,
        headers=headers,
        tags={"delivery": str(recipient.delivery_id), "campaign": str(campaign.pk)},
        connection=_mail_connection(),
    )
    message.send(fail_silently=False)
    status = getattr(message, "anymail_status", None)
    return (status.message_id if status else "") or ""


def _classify(exc: Exception) -> tuple[str, str]:
    """(SendOutcome, message) for an exception raised by one send."""
    from botocore.exceptions import (
        ClientError,
        ConnectionClosedError,
        EndpointConnectionError,
        ReadTimeoutError,
    )

    cause = exc.__cause__ or exc
    if isinstance(cause, ClientError):
        error = cause.response.get("Error", {})
        code = error.get("Code", "")
        status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        message = f"{code}: {error.get('Message', '')}"[:500]
        if code in RETRYABLE_CODES or status == 429 or status >= 500:
            return SendOutcome.RETRY_LATER, message
        return SendOutcome.FAILED, message
    if isinstance(cause, ReadTimeoutError | ConnectionClosedError):
        return SendOutcome.UNCERTAIN, f"{type(cause).__name__}: {cause}"[:500]
    if isinstance(cause, EndpointConnectionError):
        return SendOutcome.RETRY_LATER, f"{type(cause).__name__}: {cause}"[:500]
    return SendOutcome.FAILED, f"{type(cause).__name__}: {cause}"[:500]


def send_one(campaign: Campaign, recipient: Recipient) -> tuple[str, str, str]:
    """Send one personalised mail, retrying throttling and 5xx with exponential backoff.
    Returns (outcome, SES message id, error)."""
    html, text, headers = personalise(campaign, recipient.subscriber_id)
    attempts = setting("MAILING_MAX_ATTEMPTS", 5)
    delay = setting("MAILING_RETRY_BASE_DELAY", 0.5)
    rate = limiter()
    transport = _send_via_ses if uses_ses_fast_path() else _send_via_site_path
    error = ""
    for attempt in range(attempts):
        rate.wait()
        try:
            message_id = transport(campaign, recipient, html, text, headers)
        except Exception as exc:  # classified below: anything unknown is a failure, not a crash
            outcome, error = _classify(exc)
            if outcome != SendOutcome.RETRY_LATER:
                return outcome, "", error
            if attempt + 1 < attempts:
                time.sleep(delay * 2**attempt)
            continue
        return SendOutcome.SENT, message_id, ""
    return SendOutcome.RETRY_LATER, "", error


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_is_gone(claimed_by: str) -> bool:
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_orphans(campaign: Campaign | None = None) -> int:
    """Deliveries left SENDING by a dead worker become UNCERTAIN (never silently resent)."""
    queryset = Delivery.objects.filter(status=Delivery.Status.SENDING)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    lease = timedelta(seconds=setting("MAILING_CLAIM_LEASE_SECONDS", 600))
    stale = Q(claimed_at__lt=timezone.now() - lease)
    claimers = set(queryset.values_list("claimed_by", flat=True).distinct())
    dead = [claimer for claimer in claimers if _process_is_gone(claimer)]
    count = queryset.filter(stale | Q(claimed_by__in=dead)).update(
        status=Delivery.Status.UNCERTAIN,
        error="Worker interrompu pendant l'envoi : vérifier avant de renvoyer.",
    )
    if count:
        logger.warning("%s deliveries marked uncertain after a worker stopped", count)
    return count


def claim_batch(campaign: Campaign, size: int) -> list[Recipient]:
    """Mark up to `size` pending deliveries SENDING for this process, atomically.

    On PostgreSQL, SKIP LOCKED lets several workers claim disjoint batches; on SQLite the
    IMMEDIATE transaction (settings) already serialises writers.
    """
    me = worker_identity()
    now = timezone.now()
    with transaction.atomic():
        queryset = Delivery.objects.filter(campaign=campaign, status=Delivery.Status.PENDING)
        if db_connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        rows = list(
            queryset.order_by("pk").values_list(
                "pk", "subscriber_id", "subscriber__email", "subscriber__status"
            )[:size]
        )
        if not rows:
            return []
        # Unsubscribed/suppressed since the snapshot: skip, never send.
        gone = [pk for pk, _, _, status in rows if status != Subscriber.Status.CONFIRMED]
        if gone:
            Delivery.objects.filter(pk__in=gone).update(
                status=Delivery.Status.SKIPPED, error="Plus abonné au moment de l'envoi."
            )
        batch = [
            Recipient(pk, subscriber_id, email)
            for pk, subscriber_id, email, status in rows
            if status == Subscriber.Status.CONFIRMED
        ]
        Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).update(
            status=Delivery.Status.SENDING,
            claimed_by=me,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return batch


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(
            max_workers=setting("MAILING_CONCURRENCY", 4), thread_name_prefix="mailing-send"
        )
    return _executor


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    requeued: int = 0
    finished: bool = False
    paused_reason: str | None = None


def _record(recipient: Recipient, outcome: str, message_id: str, error: str) -> None:
    now = timezone.now()
    row = Delivery.objects.filter(pk=recipient.delivery_id, status=Delivery.Status.SENDING)
    if outcome == SendOutcome.SENT:
        row.update(status=Delivery.Status.SENT, ses_message_id=message_id, sent_at=now, error="")
    elif outcome == SendOutcome.FAILED:
        row.update(status=Delivery.Status.FAILED, error=error)
    elif outcome == SendOutcome.UNCERTAIN:
        row.update(status=Delivery.Status.UNCERTAIN, error=error)
    else:
        row.update(status=Delivery.Status.PENDING, error=error, claimed_by="", claimed_at=None)


def run_batch(campaign_id: int, *, enqueue_next: bool = True) -> BatchResult:
    """Claim one batch of the campaign and send it. Called by the task (and the bench)."""
    result = BatchResult()
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return result
    recover_orphans(campaign)
    if campaign.status != Campaign.Status.SENDING:
        return result
    batch = claim_batch(campaign, setting("MAILING_BATCH_SIZE", 50))
    result.claimed = len(batch)
    if not batch:
        result.finished = finish_if_complete(campaign)
        return result
    if enqueue_next:
        # Queued before sending: if this worker is killed, the restarted one carries on.
        send_campaign_batch.enqueue(campaign.pk)

    try:
        outcomes = _pool().map(lambda r: (r, *send_one(campaign, r)), batch)
        for recipient, outcome, message_id, error in outcomes:
            _record(recipient, outcome, message_id, error)
            counter = "requeued" if outcome == SendOutcome.RETRY_LATER else outcome
            setattr(result, counter, getattr(result, counter) + 1)
    except BaseException:
        # Whatever was not recorded may or may not have gone out: uncertain, never resent.
        Delivery.objects.filter(
            pk__in=[r.delivery_id for r in batch], status=Delivery.Status.SENDING
        ).update(status=Delivery.Status.UNCERTAIN, error="Erreur pendant l'envoi du lot.")
        raise
    Campaign.objects.filter(pk=campaign.pk).update(heartbeat_at=timezone.now())
    refresh_counters(campaign)
    if result.sent == 0 and result.failed == len(batch):
        # Nothing went through: a configuration problem (sender, account) rather than bad
        # addresses. Put them back and pause rather than fail the whole list.
        errors = set(
            Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).values_list(
                "error", flat=True
            )
        )
        Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).update(
            status=Delivery.Status.PENDING, claimed_by="", claimed_at=None
        )
        refresh_counters(campaign)
        result.paused_reason = "Tous les envois du lot ont échoué : " + " / ".join(errors)
        pause_campaign(campaign, result.paused_reason)
    elif result.requeued == len(batch):
        result.paused_reason = "SES refuse temporairement les envois (limite ou panne) : " + (
            "reprenez plus tard."
        )
        pause_campaign(campaign, result.paused_reason)
    else:
        result.paused_reason = check_health(campaign.pk)
    if (
        not result.paused_reason
        and not campaign.deliveries.filter(status=Delivery.Status.PENDING).exists()
    ):
        # The last batch: whichever worker records its last send closes the campaign, rather
        # than a deferred re-check (several workers may finish their batches together).
        result.finished = finish_if_complete(campaign)
    return result


def finish_if_complete(campaign: Campaign) -> bool:
    """DONE once nothing is pending or in flight (uncertain ones stay for staff to decide)."""
    busy = campaign.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    if busy:
        in_flight = campaign.deliveries.filter(status=Delivery.Status.SENDING).exists()
        if in_flight and send_campaign_batch.get_backend().supports_defer:
            # Another worker is still on a batch, or a claim awaits its lease: look again later.
            send_campaign_batch.using(run_after=timezone.now() + timedelta(seconds=30)).enqueue(
                campaign.pk
            )
        return False
    refresh_counters(campaign)
    return bool(
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.DONE, finished_at=timezone.now()
        )
    )


def _tasks_run_in_process() -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(send_campaign_batch.get_backend(), ImmediateBackend)


@task(queue_name="mail")
def send_campaign_batch(campaign_id: int) -> dict:
    if _tasks_run_in_process():
        # Immediate backend (development, some tests): no worker, so loop here rather than
        # recurse through enqueue() once per batch.
        while (result := run_batch(campaign_id, enqueue_next=False)).claimed:
            pass
    else:
        result = run_batch(campaign_id)
    return {
        "claimed": result.claimed,
        "sent": result.sent,
        "failed": result.failed,
        "uncertain": result.uncertain,
        "requeued": result.requeued,
        "finished": result.finished,
        "paused": result.paused_reason or "",
    }


def recover_on_worker_start() -> int:
    """Run by `db_worker` before it polls (mailing/management/commands/db_worker.py).

    Deliveries a killed worker left SENDING become UNCERTAIN, and every campaign still SENDING
    gets a batch task queued unless one is already waiting: a worker killed between claiming a
    task and queueing the next one would otherwise leave the campaign stalled.
    """
    recover_orphans()
    sending = list(
        Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True)
    )
    if not sending:
        return 0
    waiting: set[int] = set()
    try:
        from django_tasks_db.models import DBTaskResult

        for args_kwargs in (
            DBTaskResult.objects.ready()
            .filter(task_path=send_campaign_batch.module_path)
            .values_list("args_kwargs", flat=True)
        ):
            args = (args_kwargs or {}).get("args") or [None]
            waiting.add(args[0])
    except (ImportError, LookupError):
        pass
    queued = 0
    for campaign_id in sending:
        if campaign_id not in waiting:
            send_campaign_batch.enqueue(campaign_id)
            queued += 1
    return queued
