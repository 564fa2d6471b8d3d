"""Following a cité and the preferences page, through real HTTP requests, real SES (moto) and
the real sending path (alert campaigns sent by `run_batch`)."""

import re

import pytest

from mailing.audience.tokens import unsubscribe_url
from mailing.delivery import Segment, recipients, run_batch
from mailing.delivery.cite_alerts import follower_groups, send_cite_alerts
from mailing.models import Campaign, CiteUpdate, PreferenceChange, Subscriber
from tests.factories import (
    CityPageFactory,
    NewsPageFactory,
)
from tests.typography import as_typed

from .conftest import make_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending(settings, ses):
    settings.MAILING_MAX_SEND_RATE = 0
    return ses


def follow_data(**overrides):
    data = {"email": "Residente@Example.org", "consent": "on", "website": ""}
    data.update(overrides)
    return data


def link_in(message, pattern: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(pattern, text)
    assert match, text
    return "/" + match.group(0).split("/", 3)[3]


def test_the_cite_page_offers_a_cacheable_follow_form(client, cites):
    lemay, _ = cites
    html = client.get(lemay.url).content.decode()
    assert "Suivre cette cité" in html
    assert f'action="/lettre/suivre/{lemay.pk}/commencer/"' in html
    assert "csrfmiddlewaretoken" not in html  # the cité page stays cacheable
    # The address is POSTed, never in a URL; that page only pre-fills the form.
    page = client.post(f"/lettre/suivre/{lemay.pk}/commencer/", {"email": "a@example.org"})
    assert page.status_code == 200
    assert "Suivre la cité Cité Lemay" in page.content.decode()
    assert 'value="a@example.org"' in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_new_address_follows_a_cite_by_double_opt_in(client, cites, ses, immediate_tasks):
    lemay, _ = cites
    response = client.post(f"/lettre/suivre/{lemay.pk}/", follow_data())
    assert response.status_code == 302
    [mail] = ses.messages()
    assert mail["Subject"] == "Confirmez le suivi de la cité Lemay"
    assert "suivre la cité Lemay" in mail.get_body(("plain",)).get_content()
    subscriber = Subscriber.objects.get(email="residente@example.org")
    assert subscriber.status == "pending"
    assert subscriber.newsletter is False  # following a cité is not the letter
    assert list(subscriber.cites.all()) == [lemay]
    assert subscriber.consent_text_version == "2026-12-suivi-v1"

    confirm = link_in(mail, r"https?://\S+/lettre/confirmation/\S+/")
    client.post(confirm)
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    # The letter's campaigns leave out a follower who did not ask for it.
    assert subscriber not in recipients(Segment())


def test_asking_for_the_letter_too(client, cites, ses, immediate_tasks):
    lemay, _ = cites
    client.post(f"/lettre/suivre/{lemay.pk}/", follow_data(newsletter="on"))
    subscriber = Subscriber.objects.get()
    assert subscriber.newsletter is True
    [mail] = ses.messages()
    assert "et à recevoir la lettre d'information" in as_typed(
        mail.get_body(("plain",)).get_content()
    )


def test_a_confirmed_subscriber_confirms_a_new_cite_by_a_signed_link(
    client, cites, ses, immediate_tasks
):
    lemay, pinson = cites
    [subscriber] = make_subscribers(1, prefix="residente", newsletter=True)
    subscriber.cites.add(pinson)
    response = client.post(f"/lettre/suivre/{lemay.pk}/", follow_data(email=subscriber.email))
    assert response.status_code == 302  # the same answer as for any address
    assert set(subscriber.cites.all()) == {pinson}  # nothing changes before the link
    [mail] = ses.messages()
    assert mail["Subject"] == "Confirmez le suivi de la cité Lemay"
    link = link_in(mail, r"https?://\S+/lettre/suivi/\S+/")
    assert "Je confirme" in client.get(link).content.decode()
    assert set(subscriber.cites.all()) == {pinson}  # a GET (a mail scanner) changes nothing
    client.post(link)
    client.post(link)  # twice: harmless
    assert set(subscriber.cites.all()) == {pinson, lemay}
    [change] = PreferenceChange.objects.filter(subscriber=subscriber)
    assert change.changes == {"cites_added": ["Cité Lemay"]}
    assert change.consent_text_version == "2026-12-suivi-v1"
    assert client.post("/lettre/suivi/forged/").status_code == 400


def test_follow_form_errors_bots_and_unknown_cites(client, cites, ses, immediate_tasks):
    lemay, _ = cites
    response = client.post(f"/lettre/suivre/{lemay.pk}/", follow_data(email="x@", consent=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse électronique valide" in html
    assert "Cochez la case pour confirmer votre accord." in html
    bot = client.post(f"/lettre/suivre/{lemay.pk}/", follow_data(website="http://spam.example"))
    assert bot.status_code == 302
    assert ses.messages() == []
    assert client.get("/lettre/suivre/999999/").status_code == 404


def test_publishing_news_alerts_only_the_followers_of_its_cites(client, cites, news_index, sending):
    lemay, pinson = cites
    lemay_fans = make_subscribers(2, prefix="lemay", newsletter=False)
    pinson_fans = make_subscribers(1, prefix="pinson")
    for subscriber in lemay_fans:
        subscriber.cites.add(lemay)
    pinson_fans[0].cites.add(pinson)
    make_subscribers(1, prefix="gone", status="unsubscribed")[0].cites.add(lemay)

    news = NewsPageFactory(
        parent=news_index, title="Les travaux commencent", related_cities=[lemay]
    )
    news.save_revision().publish()  # republished: still one update
    [update] = CiteUpdate.objects.all()
    assert (update.cite, update.source, update.kind) == (lemay, f"page:{news.pk}", "Actualité")

    result = send_cite_alerts()
    assert result == {"updates": 1, "campaigns": 1, "recipients": 2}
    [campaign] = Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT)
    assert campaign.status == "sending"
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    mails = sending.messages()
    assert sorted(m["To"] for m in mails) == ["lemay0@example.org", "lemay1@example.org"]
    mail = mails[0]
    assert mail["Subject"] == "Cité Lemay : Les travaux commencent"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = mail.get_body(("html",)).get_content()
    # Its links lead to the news item through the click counter, as the letter's do.
    assert campaign.links.filter(url=news.get_full_url(), label="Les travaux commencent").exists()
    assert "/lettre/l/" in html and news.get_full_url() not in html
    assert "Ne plus suivre Cité Lemay" in html
    assert "Vous recevez ce message parce que vous suivez les cités nommées ci-dessus" in html
    assert "<!--part:" not in html  # the splice markers never reach a reader
    # Nothing left to announce: the next run sends nothing.
    assert send_cite_alerts()["updates"] == 0


def test_one_digest_per_follower_for_a_day_of_updates(cites, news_index, sending):
    lemay, pinson = cites
    [both] = make_subscribers(1, prefix="both")
    both.cites.add(lemay, pinson)
    [only] = make_subscribers(1, prefix="only")
    only.cites.add(pinson)
    NewsPageFactory(parent=news_index, title="Réunion publique", related_cities=[lemay])
    NewsPageFactory(parent=news_index, title="Chantier terminé", related_cities=[pinson])

    groups = {g.cite_ids: g.subscriber_ids for g in follower_groups([lemay.pk, pinson.pk])}
    assert groups == {
        frozenset({lemay.pk, pinson.pk}): [both.pk],
        frozenset({pinson.pk}): [only.pk],
    }
    assert send_cite_alerts()["campaigns"] == 1  # one campaign, spliced per follower
    [campaign] = Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT)
    run_batch(campaign.pk, enqueue_next=False)
    by_recipient = {m["To"]: m for m in sending.messages()}
    assert set(by_recipient) == {both.email, only.email}  # one mail each
    digest = by_recipient[both.email].get_body(("plain",)).get_content()
    assert "Réunion publique" in digest and "Chantier terminé" in digest
    assert by_recipient[both.email]["Subject"].startswith(
        "Nouveautés de Cité du Pinson et Cité Lemay"
    )
    assert "Réunion publique" not in by_recipient[only.email].get_body(("plain",)).get_content()


def test_unfollow_one_cite_from_an_alert_link(client, cites):
    lemay, pinson = cites
    [subscriber] = make_subscribers(1)
    subscriber.cites.add(lemay, pinson)
    url = unsubscribe_url(subscriber.pk).split("/", 3)[3]
    page = client.get(f"/{url}?cite={lemay.pk}").content.decode()
    assert "Ne plus suivre Cité Lemay" in page
    client.post(f"/{url}?cite={lemay.pk}", {"scope": "cite"})
    subscriber.refresh_from_db()
    assert list(subscriber.cites.all()) == [pinson]
    assert subscriber.status == "confirmed"  # the rest goes on
    # The one-click POST of the List-Unsubscribe header stops everything.
    client.post(f"/{url}", {"List-Unsubscribe": "One-Click"})
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_preferences_page_changes_are_saved_and_logged(client, cites, communes):
    lemay, pinson = cites
    [subscriber] = make_subscribers(1)
    subscriber.cites.add(lemay)
    path = "/" + unsubscribe_url(subscriber.pk).split("/", 3)[3].replace(
        "desabonnement", "preferences"
    )
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert subscriber.email in html
    assert f'value="{lemay.pk}"' in html and "checked" in html
    response = client.post(
        path,
        {"webinar_announcements": "on", "cites": [pinson.pk], "profile": "elu", "communes": []},
        REMOTE_ADDR="203.0.113.9",
    )
    # POST/redirect/GET: the answer page can be reloaded without posting the choices again.
    assert response.status_code == 303
    answer = client.get(response["Location"])
    assert "Vos choix sont enregistrés." in answer.content.decode()
    assert client.get(response["Location"]).status_code == 200
    assert PreferenceChange.objects.count() == 1  # reloading recorded nothing more
    subscriber.refresh_from_db()
    assert subscriber.newsletter is False
    assert list(subscriber.cites.all()) == [pinson]
    assert subscriber.profile == "elu"
    [change] = PreferenceChange.objects.all()
    assert change.changes["cites"] == {"avant": ["Cité Lemay"], "après": ["Cité du Pinson"]}
    assert change.changes["newsletter"] == {"avant": True, "après": False}
    assert change.consent_text_version == "2026-12-preferences-v1"
    assert len(change.ip_hash) == 64 and "203.0.113.9" not in change.ip_hash

    bad = client.post(path, {"cites": ["999999"]})
    assert bad.status_code == 400
    assert "Choisissez des cités de la liste." in bad.content.decode()
    assert client.get("/lettre/preferences/12:forged/").status_code == 404


def test_an_unsubscribed_reader_can_come_back_from_the_preferences_page(client, cites):
    lemay, _ = cites
    [subscriber] = make_subscribers(1, status="unsubscribed")
    path = "/" + unsubscribe_url(subscriber.pk).split("/", 3)[3].replace(
        "desabonnement", "preferences"
    )
    client.post(path, {"newsletter": "on", "profile": ""})
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.consent_text_version == "2026-12-preferences-v1"
    assert PreferenceChange.objects.get().changes["statut"]["après"] == "abonné"


def test_a_private_page_alerts_nobody(cites, news_index):
    from wagtail.models import PageViewRestriction

    lemay, _ = cites
    news = NewsPageFactory(parent=news_index, title="Réservé", publish=False)
    PageViewRestriction.objects.create(page=news, restriction_type="login")
    news.related_cities.set([lemay])
    news.save_revision().publish()
    assert not CiteUpdate.objects.exists()


def test_a_document_linked_to_a_cite_is_announced(cites, settings):
    from django.core.files.base import ContentFile

    from documents.models import LibraryDocument

    lemay, pinson = cites
    document = LibraryDocument.objects.create(
        title="Plan de la cité Lemay", file=ContentFile(b"%PDF-1.4", name="plan.pdf")
    )
    document.related_pages.add(lemay)
    [update] = CiteUpdate.objects.all()
    assert (update.cite, update.kind, update.title) == (lemay, "Document", "Plan de la cité Lemay")
    assert update.url == f"{settings.SITE_URL}{document.url}"
    document.related_pages.add(lemay)  # linked again: no second alert
    assert CiteUpdate.objects.count() == 1


def test_staff_see_followers_per_cite_in_constant_queries(
    client, cites, news_index, django_user_model
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lemay, pinson = cites
    for subscriber in make_subscribers(3, prefix="lemay"):
        subscriber.cites.add(lemay)
    make_subscribers(1, prefix="attente", status="pending")[0].cites.add(lemay)
    NewsPageFactory(parent=news_index, title="Les travaux commencent", related_cities=[lemay])
    admin = django_user_model.objects.create_superuser("staff", "staff@example.org", "x")
    client.force_login(admin)
    response = client.get("/admin/mailing/cites-suivies/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Les travaux commencent" in html  # waiting for the evening's alert
    row = re.search(r"Cité Lemay</a></th><td>(\d+)</td><td>(\d+)</td>", html)
    assert row.groups() == ("3", "1")
    filtered = client.get(f"/admin/mailing/subscriber/?cites__page_ptr__exact={lemay.pk}")
    assert filtered.status_code == 200
    assert "lemay0@example.org" in filtered.content.decode()
    assert "attente0@example.org" in filtered.content.decode()

    with CaptureQueriesContext(connection) as few:
        client.get("/admin/mailing/cites-suivies/")
    index = lemay.get_parent()
    for i in range(10):
        CityPageFactory(parent=index, title=f"Autre cité {i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/mailing/cites-suivies/")
    assert len(many) == len(few)


def test_webinar_announcements_reach_those_who_chose_them(cites):
    from mailing.delivery.campaigns import Segment

    [letter_only] = make_subscribers(1, prefix="lettre", webinar_announcements=False)
    [both] = make_subscribers(1, prefix="tout", webinar_announcements=True)
    [announcements_only] = make_subscribers(
        1, prefix="annonces", newsletter=False, webinar_announcements=True
    )
    assert set(recipients(Segment())) == {letter_only, both}
    announcement = Segment(webinar_announcement=True)
    assert set(recipients(announcement)) == {both, announcements_only}
    assert Segment.from_json(announcement.to_json()) == announcement
    assert announcement.label() == "Abonnés aux annonces de webinaires"


def test_alerts_and_letters_carry_the_reply_to_of_a_mailbox_people_read(
    cites, news_index, sending, settings
):
    settings.MAILING_REPLY_TO = "Équipe du Renouveau <equipe@renouveaubassinminier.fr>"
    lemay, _ = cites
    [subscriber] = make_subscribers(1)
    subscriber.cites.add(lemay)
    NewsPageFactory(parent=news_index, title="Visite de chantier", related_cities=[lemay])
    send_cite_alerts()
    run_batch(Campaign.objects.get().pk, enqueue_next=False)
    [mail] = sending.messages()
    assert mail["Reply-To"].addresses[0].addr_spec == "equipe@renouveaubassinminier.fr"
    assert mail["Reply-To"].addresses[0].display_name == "Équipe du Renouveau"
