"""CSV import and export of subscribers (admin), as plain functions.

Import: one row per address, columns `email` (required), `prenom`, `profil`, `communes` (names
or INSEE codes separated by `;`), `date_consentement` (optional, JJ/MM/AAAA or AAAA-MM-JJ).
Imported addresses are confirmed subscribers whose consent was collected elsewhere: the staff
member names that source (e.g. "Fiche papier, réunion publique de Rouvroy, 12/05/2026"), which is
recorded as each row's consent proof. Duplicates (in the file or already known) are skipped;
unsubscribed or suppressed addresses are never brought back by an import.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cites_pages.models import Commune
from renouveau.csv_export import csv_lines  # the one CSV writer (re-exported for the exports)

from ..addresses import normalize_email
from ..models import Subscriber
from .subscriptions import is_suppressed

IMPORT_COLUMNS = ["email", "prenom", "profil", "communes", "date_consentement"]
EXPORT_COLUMNS = [
    "email",
    "prenom",
    "profil",
    "communes",
    "statut",
    "date_consentement",
    "source_consentement",
    "version_texte_consentement",
    "date_confirmation",
]
_PROFILE_BY_LABEL = {
    **{value: value for value in Subscriber.Profile.values},
    **{label.lower(): value for value, label in Subscriber.Profile.choices},
    "élu": "elu",
    "elue": "elu",
    "élue": "elu",
}


@dataclass
class RejectedRow:
    line: int
    email: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.rejected)


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, made aware below)
        except ValueError:
            continue
        return timezone.make_aware(datetime.combine(day, time(12)))
    raise ValueError(value)


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    # Spreadsheets in French write ";" (the comma is the decimal separator); tabs or commas also.
    header = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def import_subscribers(
    text: str, *, source: str, consent_text_version: str = "import"
) -> ImportReport:
    """Create confirmed subscribers from CSV text; report every rejected row with its reason."""
    report = ImportReport()
    if not source.strip():
        raise ValueError("La source du consentement est obligatoire.")
    communes_by_key = {}
    for commune in Commune.objects.all():
        communes_by_key[commune.name.lower()] = commune
        communes_by_key[commune.insee_code] = commune
    known = {
        email.lower(): status for email, status in Subscriber.objects.values_list("email", "status")
    }
    seen: set[str] = set()
    today = date.today()
    to_create: list[tuple[Subscriber, list]] = []
    for line, row in _rows(text):
        raw_email = row.get("email") or row.get("e-mail") or row.get("courriel") or ""
        email = normalize_email(raw_email)
        if not email:
            report.rejected.append(RejectedRow(line, raw_email, "Adresse manquante."))
            continue
        try:
            validate_email(email)
        except ValidationError:
            report.rejected.append(RejectedRow(line, raw_email, "Adresse non valide."))
            continue
        if email in seen:
            report.rejected.append(RejectedRow(line, email, "Doublon dans le fichier."))
            continue
        seen.add(email)
        if email not in known and is_suppressed(email):
            # Unsubscribed long ago: only the keyed hash is left, enough to refuse it.
            known[email] = Subscriber.Status.UNSUBSCRIBED
        if email in known:
            status = known[email]
            reason = {
                Subscriber.Status.CONFIRMED: "Déjà abonné.",
                Subscriber.Status.PENDING: "Abonnement déjà en attente de confirmation.",
            }.get(status, "Adresse désabonnée ou en échec : elle n'est pas réinscrite.")
            report.rejected.append(RejectedRow(line, email, reason))
            continue
        profile_raw = (row.get("profil") or "").lower()
        profile = _PROFILE_BY_LABEL.get(profile_raw, "")
        if profile_raw and not profile:
            report.rejected.append(RejectedRow(line, email, f"Profil inconnu : {profile_raw}."))
            continue
        communes, unknown = [], []
        for key in filter(None, (c.strip() for c in (row.get("communes") or "").split(";"))):
            commune = communes_by_key.get(key.lower()) or communes_by_key.get(key)
            (communes if commune else unknown).append(commune or key)
        if unknown:
            report.rejected.append(
                RejectedRow(line, email, "Commune(s) inconnue(s) : " + ", ".join(unknown) + ".")
            )
            continue
        try:
            consent_at = _parse_date(row.get("date_consentement") or "")
        except ValueError:
            report.rejected.append(
                RejectedRow(line, email, "Date de consentement illisible (JJ/MM/AAAA).")
            )
            continue
        if consent_at and consent_at.date() > today:
            report.rejected.append(RejectedRow(line, email, "Date de consentement future."))
            continue
        now = timezone.now()
        subscriber = Subscriber(
            email=email,
            first_name=(row.get("prenom") or "")[:100],
            profile=profile,
            status=Subscriber.Status.CONFIRMED,
            consent_at=consent_at or now,
            consent_source=f"Import : {source.strip()}"[:300],
            consent_text_version=consent_text_version[:40],
            confirmed_at=consent_at or now,
            last_interaction_at=consent_at or now,
        )
        to_create.append((subscriber, communes))
    with transaction.atomic():
        created = Subscriber.objects.bulk_create([s for s, _ in to_create], batch_size=500)
        links = [
            Subscriber.communes.through(subscriber_id=s.pk, commune_id=c.pk)
            for s, (_, communes) in zip(created, to_create, strict=True)
            for c in communes
        ]
        if links and created and created[0].pk is not None:
            Subscriber.communes.through.objects.bulk_create(links, batch_size=1000)
        elif links:  # backends that do not return ids from bulk inserts
            by_email = dict(
                Subscriber.objects.filter(email__in=[s.email for s in created]).values_list(
                    "email", "pk"
                )
            )
            Subscriber.communes.through.objects.bulk_create(
                [
                    Subscriber.communes.through(subscriber_id=by_email[s.email], commune_id=c.pk)
                    for s, communes in to_create
                    for c in communes
                ]
            )
    report.created = len(created)
    return report


def export_rows(queryset: Iterable[Subscriber]) -> Iterator[list[str]]:
    yield EXPORT_COLUMNS

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for s in queryset:
        yield [
            s.email,
            s.first_name,
            s.get_profile_display() if s.profile else "",
            "; ".join(c.name for c in s.communes.all()),
            s.get_status_display(),
            when(s.consent_at),
            s.consent_source,
            s.consent_text_version,
            when(s.confirmed_at),
        ]


def export_csv_lines(queryset) -> Iterator[str]:
    """The subscribers, communes prefetched: 2 queries."""
    return csv_lines(export_rows(queryset.prefetch_related("communes").iterator(chunk_size=2000)))
