"""CSV import of partner lists (issue 31): each row says where, when and to which lists its
person consented; a preview before anything is written; idempotent re-import; French errors."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from mailing.audience.csv_io import import_subscribers, preview_import
from mailing.audience.pending_imports import confirm_import, hold_import
from mailing.models import ConsentRecord, PendingImport, Subscriber, SubscriberImport
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

URL = "/admin/mailing/abonnes/import/"
HEADER = "email;source_consentement;date_consentement;listes;prenom;profil;communes\n"
PARTNER_FILE = HEADER + (
    "lea@example.org;Fiche papier, réunion de Rouvroy;12/05/2026;lettre;Léa;habitant;Vicq\n"
    "webi@example.org;Inscription au stand, salon des maires;2026-03-02;webinaires;;élu;62724\n"
    'deux@example.org;Liste CA Lens-Liévin;01/02/2025;"lettre; webinaires";;;\n'
    "sans-source@example.org;;12/05/2026;lettre;;;\n"
    "sans-date@example.org;Fiche papier;;lettre;;;\n"
    "sans-liste@example.org;Fiche papier;12/05/2026;;;;\n"
    "future@example.org;Fiche papier;12/05/2099;lettre;;;\n"
    "atlantis@example.org;Fiche papier;12/05/2026;lettre;;;Atlantis\n"
    "pas-une-adresse;Fiche papier;12/05/2026;lettre;;;\n"
    "LEA@example.org;Fiche papier;12/05/2026;lettre;;;\n"
    "deja@example.org;Fiche papier;12/05/2026;lettre;;;\n"
    "parti@example.org;Fiche papier;12/05/2026;lettre;;;\n"
    "sms@example.org;Fiche papier;12/05/2026;lettre;;sms;\n"
    "trop@example.org;Fiche papier;12/05/2026;lettre;webinaires;;;\n"
)


def upload(client, content: str | bytes, **data):
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        URL,
        {
            "file": SimpleUploadedFile("liste-partenaire.csv", raw, content_type="text/csv"),
            "consent_text_version": "partenaire-2026",
            **data,
        },
    )


def confirm(client, preview):
    key = re.search(r'name="key" value="([^"]+)"', preview.content.decode()).group(1)
    return client.post(URL, {"key": key})


@pytest.fixture
def known(db):
    Subscriber.objects.create(email="deja@example.org", status="confirmed", newsletter=True)
    Subscriber.objects.create(email="parti@example.org", status="unsubscribed")


def test_preview_writes_nothing_then_confirm_imports_with_the_file_recorded(staff, communes, known):
    preview = upload(staff, PARTNER_FILE, description="Listes des partenaires, décembre")
    html = as_typed(preview.content.decode())
    assert preview.status_code == 200
    assert "3 nouvel(s) abonné(s)" in re.sub(r"<[^>]+>", "", html)
    assert Subscriber.objects.count() == 2 and not ConsentRecord.objects.exists()
    for line, reason in (
        (5, "Source du consentement manquante."),
        (6, "Date de consentement manquante."),
        (7, "Listes manquantes"),
        (8, "Date de consentement future."),
        (9, "Commune(s) inconnue(s) : Atlantis."),
        (10, "Adresse non valide."),
        (11, "Doublon dans le fichier."),
        (12, "Déjà abonné."),
        (13, "Adresse désabonnée ou en échec : pas de réinscription."),
        (14, "Profil inconnu : sms."),
        (15, "Plus de colonnes que la première ligne : une liste séparée par « ; » s'écrit"),
    ):
        assert re.search(rf"<td>{line}</td><td>[^<]*</td><td>{re.escape(reason)}", html), reason
    # The file waits on the server: neither the session nor the page's URL carries it.
    assert "lea@example.org" not in str(dict(staff.session))
    assert PendingImport.objects.get().content.startswith("email;")

    result = confirm(staff, preview)
    assert result.status_code == 200
    assert "3 abonné(s) créé(s), 1 déjà connu(s), 10 ligne(s) écartée(s)." in as_typed(
        result.content.decode()
    )
    assert not PendingImport.objects.exists()  # no raw file kept beyond the preview
    record = SubscriberImport.objects.get()
    assert (record.rows, record.created_count, record.known_count, record.rejected_count) == (
        14,
        3,
        1,
        10,
    )
    assert record.created_by.username == "equipe"
    assert record.file_name == "liste-partenaire.csv"
    assert record.description == "Listes des partenaires, décembre"
    lea = Subscriber.objects.get(email="lea@example.org")
    assert lea.subscriber_import == record and lea.status == "confirmed"
    assert [c.name for c in lea.communes.all()] == ["Vicq"]
    assert lea.consent_text_version == "partenaire-2026"
    page = as_typed(staff.get(f"/admin/mailing/abonnes/{lea.pk}/").content.decode())
    assert f"Import n°{record.pk} du" in page and "liste-partenaire.csv" in page
    assert "Fiche papier, réunion de Rouvroy" in page


def test_each_person_gets_only_their_lists_with_a_consent_record_dated_from_their_row(
    communes, known
):
    report = import_subscribers(PARTNER_FILE, consent_text_version="partenaire-2026")
    assert report.created == 3
    webi = Subscriber.objects.get(email="webi@example.org")
    assert (webi.newsletter, webi.webinar_announcements) == (False, True)  # not the letter
    assert webi.profile == "elu" and [c.name for c in webi.communes.all()] == ["Rouvroy"]
    [consent] = webi.consents.all()
    assert consent.topic == "webinars" and consent.given
    assert timezone.localtime(consent.at).date().isoformat() == "2026-03-02"
    assert consent.source.endswith("Inscription au stand, salon des maires")
    assert consent.wording_version == "partenaire-2026"
    deux = Subscriber.objects.get(email="deux@example.org")
    assert (deux.newsletter, deux.webinar_announcements) == (True, True)
    assert sorted(deux.consents.values_list("topic", flat=True)) == ["newsletter", "webinars"]
    assert deux.consent_at.date().isoformat() == "2025-02-01"
    lea = Subscriber.objects.get(email="lea@example.org")
    assert (lea.newsletter, lea.webinar_announcements) == (True, False)


def test_an_imported_webinars_person_receives_no_letter(communes, known, issue, ses, settings):
    from mailing.delivery import Segment, create_campaign, run_batch, start_campaign

    settings.MAILING_MAX_SEND_RATE = 0
    import_subscribers(PARTNER_FILE)
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    sent_to = sorted(mail["To"] for mail in ses.messages())
    assert sent_to == ["deja@example.org", "deux@example.org", "lea@example.org"]
    assert not campaign.deliveries.filter(subscriber__email="webi@example.org").exists()


def test_reimporting_the_same_file_creates_nothing_and_adds_no_list(staff, communes, known):
    confirm(staff, upload(staff, PARTNER_FILE))
    consents = ConsentRecord.objects.count()
    again = upload(staff, PARTNER_FILE)
    html = as_typed(again.content.decode())
    assert "0 nouvel(s) abonné(s)" in re.sub(r"<[^>]+>", "", html)
    assert re.search(r"<td>2</td><td>lea@example.org</td><td>Déjà abonné.", html)
    confirm(staff, again)
    assert Subscriber.objects.count() == 5 and ConsentRecord.objects.count() == consents
    # Adding a list to a known person is refused: they choose their lists themselves.
    more = HEADER + "webi@example.org;Autre liste;03/03/2026;lettre;;;\n"
    report = import_subscribers(more)
    assert report.created == 0 and [r.reason for r in report.known] == ["Déjà abonné."]
    webi = Subscriber.objects.get(email="webi@example.org")
    assert webi.newsletter is False and webi.consents.count() == 1


def test_confirm_imports_only_rows_the_preview_showed_as_new(communes, django_user_model):
    user = django_user_model.objects.create_user("redac")
    other = django_user_model.objects.create_user("autre")
    pending = Subscriber.objects.create(email="attente@example.org", status="pending")
    key, preview = hold_import(
        HEADER + "attente@example.org;Fiche papier;12/05/2026;lettre;;;\n"
        "neuve@example.org;Fiche papier;12/05/2026;lettre;;;\n",
        user=user,
        consent_text_version="v1",
    )
    assert [row.reason for row in preview.known] == ["Abonnement déjà en attente de confirmation."]
    pending.delete()  # purged between the preview and the confirmation
    Subscriber.objects.create(email="neuve@example.org", status="confirmed")  # subscribed since
    assert confirm_import(key, user=other) is None  # not theirs
    report = confirm_import(key, user=user)
    assert report.created == 0
    assert {r.reason for r in report.rejected} == {"Ligne absente de l’aperçu."}
    assert {r.email for r in report.known} == {"neuve@example.org"}
    assert not Subscriber.objects.filter(email="attente@example.org").exists()
    assert confirm_import(key, user=user) is None  # a double click imports once


def test_a_preview_left_unconfirmed_expires_after_a_day(staff, communes):
    preview = upload(staff, PARTNER_FILE)
    with freeze_time(timezone.now() + timedelta(hours=25)):
        late = confirm(staff, preview)
    assert late.status_code == 400
    assert "déjà été confirmé ou a expiré" in as_typed(late.content.decode())
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier soumis est vide."),  # Django's own words
        (b"   \n", "Le fichier est vide."),
        (b"email;prenom\na@example.org;A\n", "absente(s) de la première ligne : source_"),
        (b"\x81\x8d\x8f\x90;\x9d\n", "Encodage du fichier non reconnu"),
        (b"\x00\x01PK\x03\x04", "pas un fichier CSV"),
        (HEADER.encode() + b'a@example.org;"Fiche\n' + b"x" * 140_000, "CSV mal formé"),
        (b"x" * (10 * 1024 * 1024 + 1), "Fichier trop volumineux (10 Mo au plus)."),
    ],
)
def test_unreadable_files_are_refused_in_french_with_400(staff, content, message):
    response = upload(staff, content)
    assert response.status_code == 400
    assert message in as_typed(response.content.decode())
    assert not PendingImport.objects.exists()


def test_queries_do_not_grow_with_the_file(communes, django_assert_max_num_queries):
    def file(n: int) -> str:
        return HEADER + "".join(
            f"p{i}@example.org;Fiche papier;12/05/2026;lettre;;;Vicq\n" for i in range(n)
        )

    with django_assert_max_num_queries(3):  # communes, known addresses, suppressed hashes
        assert len(preview_import(file(400)).new) == 400
    # Inserts in batches (SQLite takes 999 parameters a statement: ~40 subscribers), never a
    # query per row.
    with django_assert_max_num_queries(30):
        assert import_subscribers(file(400)).created == 400


def test_the_import_record_goes_when_nobody_it_brought_in_is_left(communes, address_job):
    import_subscribers(PARTNER_FILE)
    record = SubscriberImport.objects.get()
    address_job()
    assert SubscriberImport.objects.filter(pk=record.pk).exists()
    Subscriber.objects.all().delete()
    with freeze_time(timezone.now() + timedelta(days=31)):
        address_job()
    assert not SubscriberImport.objects.exists()


def test_an_unconfirmed_upload_is_purged_by_the_nightly_job(
    communes, address_job, django_user_model
):
    from tests.privacy.traces import traces_of

    hold_import(
        PARTNER_FILE, user=django_user_model.objects.create_user("r"), consent_text_version="v"
    )
    assert traces_of("webi@example.org")["database"]
    with freeze_time(timezone.now() + timedelta(hours=23)):
        address_job()
        assert PendingImport.objects.exists()
    with freeze_time(timezone.now() + timedelta(hours=25)):
        address_job()
        assert not traces_of("webi@example.org")["database"]


@pytest.fixture
def address_job():
    """The newsletter entry's nightly purge, as the scheduler runs it."""
    from renouveau.retention import register

    [entry] = [e for e in register() if e.key == "newsletter"]
    return entry.run


def test_the_preview_shows_at_most_200_rows_and_says_how_many(staff):
    bad = HEADER + "".join(f"p{i}@example.org;;12/05/2026;lettre;;;\n" for i in range(250))
    html = as_typed(upload(staff, bad).content.decode())
    assert html.count("Source du consentement manquante.") == 200
    assert "Lignes non importées (200 premières sur 250)" in html
