"""One public address: SITE_URL names every absolute link, the Wagtail Site record follows it
(issue 11, item 2)."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from tests.factories import StandardPageFactory
from tests.subprocesses import manage

pytestmark = pytest.mark.django_db

PUBLIC = "https://renouveau.example.fr"


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = PUBLIC
    return PUBLIC


def test_sync_site_url_points_the_site_record_and_every_full_url_at_site_url(
    home_page, public_address, client
):
    page = StandardPageFactory(parent=home_page, slug="programme", title="Le programme")
    call_command("sync_site_url", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("renouveau.example.fr", 443)
    assert site.root_url == PUBLIC
    page.refresh_from_db()
    assert page.get_full_url() == f"{PUBLIC}/programme/"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{PUBLIC}/programme/</loc>" in sitemap
    assert "localhost" not in sitemap


@pytest.mark.django_db(transaction=True)  # the subprocess must see the data and the file
def test_make_run_on_another_port_gives_links_on_that_port(home_page):
    """`PORT=8811 make run` exports SITE_URL=http://127.0.0.1:8811: a real subprocess with that
    environment (migrate runs the sync through post_migrate) builds links on :8811."""
    result = manage("migrate", "--noinput", SITE_URL="http://127.0.0.1:8811")
    assert result.returncode == 0, result.stderr
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8811"
    assert home_page.get_full_url() == "http://127.0.0.1:8811/"


def test_https_on_another_port_keeps_https(home_page, settings, client):
    """A staging site at https://host:8443: Wagtail alone would write http://host:8443/…"""
    settings.SITE_URL = "https://recette.example.fr:8443"
    page = StandardPageFactory(parent=home_page, slug="programme", title="Le programme")
    call_command("sync_site_url", verbosity=0)
    page.refresh_from_db()
    assert page.get_full_url() == "https://recette.example.fr:8443/programme/"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://recette.example.fr:8443/programme/</loc>" in sitemap
