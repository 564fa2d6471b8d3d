"""Issue 26 item 2 in the browser: Wagtail's own routes (/_util/…) answer before our page
pattern, so a password-protected page and a page for a group of members open for the right
person, and only for them."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.pages import site_home_page

pytestmark = pytest.mark.e2e

SECRET = "Ordre du jour confidentiel des bailleurs"


@pytest.fixture
def restricted(transactional_db, django_user_model):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from renouveau.models import StandardPage

    cache.clear()
    home = site_home_page()
    locked = home.add_child(
        instance=StandardPage(title="Réunion des bailleurs", slug="reunion", intro=SECRET)
    )
    PageViewRestriction.objects.create(
        page=locked, restriction_type=PageViewRestriction.PASSWORD, password="cle-du-comite"
    )
    members = home.add_child(
        instance=StandardPage(title="Espace des membres", slug="membres", intro=SECRET)
    )
    group = Group.objects.create(name="Bailleurs")
    restriction = PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    member = django_user_model.objects.create_user("bailleur", "b@example.org", "bon-mot-2026")
    member.groups.add(group)
    django_user_model.objects.create_user("curieux", "c@example.org", "autre-mot-2026")


def test_a_password_page_opens_with_its_password_only(page, live_server, restricted):
    page.goto(f"{live_server.url}/reunion/")
    expect(page.locator("body")).not_to_contain_text(SECRET)
    page.locator("input[name=password]").fill("mauvais")
    page.locator("form [type=submit]").click()
    expect(page.locator("body")).not_to_contain_text(SECRET)
    page.locator("input[name=password]").fill("cle-du-comite")
    page.locator("form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reunion/")
    expect(page.locator("body")).to_contain_text(SECRET)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/membres/")
    assert "/_util/login/" in page.url  # the login page of restricted pages answers
    expect(page.locator("body")).not_to_contain_text(SECRET)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form [type=submit]").click()


def test_a_members_page_opens_for_a_member_only(browser, live_server, restricted):
    outsider = browser.new_context().new_page()
    log_in(outsider, live_server, "curieux", "autre-mot-2026")
    outsider.wait_for_load_state()
    expect(outsider.locator("body")).not_to_contain_text(SECRET)

    member = browser.new_context().new_page()
    log_in(member, live_server, "bailleur", "bon-mot-2026")
    member.wait_for_url(f"{live_server.url}/membres/")
    expect(member.locator("body")).to_contain_text(SECRET)
