import pytest
from django.core.cache import cache

from tests.factories import CitiesIndexPageFactory, CityPageFactory, NewsIndexPageFactory
from tests.mailing.ses_proxy import FlakySES


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def communes(db):
    from cites_pages.models import Commune

    return [
        Commune.objects.create(name="Condé-sur-l'Escaut", insee_code="59153", department="59"),
        Commune.objects.create(name="Vicq", insee_code="59613", department="59"),
        Commune.objects.create(name="Rouvroy", insee_code="62724", department="62"),
    ]


def make_subscribers(
    n: int,
    *,
    status: str = "confirmed",
    prefix: str = "abonne",
    domain: str = "example.org",
    **fields,
):
    from django.utils import timezone

    from mailing.models import Subscriber

    now = timezone.now()
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@{domain}",
            status=status,
            consent_at=now,
            confirmed_at=now if status == "confirmed" else None,
            consent_source="test",
            consent_text_version="test",
            **fields,
        )
        for i in range(n)
    )


@pytest.fixture
def staff(client, django_user_model):
    """The Wagtail admin, logged in as a superuser of the team."""
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def issue(home_page):
    """A published issue of the letter with one block of each kind (tests/pages.py), built
    with factories: what the sending, report and admin tests send."""
    from tests.pages import issue_with_every_block

    return issue_with_every_block(home_page)


# Two cités and a news index: what the follow and alert tests publish under.
@pytest.fixture
def cites(home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    return (
        CityPageFactory(parent=index, title="Cité Lemay"),
        CityPageFactory(parent=index, title="Cité du Pinson"),
    )


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def flaky_ses(ses, monkeypatch):
    """SES behind a proxy that injects the faults a test asks for (tests/mailing/ses_proxy.py)."""
    from mailing.delivery import reset_sending_state

    proxy = FlakySES(ses.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    reset_sending_state()
    yield proxy
    proxy.stop()
    monkeypatch.undo()
    reset_sending_state()
