"""The demo shows every feature the day it is loaded: an upcoming webinar one can register to,
a cité with a video, pictures that look like places."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageStat

from cites_pages.models import CityPage, WebinarPage
from renouveau.models import SiteImage

SEED_WEBINAR = "accompagnement-des-habitants-pendant-les-renovations"


@pytest.fixture
def demo(db):
    call_command("load_demo_content", verbosity=0)


def test_an_upcoming_webinar_is_open_for_registration(demo, client):
    upcoming = WebinarPage.objects.live().filter(start__gt=timezone.now())
    assert upcoming.count() == 1
    webinar = upcoming.get()
    assert webinar.start.date() <= timezone.localdate() + datetime.timedelta(days=60)
    page = client.get(webinar.url).content.decode()
    assert "S'inscrire au webinaire" in page or "S’inscrire au webinaire" in page
    assert client.get(f"/webinaires/{webinar.pk}/inscription/").status_code == 200

    # The seeds' webinar keeps its real facts and is a past one with its replay page.
    seed = WebinarPage.objects.get(slug=SEED_WEBINAR)
    paris = seed.start.astimezone(ZoneInfo("Europe/Paris"))
    assert (paris.date(), paris.hour) == (datetime.date(2026, 6, 22), 14)
    assert seed.title.startswith("L'accompagnement des habitants pendant les rénovations")


def test_a_past_demo_webinar_moves_forward_on_the_next_load(demo):
    webinar = WebinarPage.objects.live().get(start__gt=timezone.now())
    webinar.start -= datetime.timedelta(days=90)
    webinar.end -= datetime.timedelta(days=90)
    webinar.save_revision().publish()
    pages = WebinarPage.objects.count()

    call_command("load_demo_content", verbosity=0)
    assert WebinarPage.objects.count() == pages  # idempotent: no second webinar
    webinar.refresh_from_db()
    assert webinar.start > timezone.now()


def test_a_cite_has_a_video_behind_consent(demo, client):
    page = client.get(CityPage.objects.get(slug="cite-5-12").url).content.decode()
    assert 'class="video__frame video-consent"' in page
    assert "Charger et lire la vidéo" in page


def test_demo_images_show_a_street_of_brick_houses_under_a_sky(demo):
    city_images = SiteImage.objects.filter(
        pk__in=CityPage.objects.values("teaser_image")
    ).distinct()
    # Every cité has a picture.
    assert not CityPage.objects.filter(teaser_image__isnull=True).exists()
    for site_image in city_images:
        with site_image.file.open("rb") as file:
            picture = Image.open(io.BytesIO(file.read())).convert("RGB")
        assert picture.size == (1200, 800)
        sky = ImageStat.Stat(picture.crop((0, 0, 1200, 200))).mean
        houses = ImageStat.Stat(picture.crop((0, 470, 1200, 640))).mean
        street = ImageStat.Stat(picture.crop((0, 730, 1200, 800))).mean
        assert sky[2] > sky[0] + 20, site_image.title  # blue above
        assert houses[0] > houses[2] + 20, site_image.title  # red bricks in the middle
        assert abs(street[0] - street[2]) < 15, site_image.title  # grey road below
        # A drawing with many colours, not a plain tint with stripes.
        assert len(picture.getcolors(maxcolors=1_000_000)) > 500, site_image.title
