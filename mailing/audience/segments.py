"""Saved segments: who a named audience reaches, from declared attributes only. Within an
attribute the values add up (« élus ou bailleurs »); attributes narrow each other (« élus de la
CA Lens-Liévin »); communes and EPCI are one attribute, the place of interest. Only confirmed
subscribers of the segment's list: following a cité never enrols in the letter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import SavedSegment, Subscriber


def segment_recipients(segment: SavedSegment) -> QuerySet[Subscriber]:
    queryset = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if segment.mailing_list == SavedSegment.List.WEBINARS:
        queryset = queryset.filter(webinar_announcements=True)
    else:
        queryset = queryset.filter(newsletter=True)
    if segment.profiles:
        queryset = queryset.filter(profile__in=segment.profiles)
    commune_ids = list(segment.communes.values_list("pk", flat=True))
    epci_ids = list(segment.epcis.values_list("pk", flat=True))
    if commune_ids or epci_ids:
        place = Q(commune_id__in=commune_ids) | Q(commune__epci_id__in=epci_ids)
        through = Subscriber.communes.through.objects.filter(place)
        queryset = queryset.filter(pk__in=through.values("subscriber_id"))
    cite_ids = list(segment.cites.values_list("pk", flat=True))
    if cite_ids:
        through = Subscriber.cites.through.objects.filter(citypage_id__in=cite_ids)
        queryset = queryset.filter(pk__in=through.values("subscriber_id"))
    return queryset


def segment_count(segment: SavedSegment) -> int:
    """The live count shown before sending."""
    return segment_recipients(segment).count()
