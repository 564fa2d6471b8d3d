import pytest


@pytest.fixture
def issue_2(home_page):
    """Issue N°2 as the demo content builds it (with the site's own demo pages)."""
    from newsletter import demo
    from newsletter.models import NewsletterIssuePage
    from renouveau import demo as site_demo

    site_demo.load(home_page)
    demo.load(home_page)
    return NewsletterIssuePage.objects.get(number=2)


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as an editor who may do anything (a superuser)."""
    user = django_user_model.objects.create_superuser("claire", "claire@example.org", "x")
    client.force_login(user)
    return client
