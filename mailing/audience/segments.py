"""Saved segments: who a named audience reaches, from declared attributes only. Within an
attribute the values add up (« élus ou bailleurs »); attributes narrow each other (« élus de la
CA Lens-Liévin »); communes and EPCI are one attribute, the place of interest. Only confirmed
subscribers of the segment's list: following a cité never enrols in the letter.

The rule is one function, `criteria_filter`, over plain `Criteria`: a saved segment, the
unsaved form of the admin (its live count) and the list of segments (every count in one query)
all go through it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..models import SavedSegment, Subscriber


@dataclass(frozen=True)
class Criteria:
    """What a segment selects: its list and the ids of what people declared."""

    mailing_list: str = SavedSegment.List.NEWSLETTER
    profiles: tuple[str, ...] = ()
    commune_ids: tuple[int, ...] = ()
    epci_ids: tuple[int, ...] = ()
    cite_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, segment: SavedSegment) -> Criteria:
        """A saved segment's criteria (its relations prefetched or read, three small queries)."""
        return cls(
            mailing_list=segment.mailing_list,
            profiles=tuple(segment.profiles or ()),
            commune_ids=tuple(c.pk for c in segment.communes.all()),
            epci_ids=tuple(e.pk for e in segment.epcis.all()),
            cite_ids=tuple(c.pk for c in segment.cites.all()),
        )


def criteria_filter(criteria: Criteria) -> Q:
    """The condition on Subscriber: confirmed, in the list, and each attribute given."""
    condition = Q(status=Subscriber.Status.CONFIRMED)
    if criteria.mailing_list == SavedSegment.List.WEBINARS:
        condition &= Q(webinar_announcements=True)
    else:
        condition &= Q(newsletter=True)
    if criteria.profiles:
        condition &= Q(profile__in=criteria.profiles)
    if criteria.commune_ids or criteria.epci_ids:
        place = Q(commune_id__in=criteria.commune_ids) | Q(commune__epci_id__in=criteria.epci_ids)
        through = Subscriber.communes.through.objects.filter(place)
        condition &= Q(pk__in=through.values("subscriber_id"))
    if criteria.cite_ids:
        through = Subscriber.cites.through.objects.filter(citypage_id__in=criteria.cite_ids)
        condition &= Q(pk__in=through.values("subscriber_id"))
    return condition


def _criteria(segment: SavedSegment | Criteria) -> Criteria:
    return segment if isinstance(segment, Criteria) else Criteria.of(segment)


def segment_recipients(segment: SavedSegment | Criteria) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(criteria_filter(_criteria(segment)))


def segment_count(segment: SavedSegment | Criteria) -> int:
    """The live count shown before saving and before sending."""
    return segment_recipients(segment).count()


def segment_counts(segments: Iterable[SavedSegment]) -> dict[int, int]:
    """Each segment's count by its id, in one query over the confirmed subscribers (one
    filtered COUNT per segment), however many segments: the admin list of segments."""
    counts = {
        f"segment_{segment.pk}": Count("pk", filter=criteria_filter(Criteria.of(segment)))
        for segment in segments
    }
    if not counts:
        return {}
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    return {
        int(key.removeprefix("segment_")): value
        for key, value in confirmed.aggregate(**counts).items()
    }
