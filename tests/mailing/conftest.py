import json

import pytest
from django.core.cache import cache

from mailing.delivery import Segment, create_campaign, run_batch, start_campaign
from mailing.models import Campaign, Delivery
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER
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


@pytest.fixture
def fast_sending(settings):
    """Sending in this process without waiting: no rate limit, quick retries, batches of 10."""
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_RETRY_BASE_DELAY = 0.01
    settings.MAILING_BATCH_SIZE = 10


def send(issue) -> Campaign:
    """A campaign of this issue to every subscriber, sent batch after batch in this process."""
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    campaign.refresh_from_db()
    return campaign


def handmade_campaign(settings) -> Campaign:
    """A campaign with every kind of link the rewriting meets (tests/mailing/test_report*.py)."""
    site = settings.SITE_URL
    html = (
        '<a href="https://www.example.org/cites?a=1&amp;b=2" style="x">La <b>carte</b> '
        "des cités</a>"
        f'<a href="{site}/actualites/" ><img src="{site}/media/i.jpg" alt="Photo du chantier"></a>'
        "<a href='https://www.example.org/cites?a=1&amp;b=2'>Encore la carte</a>"
        '<a href="=HYPERLINK(1)">pas un lien web</a>'
        '<a href="https://www.example.org/formule">=HYPERLINK("http://x.example")</a>'
        '<a href="mailto:contact@example.org">Écrire</a><a href="#haut">Haut</a>'
        f'<a href="{site}/lettre/preferences/abc/">Mes préférences</a>'
        f'<a href="{UNSUBSCRIBE_URL_PLACEHOLDER}">Se désabonner</a>'
        '<a href="https://preferences.invalid/__TOKEN__">Un autre espace réservé</a>'
        '<a href="http://[::1">Adresse cassée</a>'
    )
    text = (
        "La carte des cités : https://www.example.org/cites?a=1&b=2\n"
        "Seulement dans le texte : https://www.example.org/texte.\n"
        f"Se désabonner : {UNSUBSCRIBE_URL_PLACEHOLDER}\n"
    )
    return Campaign.objects.create(subject="Essai", html=html, text=text)


@pytest.fixture
def webhook(sns, settings, client):
    """post(delivery, kind, bounce_type=""): an SES event about this delivery, through SNS to our
    webhook."""
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]

    def post(delivery: Delivery, kind: str, bounce_type: str = ""):
        """An event as SES publishes it (configuration set), tagged with our delivery."""
        email = delivery.subscriber.email
        payload = {
            "eventType": kind,
            "mail": {
                "messageId": delivery.ses_message_id,
                "destination": [email],
                "tags": {"delivery": [str(delivery.pk)], "campaign": [str(delivery.campaign_id)]},
            },
        }
        if kind == "Bounce":
            payload["bounce"] = {
                "bounceType": bounce_type,
                "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": email}],
            }
        elif kind == "Complaint":
            payload["complaint"] = {"complainedRecipients": [{"emailAddress": email}]}
        elif kind == "Delivery":
            payload["delivery"] = {"recipients": [email], "smtpResponse": "250 2.0.0 OK"}
        message = sns.notification(payload, version=2)
        response = client.post(
            "/lettre/ses-notifications/", data=json.dumps(message), content_type="text/plain"
        )
        assert response.status_code == 200

    return post
