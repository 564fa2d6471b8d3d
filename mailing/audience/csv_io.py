"""CSV import and export of subscribers (admin), as plain functions.

Import: one row per person who consented elsewhere (a partner's list, a paper form), saying where,
when and to what: `email`, `source_consentement`, `date_consentement` (JJ/MM/AAAA or AAAA-MM-JJ)
and `listes` (« lettre », « webinaires ») required; `prenom`, `profil`, `communes` (names or INSEE
codes) optional; lists separated by « ; ». A row lacking a required value is rejected with its
French reason. An imported person is a confirmed subscriber of their row's lists only, with one
ConsentRecord per list dated from the row, pointing to the SubscriberImport that brought them in.
Known (or suppressed) addresses are never changed: a re-import creates nothing, and no list is
added to someone this way (they choose their lists on their preferences page).

`preview_import` says what a file would do and writes nothing; `run_import` writes what a preview
found new. A file costs a constant number of queries, plus its insert batches. The admin's two
steps (the file held server-side until confirmed) are in audience/pending_imports.py.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cites_pages.models import Commune
from renouveau.csv_export import csv_lines  # the one CSV writer (re-exported for the exports)

from ..addresses import address_hash, normalize_email
from ..models import ConsentRecord, Subscriber, SubscriberImport, SuppressedAddress

IMPORT_COLUMNS = [
    "email",
    "source_consentement",
    "date_consentement",
    "listes",
    "prenom",
    "profil",
    "communes",
]
REQUIRED_COLUMNS = IMPORT_COLUMNS[:4]
LISTS = {"lettre": ConsentRecord.Topic.NEWSLETTER, "webinaires": ConsentRecord.Topic.WEBINARS}
MAX_FILE_BYTES = 10 * 1024 * 1024
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
_KNOWN_REASONS = {
    Subscriber.Status.CONFIRMED: "Déjà abonné.",
    Subscriber.Status.PENDING: "Abonnement déjà en attente de confirmation.",
}
_CHUNK = 500


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is French, for the editor."""


@dataclass
class RejectedRow:
    line: int
    email: str
    reason: str


@dataclass
class NewRow:
    line: int
    email: str
    first_name: str
    profile: str
    communes: list[Commune]
    topics: list[str]
    source: str
    at: datetime


@dataclass
class ImportReport:
    """What a file would do (preview) or did (after `run_import`: `created`, `record`)."""

    rows: int = 0
    new: list[NewRow] = field(default_factory=list)
    known: list[RejectedRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    created: int = 0
    record: SubscriberImport | None = None

    @property
    def skipped(self) -> int:
        return len(self.known) + len(self.rejected)

    def problems(self) -> list[RejectedRow]:
        """Every row not created, in file order (the preview's table)."""
        return sorted(self.known + self.rejected, key=lambda row: row.line)


def decode_csv(raw: bytes) -> str:
    """The uploaded bytes as text (UTF-8, or Excel's Windows-1252)."""
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError("Fichier trop volumineux (10\u00a0Mo au plus).")
    if not raw.strip():
        raise ImportFileError("Le fichier est vide.")
    if b"\x00" in raw:
        raise ImportFileError("Ce fichier n’est pas un fichier CSV (texte attendu).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("Encodage du fichier non reconnu (UTF-8 attendu).")


@lru_cache(maxsize=4096)  # a file has few distinct dates; strptime was a fifth of the preview
def _parse_date(value: str) -> datetime:
    """Noon of the day JJ/MM/AAAA or AAAA-MM-JJ, aware; ValueError for anything else."""
    day, month, year = value.split("/") if "/" in value else value.split("-")[::-1]
    if len(year) != 4:
        raise ValueError(value)
    return timezone.make_aware(datetime(int(year), int(month), int(day), 12))  # noqa: DTZ001


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each row; ImportFileError if the file is not a usable CSV."""
    # Spreadsheets in French write ";" (the comma is the decimal separator); tabs or commas also.
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if not header.strip():
        raise ImportFileError("Le fichier est vide ou sa première ligne (les colonnes) l’est.")
    delimiter = max(";,\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in reader.fieldnames]
        if missing:
            raise ImportFileError(
                "Colonne(s) obligatoire(s) absente(s) de la première ligne\u00a0: "
                + ", ".join(missing)
                + ". Colonnes attendues\u00a0: "
                + ";".join(IMPORT_COLUMNS)
                + "."
            )
        return [
            (reader.line_num, {str(k): (v or "").strip() if k else "x" for k, v in row.items()})
            for row in reader
        ]
    except csv.Error as exc:
        raise ImportFileError(
            f"Fichier CSV mal formé vers la ligne {reader.line_num} (guillemet non fermé ou "
            "champ trop long)."
        ) from exc


def _known_statuses(emails: list[str]) -> dict[str, str]:
    """Status of the addresses already subscribed, and « suppressed » for those reduced to their
    keyed hash: one query per 500 addresses of the file."""
    known: dict[str, str] = {}
    hash_of = {email: address_hash(email) for email in emails}
    email_of = {hashed: email for email, hashed in hash_of.items()}
    for i in range(0, len(emails), _CHUNK):
        chunk = emails[i : i + _CHUNK]
        known.update(Subscriber.objects.filter(email__in=chunk).values_list("email", "status"))
        suppressed = SuppressedAddress.objects.filter(
            address_hash__in=[hash_of[email] for email in chunk]
        ).values_list("address_hash", flat=True)
        for hashed in suppressed:
            known.setdefault(email_of[hashed], Subscriber.Status.UNSUBSCRIBED)
    return known


def _check_row(
    row: dict[str, str], communes_by_key: dict[str, Commune], today: date
) -> tuple[str, dict[str, Any]]:
    """(French reason, "") or ("", the subscriber's values) for one row of a new address."""
    if row.get("None"):  # DictReader's key for the values beyond the header's columns
        return (
            "Plus de colonnes que la première ligne\u00a0: une liste séparée par «\u00a0;\u00a0» "
            "s’écrit entre guillemets.",
            {},
        )
    source = row.get("source_consentement", "")
    if not source:
        return "Source du consentement manquante.", {}
    if not row.get("date_consentement"):
        return "Date de consentement manquante.", {}
    try:
        consent_at = _parse_date(row["date_consentement"])
    except ValueError:
        return "Date de consentement illisible (JJ/MM/AAAA).", {}
    if consent_at.date() > today:
        return "Date de consentement future.", {}
    names = [n.strip().lower() for n in row.get("listes", "").split(";") if n.strip()]
    if not names:
        return "Listes manquantes («\u00a0lettre\u00a0», «\u00a0webinaires\u00a0»).", {}
    unknown_lists = [n for n in names if n not in LISTS]
    if unknown_lists:
        return (
            f"Liste inconnue\u00a0: {', '.join(unknown_lists)} («\u00a0lettre\u00a0» ou "
            "«\u00a0webinaires\u00a0»).",
            {},
        )
    profile_raw = row.get("profil", "").lower()
    profile = _PROFILE_BY_LABEL.get(profile_raw, "")
    if profile_raw and not profile:
        return f"Profil inconnu\u00a0: {profile_raw}.", {}
    communes, unknown = [], []
    for key in filter(None, (c.strip() for c in row.get("communes", "").split(";"))):
        commune = communes_by_key.get(key.lower())
        (communes if commune else unknown).append(commune or key)
    if unknown:
        return "Commune(s) inconnue(s)\u00a0: " + ", ".join(unknown) + ".", {}
    topics = list(dict.fromkeys(LISTS[n] for n in names))
    return "", {
        "source": source[:300],
        "at": consent_at,
        "profile": profile,
        "communes": communes,
        "topics": topics,
    }


def preview_import(text: str) -> ImportReport:
    """What importing this CSV text would do, row by row; writes nothing. Constant queries:
    the communes, then two per 500 addresses."""
    rows = _rows(text)
    report = ImportReport(rows=len(rows))
    communes_by_key: dict[str, Commune] = {}
    for commune in Commune.objects.all():
        communes_by_key[commune.name.lower()] = commune
        communes_by_key[commune.insee_code.lower()] = commune
    candidates: list[tuple[int, str, dict[str, str]]] = []
    seen: set[str] = set()
    for line, row in rows:
        raw_email = row.get("email", "")
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
        candidates.append((line, email, row))
    known = _known_statuses([email for _, email, _ in candidates])
    today = timezone.localdate()
    for line, email, row in candidates:
        if email in known:
            reason = _KNOWN_REASONS.get(known[email])
            if reason:
                report.known.append(RejectedRow(line, email, reason))
            else:
                report.rejected.append(
                    RejectedRow(
                        line, email, "Adresse désabonnée ou en échec\u00a0: pas de réinscription."
                    )
                )
            continue
        reason, values = _check_row(row, communes_by_key, today)
        if reason:
            report.rejected.append(RejectedRow(line, email, reason))
            continue
        report.new.append(NewRow(line, email, row.get("prenom", "")[:100], **values))
    return report


def run_import(
    report: ImportReport,
    *,
    user: Any = None,
    file_name: str = "",
    description: str = "",
    consent_text_version: str = "import",
) -> ImportReport:
    """Create the report's new rows, their communes and one consent per list, recorded as one
    SubscriberImport. An address subscribed since the preview is skipped, never doubled."""
    with transaction.atomic():
        record = SubscriberImport.objects.create(
            created_by=user if getattr(user, "pk", None) else None,
            file_name=file_name[:255],
            description=description[:300],
            consent_text_version=consent_text_version[:40],
            rows=report.rows,
        )
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=row.email,
                    first_name=row.first_name,
                    profile=row.profile,
                    status=Subscriber.Status.CONFIRMED,
                    # Only the lists of the row: never the model's default (the letter).
                    newsletter=ConsentRecord.Topic.NEWSLETTER in row.topics,
                    webinar_announcements=ConsentRecord.Topic.WEBINARS in row.topics,
                    consent_at=row.at,
                    consent_source=f"Import\u00a0: {row.source}"[:300],
                    consent_text_version=consent_text_version[:40],
                    confirmed_at=row.at,
                    last_interaction_at=row.at,
                    subscriber_import=record,
                )
                for row in report.new
            ],
            batch_size=_CHUNK,
            ignore_conflicts=True,
        )
        # Ids read back (whatever the backend returns from bulk inserts): only those created.
        ids = dict(Subscriber.objects.filter(subscriber_import=record).values_list("email", "pk"))
        Subscriber.communes.through.objects.bulk_create(
            [
                Subscriber.communes.through(subscriber_id=ids[row.email], commune_id=c.pk)
                for row in report.new
                if row.email in ids
                for c in row.communes
            ],
            batch_size=1000,
        )
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    subscriber_id=ids[row.email],
                    topic=topic,
                    given=True,
                    at=row.at,
                    source=f"Import n°{record.pk}\u00a0: {row.source}"[:300],
                    wording_version=consent_text_version[:40],
                )
                for row in report.new
                if row.email in ids
                for topic in row.topics
            ],
            batch_size=1000,
        )
        for row in report.new:
            if row.email not in ids:
                report.known.append(RejectedRow(row.line, row.email, "Déjà abonné."))
        report.new = [row for row in report.new if row.email in ids]
        report.created = len(ids)
        report.record = record
        record.created_count = report.created
        record.known_count = len(report.known)
        record.rejected_count = len(report.rejected)
        record.save(update_fields=["created_count", "known_count", "rejected_count"])
    return report


def import_subscribers(text: str, **options: Any) -> ImportReport:
    """Preview and import at once (scripts, bench): see `run_import` for the options."""
    return run_import(preview_import(text), **options)


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
