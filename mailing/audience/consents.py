"""Consent per list: the letter, webinar announcements and each followed cité are chosen one by
one, each with its own record (wording version, time, source, keyed hash of the IP), and what a
person receives is said from the same lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import ConsentRecord, Subscriber

# The consent wording shown next to the newsletter checkbox; its version is recorded with each
# consent. Change the version whenever the wording changes.
CONSENT_TEXT = (
    "J'accepte de recevoir par courriel la lettre d'information du Renouveau du Bassin Minier. "
    "Je pourrai me désabonner à tout moment grâce au lien présent dans chaque lettre."
)
CONSENT_TEXT_VERSION = "2026-11-v1"

# The optional box of every form that enrols (subscribe, follow a cité, preferences). Change the
# version whenever the wording changes.
WEBINARS_CONSENT_TEXT = (
    "Recevoir aussi les annonces des webinaires du programme (quelques courriels par an)"
)
WEBINARS_CONSENT_TEXT_VERSION = "2026-12-webinaires-v1"

Topic = ConsentRecord.Topic


def record_consents(
    subscriber: Subscriber,
    *,
    given: bool,
    newsletter: bool = False,
    webinars: bool = False,
    cites: Iterable[Any] = (),
    source: str = "",
    versions: dict[str, str],
    ip_hash: str = "",
) -> list[ConsentRecord]:
    """One record per list named (given or withdrawn), with the wording version of its box
    (`versions[topic]`)."""
    records = []
    if newsletter:
        records.append(ConsentRecord(topic=Topic.NEWSLETTER))
    if webinars:
        records.append(ConsentRecord(topic=Topic.WEBINARS))
    records += [ConsentRecord(topic=Topic.CITE, cite_id=getattr(c, "pk", c)) for c in cites]
    for record in records:
        record.subscriber = subscriber
        record.given = given
        record.source = source[:300]
        record.wording_version = versions[record.topic][:40]
        record.ip_hash = ip_hash
    return ConsentRecord.objects.bulk_create(records)


def what_they_receive(subscriber: Subscriber) -> list[str]:
    """The lists this subscriber will receive, as the confirmation page and mails say them."""
    lists = []
    if subscriber.newsletter:
        lists.append("la lettre d'information du Renouveau du Bassin Minier")
    if subscriber.webinar_announcements:
        lists.append("les annonces des webinaires du programme")
    for title in subscriber.cites.order_by("title").values_list("title", flat=True):
        lists.append(f"les nouveautés de la cité {title} (au plus un courriel par jour)")
    return lists
