import pytest


@pytest.fixture
def issue(home_page):
    """A published issue N°2 (July 2019) built by the factories, one block of each kind."""
    from tests.pages import issue_with_every_block  # after Django's set-up (it imports models)

    return issue_with_every_block(home_page)


@pytest.fixture
def legal_notice(home_page):
    """The site's legal notice, whose publisher the letter's footer names."""
    from tests.pages import legal_notice

    return legal_notice(home_page)


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as an editor who may do anything (a superuser)."""
    user = django_user_model.objects.create_superuser("claire", "claire@example.org", "x")
    client.force_login(user)
    return client
