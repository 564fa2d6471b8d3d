import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(transactional_db):
    """The demo content, loaded into the database the live server reads: only for the journeys
    whose point is the demo itself (the others build their site with tests/e2e/sites.py)."""
    call_command("load_demo_content", verbosity=0)


@pytest.fixture
def site_home(transactional_db):
    """The home page and default site alone (tests/e2e/sites.py builds the rest)."""
    from tests.e2e.sites import fresh_home

    return fresh_home()


@pytest.fixture
def editor(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        "redaction", "redaction@example.org", "mot-de-passe-solide", first_name="Claire"
    )


@pytest.fixture
def admin_login(live_server, editor):
    """Log a page into the Wagtail admin as the editor."""

    def login(page):
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill("redaction")
        page.locator("#id_password").fill("mot-de-passe-solide")
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/admin/")

    return login
