"""The accessibility statement's grid holds the 106 RGAA 4.1 criteria (issue 23 item 6): a new
result « non audité » (the default), titles up to 400 characters (the longest is 308), and
every existing statement gets the criteria missing from its grid as « non audité », with the
official titles, in the referential's order."""

import json
from pathlib import Path

from django.db import migrations, models

CRITERIA_FILE = Path(__file__).resolve().parent.parent / "data" / "rgaa_4_1_criteria.json"


def criteria() -> list[tuple[str, str]]:
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    return [(c["number"], c["title"]) for theme in data["themes"] for c in theme["criteria"]]


def order(number: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return (999,)


def forwards(apps, schema_editor):
    Statement = apps.get_model("renouveau", "AccessibilityStatementPage")
    Criterion = apps.get_model("renouveau", "AccessibilityCriterion")
    titles = dict(criteria())
    for statement in Statement.objects.all():
        existing = list(Criterion.objects.filter(page=statement))
        present = {criterion.number for criterion in existing}
        new = [
            Criterion(page=statement, number=number, title=title, result="NT")
            for number, title in titles.items()
            if number not in present
        ]
        grid = sorted(existing + new, key=lambda criterion: order(criterion.number))
        for position, criterion in enumerate(grid):
            criterion.sort_order = position
            criterion.title = titles.get(criterion.number, criterion.title)
        Criterion.objects.bulk_update(existing, ["sort_order", "title"])
        Criterion.objects.bulk_create(new)


class Migration(migrations.Migration):
    dependencies = [("renouveau", "0004_scheduler_runs_and_heartbeats")]

    operations = [
        migrations.AlterField(
            model_name="accessibilitycriterion",
            name="result",
            field=models.CharField(
                choices=[
                    ("C", "conforme"),
                    ("NC", "non conforme"),
                    ("NA", "non applicable"),
                    ("NT", "non audité"),
                ],
                default="NT",
                max_length=2,
                verbose_name="résultat",
            ),
        ),
        migrations.AlterField(
            model_name="accessibilitycriterion",
            name="title",
            field=models.CharField(blank=True, max_length=400, verbose_name="intitulé"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
