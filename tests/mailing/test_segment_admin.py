"""« Lettre : abonnés › Segments » (issue 31): editors build segments in the admin and see their
count before saving; the count endpoint applies the rule of audience/segments.py (within an
attribute OR, across attributes AND, confirmed subscribers of the segment's list only)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from mailing.models import SavedSegment
from tests.factories import CitiesIndexPageFactory, CityPageFactory, CommuneFactory, EPCIFactory
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

INDEX = "/admin/mailing/segments/"
COUNT = "/admin/mailing/segments/compter/"


@pytest.fixture
def places():
    lens = EPCIFactory(name="CA Lens-Liévin")
    other = EPCIFactory(name="CA Hénin-Carvin")
    return {
        "lens": lens,
        "other": other,
        "avion": CommuneFactory(name="Avion", epci=lens),
        "lievin": CommuneFactory(name="Liévin", epci=lens),
        "henin": CommuneFactory(name="Hénin-Beaumont", epci=other),
    }


def declare(subscriber, profile, *communes, **fields):
    """What a subscriber declared on the preferences page."""
    subscriber.profile = profile
    for name, value in fields.items():
        setattr(subscriber, name, value)
    subscriber.save()
    subscriber.communes.add(*communes)
    return subscriber


@pytest.fixture
def audience(places):
    """3 élus of the CA Lens-Liévin, 1 élu elsewhere, 1 habitant of Lens-Liévin, 1 unconfirmed
    élu and 1 élu who only takes the webinar announcements, both of Lens-Liévin."""
    avion, lievin, henin = places["avion"], places["lievin"], places["henin"]
    elus = make_subscribers(3, prefix="elu")
    for subscriber, commune in zip(elus, (avion, lievin, avion), strict=True):
        declare(subscriber, "elu", commune)
    [ailleurs, habitant, webinaires] = make_subscribers(3, prefix="autre")
    declare(ailleurs, "elu", henin)
    declare(habitant, "habitant", lievin)
    declare(webinaires, "elu", avion, newsletter=False, webinar_announcements=True)
    [pending] = make_subscribers(1, status="pending", prefix="attente")
    declare(pending, "elu", avion)
    return {"elus": elus, "ailleurs": ailleurs, "habitant": habitant, "webinaires": webinaires}


def typed(name: str, *profiles: str, epcis=(), **extra) -> dict:
    """What an editor types in the segment form."""
    return {
        "name": name,
        "mailing_list": "newsletter",
        "profiles": list(profiles),
        "epcis": [epci.pk for epci in epcis],
        **extra,
    }


def count(client, **params):
    response = client.get(COUNT, {"mailing_list": "newsletter", **params})
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_the_count_combines_criteria_as_segments_do(staff, places, audience, home_page):
    lens, avion, henin = places["lens"].pk, places["avion"].pk, places["henin"].pk
    # Everybody confirmed on the letter: the unconfirmed one and the webinar-only one are out.
    assert count(staff) == 5
    assert count(staff, profiles="elu") == 4
    assert count(staff, profiles="elu", epcis=lens) == 3  # across attributes: AND
    assert count(staff, profiles=["elu", "habitant"], epcis=lens) == 4  # within one: OR
    assert count(staff, profiles="elu", epcis=lens, communes=henin) == 4  # communes OR EPCI
    assert count(staff, communes=avion) == 2
    assert count(staff, mailing_list="webinars", epcis=lens) == 1  # the other list
    response = staff.get(COUNT, {"mailing_list": "newsletter", "profiles": "elu", "epcis": lens})
    assert response.json()["label"] == "3\u00a0destinataires"

    # Followers of a cité: the criterion narrows too.
    cite = CityPageFactory(parent=CitiesIndexPageFactory(parent=home_page), title="Lemay")
    audience["elus"][0].cites.add(cite)
    assert count(staff, profiles="elu", epcis=lens, cites=cite.pk) == 1
    response = staff.get(COUNT, {"mailing_list": "newsletter", "cites": cite.pk})
    assert response.json()["label"] == "1\u00a0destinataire"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"epcis": "abc"}, "Intercommunalités (EPCI)\u00a0: Cette intercommunalité n’existe pas"),
        ({"epcis": "999999"}, "Cette intercommunalité n’existe pas ou plus"),
        ({"communes": "999999"}, "Communes\u00a0: Cette commune n’existe pas"),
        ({"profiles": "ministre"}, "Profils\u00a0: Ce profil n’existe pas"),
        ({"mailing_list": "sms"}, "Liste\u00a0: Choisissez la lettre ou les annonces"),
    ],
)
def test_bad_criteria_are_refused_in_french(staff, params, words):
    response = staff.get(COUNT, {"mailing_list": "newsletter", **params})
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_create_edit_and_delete_in_the_admin(staff, places, audience):
    lens = places["lens"]
    index = staff.get(INDEX)
    assert index.status_code == 200
    assert "Segments" in index.content.decode()
    form = staff.get(f"{INDEX}create/")
    html = form.content.decode()
    assert form.status_code == 200
    assert "5\u00a0destinataires" in html  # the whole letter before any criterion
    assert 'aria-live="polite"' in html and ">Compter</button>" in html
    assert "mailing/segment-count.js" in html

    created = staff.post(f"{INDEX}create/", typed("Élus de la CA Lens-Liévin", "elu", epcis=[lens]))
    assert created.status_code == 302
    segment = SavedSegment.objects.get(name="Élus de la CA Lens-Liévin")
    assert segment.profiles == ["elu"] and list(segment.epcis.all()) == [lens]
    listing = staff.get(INDEX).content.decode()
    assert "Élus de la CA Lens-Liévin" in listing and "3\u00a0destinataires" in listing

    # The edit form shows the saved segment's count, then saves a change.
    edit = staff.get(f"{INDEX}edit/{segment.pk}/").content.decode()
    assert "3\u00a0destinataires" in edit
    edited = staff.post(
        f"{INDEX}edit/{segment.pk}/",
        typed("Élus et habitants de la CA Lens-Liévin", "elu", "habitant", epcis=[lens]),
    )
    assert edited.status_code == 302
    segment.refresh_from_db()
    assert segment.name == "Élus et habitants de la CA Lens-Liévin"
    assert "4\u00a0destinataires" in staff.get(INDEX).content.decode()

    # Same name twice: a French error, nothing created.
    twice = staff.post(
        f"{INDEX}create/", {"name": segment.name, "mailing_list": "newsletter"}
    ).content.decode()
    assert "Un segment porte déjà ce nom" in twice
    assert SavedSegment.objects.count() == 1

    assert staff.post(f"{INDEX}delete/{segment.pk}/").status_code == 302
    assert not SavedSegment.objects.exists()


def test_compter_without_javascript_counts_and_saves_nothing(staff, places, audience):
    lens = places["lens"]
    response = staff.post(f"{INDEX}create/", typed("", "elu", epcis=[lens], count="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3\u00a0destinataires" in html
    assert "Ce champ est obligatoire" not in html  # counting is not saving
    assert re.search(rf'name="epcis" value="{lens.pk}"[^>]* checked', html)  # kept as ticked
    assert not SavedSegment.objects.exists()

    bad = staff.post(
        f"{INDEX}create/", {"mailing_list": "newsletter", "epcis": ["x"], "count": "1"}
    )
    assert bad.status_code == 400
    assert "Cette intercommunalité n’existe pas" in bad.content.decode()


def test_the_list_counts_every_segment_in_one_query(
    staff, places, audience, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(INDEX).status_code == 200
        return len(captured)

    SavedSegment.objects.create(name="Tous")
    one = queries_for_the_list()
    for n in range(20):
        segment = SavedSegment.objects.create(name=f"Segment {n}", profiles=["elu"])
        segment.epcis.add(places["lens"])
        segment.communes.add(places["henin"])
    assert queries_for_the_list() == one
    listing = staff.get(INDEX).content.decode()
    assert listing.count("4\u00a0destinataires") == 20  # 3 élus of Lens-Liévin + 1 of Hénin


def user_with(django_user_model, client, *codenames):
    group = Group.objects.create(name="Équipe " + "-".join(codenames))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="mailing", codename=codename)
        )
    user = django_user_model.objects.create_user("u-" + "-".join(codenames), "u@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    return client


def refused(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == "/admin/"


def test_permissions(client, django_user_model, places):
    segment = SavedSegment.objects.create(name="Élus")
    params = {"mailing_list": "newsletter"}
    nobody = user_with(django_user_model, client)
    answer = nobody.get(COUNT, params)
    assert answer.status_code == 403 and "pas le droit" in answer.json()["error"]
    assert refused(nobody.get(INDEX))
    assert INDEX not in nobody.get("/admin/").content.decode()  # no menu entry

    reader = user_with(django_user_model, client, "view_subscriber")
    assert reader.get(COUNT, params).status_code == 200
    assert reader.get(INDEX).status_code == 200
    assert INDEX in reader.get("/admin/").content.decode()
    assert refused(reader.get(f"{INDEX}create/"))
    assert refused(reader.post(f"{INDEX}create/", {"name": "X", **params}))
    assert refused(reader.post(f"{INDEX}edit/{segment.pk}/", {"name": "X", **params}))
    assert refused(reader.post(f"{INDEX}delete/{segment.pk}/"))

    builder = user_with(django_user_model, client, "view_subscriber", "change_savedsegment")
    assert builder.post(f"{INDEX}create/", {"name": "Habitants", **params}).url == INDEX
    importer = user_with(django_user_model, client, "view_subscriber", "add_subscriber")
    assert importer.post(f"{INDEX}create/", {"name": "Bailleurs", **params}).url == INDEX
    # Building without the right to see subscribers: no (the form shows a count).
    blind = user_with(django_user_model, client, "change_savedsegment")
    assert refused(blind.post(f"{INDEX}create/", {"name": "Aveugle", **params}))
    assert set(SavedSegment.objects.values_list("name", flat=True)) == {
        "Élus",
        "Habitants",
        "Bailleurs",
    }
