"""Saved segments (issue 31): named audiences over declared attributes, within the list people
chose, with their count."""

import pytest

from mailing.audience.segments import segment_count, segment_recipients
from mailing.models import SavedSegment
from tests.factories import CommuneFactory, EPCIFactory
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db


def emails(queryset) -> set[str]:
    return set(queryset.values_list("email", flat=True))


def test_elus_of_an_epci_within_the_letter_only(home_page):
    from tests.factories import CitiesIndexPageFactory, CityPageFactory

    lens = EPCIFactory(name="CA Lens-Liévin")
    other = EPCIFactory(name="CA Hénin-Carvin")
    avion, lievin, henin = (
        CommuneFactory(name="Avion", epci=lens),
        CommuneFactory(name="Liévin", epci=lens),
        CommuneFactory(name="Hénin-Beaumont", epci=other),
    )
    elu_avion, elu_lievin, elu_henin, habitant, elu_unsub = make_subscribers(5)
    elu_cite_only, elu_pending = make_subscribers(2, prefix="autre", newsletter=False)
    for subscriber, commune, profile in (
        (elu_avion, avion, "elu"),
        (elu_lievin, lievin, "elu"),
        (elu_henin, henin, "elu"),
        (habitant, avion, "habitant"),
        (elu_unsub, avion, "elu"),
        (elu_cite_only, avion, "elu"),
        (elu_pending, avion, "elu"),
    ):
        subscriber.profile = profile
        subscriber.save(update_fields=["profile"])
        subscriber.communes.add(commune)
    elu_unsub.status = "unsubscribed"
    elu_unsub.save(update_fields=["status"])
    elu_pending.status = "pending"
    elu_pending.newsletter = True
    elu_pending.save(update_fields=["status", "newsletter"])

    segment = SavedSegment.objects.create(name="Élus de la CA Lens-Liévin", profiles=["elu"])
    segment.epcis.add(lens)
    # Followers of a cité who did not choose the letter are not in a letter's segment.
    assert emails(segment_recipients(segment)) == {elu_avion.email, elu_lievin.email}
    assert segment_count(segment) == 2

    # A commune adds to the EPCI (same attribute: the place), the profile still narrows.
    segment.communes.add(henin)
    assert segment_count(segment) == 3
    segment.profiles = ["elu", "habitant"]
    segment.save()
    assert emails(segment_recipients(segment)) == {
        elu_avion.email,
        elu_lievin.email,
        elu_henin.email,
        habitant.email,
    }

    # Followers of a cité, within the webinar announcements list.
    cite = CityPageFactory(parent=CitiesIndexPageFactory(parent=home_page), title="Cité Lemay")
    elu_avion.cites.add(cite)
    elu_cite_only.cites.add(cite)
    elu_cite_only.webinar_announcements = True
    elu_cite_only.save(update_fields=["webinar_announcements"])
    followers = SavedSegment.objects.create(name="Suiveurs Lemay", mailing_list="webinars")
    followers.cites.add(cite)
    assert emails(segment_recipients(followers)) == {elu_cite_only.email}
    followers.mailing_list = "newsletter"
    followers.save()
    assert emails(segment_recipients(followers)) == {elu_avion.email}
