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
def letter(site_home):
    """Letter N°2 (July 2019), published, with one block of each kind, each showing its
    `block_mark` (tests/pages.py)."""
    from tests.pages import issue_with_every_block

    return issue_with_every_block(site_home)


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


@pytest.fixture
def csp_errors(page):
    """What the page's console says about the Content Security Policy, as the test goes."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors
