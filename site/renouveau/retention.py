"""The retention register: for each processing of personal data named on the « Données
personnelles » page, its purpose, the data, how long they are kept, and the function that
deletes them once that period is over.

Each app lists its entries in an optional `retention.py` module exposing `RETENTION` (a list of
`RetentionEntry`), discovered as `schedule.py` JOBS are, without this ground-floor package
importing the apps above it. The privacy page renders its retention lines from here, and each
app's `schedule.py` runs one daily job per entry (`retention_jobs`): what the page promises and
what the site does come from one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from wagtail.contrib.forms.models import FormSubmission

from .scheduler import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionEntry:
    """One processing: `processing` is its name on the privacy page, `period` the retention
    line shown there, `purge` deletes what has outlived it (returns counts, for the logs)."""

    key: str
    processing: str
    purpose: str
    data: str
    period: str
    purge: Callable[[], object]
    daily_at: str = "03:30"
    job_name: str = ""  # the scheduler's name of the job (default "retention-<key>")

    def run(self) -> dict[str, object]:
        """The purge, then the finished task results (whose arguments may have carried what
        was just purged)."""
        return {"purged": self.purge(), "task_results": prune_task_results()}

    def job(self) -> Job:
        return Job(self.job_name or f"retention-{self.key}", self.run, daily_at=self.daily_at)


def retention_jobs(entries: list[RetentionEntry]) -> list[Job]:
    """The scheduled jobs of an app's register entries (one each), for its `schedule.py`."""
    return [entry.job() for entry in entries]


def register() -> list[RetentionEntry]:
    entries: list[RetentionEntry] = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "retention"):
            module = __import__(f"{app_config.name}.retention", fromlist=["RETENTION"])
            entries.extend(getattr(module, "RETENTION", []))
    return entries


def entry_for(processing_name: str) -> RetentionEntry | None:
    """The register entry of a processing named on the privacy page (case-insensitive)."""
    wanted = processing_name.strip().casefold()
    return next((e for e in register() if e.processing.casefold() == wanted), None)


# --- The site's own processings ---


CONTACT_RETENTION = timedelta(days=365)
SECURITY_LOG_RETENTION = timedelta(days=30)
TASK_RESULTS_RETENTION_DAYS = 1


def purge_form_submissions() -> int:
    """Answers to the forms built in the admin (contact…) are deleted one year after sending."""
    deleted, _ = FormSubmission.objects.filter(
        submit_time__lt=timezone.now() - CONTACT_RETENTION
    ).delete()
    return deleted


def purge_security_records() -> dict[str, int]:
    """django-axes keeps the IP and user agent of each admin login attempt: attempts and logs
    older than SECURITY_LOG_RETENTION go (axes' own models; a live lock-out lasts hours)."""
    limit = timezone.now() - SECURITY_LOG_RETENTION
    return {
        "attempts": AccessAttempt.objects.filter(attempt_time__lt=limit).delete()[0],
        "failures": AccessFailureLog.objects.filter(attempt_time__lt=limit).delete()[0],
        "logs": AccessLog.objects.filter(attempt_time__lt=limit).delete()[0],
    }


def prune_task_results() -> str:
    """Finished background-task results (their arguments and return values) are deleted after
    a day, with django-tasks-db's own command; other backends keep none in the database."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return "no database results"
    out = StringIO()
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=TASK_RESULTS_RETENTION_DAYS,
        stdout=out,
    )
    return out.getvalue().strip()


RETENTION = [
    RetentionEntry(
        key="contact",
        processing="Formulaire de contact",
        purpose="Répondre aux messages envoyés par le formulaire de contact.",
        data="Nom, adresse électronique, organisme (facultatif), message.",
        period="Un an après l'envoi du message, puis effacé.",
        purge=purge_form_submissions,
        daily_at="03:40",
    ),
    RetentionEntry(
        key="security",
        processing="Sécurité du site",
        purpose="Protéger le site et ses formulaires contre les abus.",
        data="Adresse IP, date, page demandée ; traces des tâches en arrière-plan.",
        period="Quelques heures pour les compteurs d'envois ; tentatives de connexion à "
        "l'administration : 30 jours ; traces des tâches en arrière-plan : un jour ; journaux "
        "du serveur : 6 mois au plus, sans adresse électronique.",
        purge=purge_security_records,
        daily_at="03:45",
    ),
]
