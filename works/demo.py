"""Demo works trackers for three of the demo cités, all flagged « données de démonstration ».

From the seeds (webinar of 22 June 2026, « Accompagnement Citéo, cité Nouméa à Rouvroy »):
Nouméa's 765 dwellings in tranches 1 and 2 (331), 3 (183) and 4 (251), SIA Habitat, the Maison
du Projet opened in 2021, Citéo's mediation since 2022; the cité 5/12's energy and structural
rehabilitation by Maisons & Cités, then the « Cafés-Conversations » of 2022–2023 and the
jardin citoyen (2024). From the newsletter of July 2019: the target label, C or BBC rénovation.
Illustrative (not in the seeds): every date below the year, the DPE labels before works, the
monthly deliveries (16 a month, the pace the issue reports at Liévin's cité Saint-Albert), the
5/12's and Mont de la Veine's dwelling counts, and the wording of the works notes."""

from datetime import date

from django.utils import timezone

from cites_pages.models import CityPage, Landlord

from .models import MonthlyDelivery, Operation, Phase, WorksNote

K = Phase.Kind


def _months(start: date, count: int, dwellings: int) -> list[MonthlyDelivery]:
    deliveries = []
    year, month = start.year, start.month
    for _ in range(count):
        deliveries.append(MonthlyDelivery(month=date(year, month, 1), dwellings=dwellings))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return deliveries


def _phase(kind, label="", dwellings=None, planned=(None, None), actual=(None, None), dpe=""):
    before, after = dpe.split(">") if dpe else ("", "")
    return Phase(
        kind=kind,
        label=label,
        dwellings=dwellings,
        planned_start=planned[0],
        planned_end=planned[1],
        actual_start=actual[0],
        actual_end=actual[1],
        label_before=before,
        label_after=after,
    )


def _operations() -> dict[str, dict]:
    return {
        "cite-noumea": {
            "landlord": "SIA Habitat",
            "dwellings_planned": 765,
            "phases": [
                _phase(K.CONSULTATION, "Maison du Projet", None, (date(2021, 1, 1), None),
                       (date(2021, 3, 1), None)),
                _phase(K.WORKS, "Tranches 1 et 2", 331, (date(2021, 6, 1), date(2023, 6, 30)),
                       (date(2021, 9, 1), date(2023, 9, 30)), "E>C"),
                _phase(K.WORKS, "Tranche 3", 183, (date(2024, 1, 1), date(2027, 3, 31)),
                       (date(2024, 3, 1), None), "F>C"),
                _phase(K.WORKS, "Tranche 4", 251, (date(2027, 4, 1), date(2029, 6, 30))),
                _phase(K.PUBLIC_SPACES, "", None, (date(2029, 9, 1), date(2030, 6, 30))),
            ],
            "deliveries": [
                *_months(date(2022, 3, 1), 18, 16),  # 288
                MonthlyDelivery(month=date(2023, 9, 1), dwellings=43),  # tranches 1-2: 331
                *_months(date(2025, 1, 1), 6, 16),  # tranche 3 under way
            ],
            "notes": [
                (date(2026, 11, 17), "Tranche 3 : reprise des toitures rue de Nancy",
                 "Les couvreurs interviennent sur les toitures de la tranche 3 jusqu'à la fin "
                 "du mois. La médiatrice de Citéo tient une permanence à la Maison du Projet "
                 "pour répondre aux questions des locataires."),
            ],
        },
        "cite-5-12": {
            "landlord": "Maisons & Cités",
            "dwellings_planned": 240,
            "phases": [
                _phase(K.WORKS, "Réhabilitation énergétique et structurelle", 240,
                       (date(2019, 1, 1), date(2021, 12, 31)),
                       (date(2019, 4, 1), date(2022, 2, 28)), "F>C"),
                _phase(K.CONSULTATION, "Cafés-Conversations", None,
                       (date(2022, 1, 1), date(2023, 12, 31)),
                       (date(2022, 3, 1), date(2023, 11, 30))),
                _phase(K.PUBLIC_SPACES, "Jardin citoyen", None,
                       (date(2024, 1, 1), date(2025, 6, 30)),
                       (date(2024, 4, 1), date(2025, 9, 30))),
            ],
            "deliveries": _months(date(2020, 5, 1), 15, 16),  # 240
            "notes": [
                (date(2025, 9, 30), "Le jardin citoyen est ouvert",
                 "Le parc paysager de 5 510 m² au cœur de la cité est ouvert à tous."),
            ],
        },
        "cite-du-mont-de-la-veine": {
            "landlord": "",
            "dwellings_planned": 120,
            "phases": [
                _phase(K.DIAGNOSTIC, "", None, (date(2023, 1, 1), date(2023, 6, 30)),
                       (date(2023, 2, 1), date(2023, 7, 31))),
                _phase(K.WORKS, "Tranche 1", 72, (date(2025, 1, 1), date(2026, 12, 31)),
                       (date(2025, 2, 1), None), "E>C"),
                _phase(K.WORKS, "Tranche 2", 48, (date(2027, 1, 1), date(2027, 12, 31))),
            ],
            "deliveries": _months(date(2026, 6, 1), 3, 16),
            "notes": [],
        },
    }  # fmt: skip


def load(home) -> None:
    now = timezone.now()
    for slug, data in _operations().items():
        city = CityPage.objects.filter(slug=slug).first()
        if city is None or Operation.objects.filter(city=city).exists():
            continue
        landlord = Landlord.objects.filter(name=data["landlord"]).first()
        operation = Operation(
            city=city, landlord=landlord, dwellings_planned=data["dwellings_planned"], is_demo=True
        )
        operation.phases = data["phases"]
        operation.deliveries = data["deliveries"]
        # Announced already: loading the demo alerts nobody.
        operation.notes = [
            WorksNote(date=day, title=title, text=text, announced_at=now)
            for day, title, text in data["notes"]
        ]
        operation.save()
