"""Issue 23 item 6: the accessibility statement holds the 106 RGAA 4.1 criteria, « non audité »
until audited; « totalement conforme » only when every criterion is audited; a partial audit is
said so in the admin and on the page."""

import importlib
from html import unescape

import pytest
from django.apps import apps

from renouveau.accessibility import (
    AccessibilityCriterion,
    AccessibilityStatementPage,
    rgaa_criteria,
)
from tests.pages import accessibility_statement
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

# A partial audit: 6 criteria audited (3 conforming, 2 not, 1 not applicable), 100 not audited.
AUDITED = [("1.1", "C"), ("1.2", "C"), ("3.2", "C"), ("4.1", "NC"), ("4.3", "NC"), ("5.1", "NA")]
THEMES = {1: 9, 2: 2, 3: 3, 4: 13, 5: 8, 6: 2, 7: 5, 8: 10, 9: 4, 10: 14, 11: 13, 12: 11, 13: 12}
Result = AccessibilityCriterion.Result


def test_the_referential_has_its_106_criteria_in_13_themes():
    numbers = [c.number for c in rgaa_criteria()]
    assert numbers == [f"{t}.{n}" for t, count in THEMES.items() for n in range(1, count + 1)]
    first = rgaa_criteria()[0]
    assert (first.theme, first.title) == (
        "Images",
        "Chaque image porteuse d’information a-t-elle une alternative textuelle\u00a0?",
    )
    assert rgaa_criteria()[-1].theme == "Consultation"


@pytest.fixture
def statement(home_page) -> AccessibilityStatementPage:
    return accessibility_statement(home_page, AUDITED)


def test_a_statement_is_preloaded_with_the_106_criteria_not_audited(statement, client):
    grid = list(statement.criteria.order_by("sort_order"))
    assert [c.number for c in grid] == [c.number for c in rgaa_criteria()]
    # The 6 audited criteria kept their results; the others wait for the audit.
    assert sum(c.result == Result.NOT_AUDITED for c in grid) == 100
    by_number = {c.number: c for c in grid}
    assert by_number["4.1"].result == Result.NON_CONFORMING
    assert by_number["4.3"].title.startswith("Chaque média temporel synchronisé pré-enregistré")
    summary = statement.audit_summary()
    assert (summary.complete, summary.not_audited, summary.total) == (False, 100, 106)

    html = unescape(client.get("/accessibilite/").content.decode())
    assert 'id="audit-partial"' in html and "100 des 106 critères du RGAA" in html
    assert "Critères non audités : 100" in as_typed(html)


def test_no_non_conformity_in_a_partial_audit_is_not_totally_conforming(statement, client):
    criteria = list(statement.criteria.all())
    for criterion in criteria:
        if criterion.result == Result.NON_CONFORMING:
            criterion.result = Result.CONFORMING
    statement.criteria = criteria
    statement.save_revision().publish()
    statement.refresh_from_db()
    assert statement.audit_summary().rate == 100
    html = unescape(client.get("/accessibilite/").content.decode())
    assert "est partiellement conforme</strong>" in html
    assert "totalement conforme" not in html
    assert "Accessibilité : partiellement conforme" in as_typed(client.get("/").content.decode())

    # An audited criterion deleted from the grid counts as not audited, and comes back (not
    # audited) on the next save.
    statement.criteria = [c for c in criteria if c.number != "1.1"]
    assert statement.audit_summary().not_audited == 101
    statement.save_revision().publish()
    statement.refresh_from_db()
    saved = AccessibilityCriterion.objects.filter(page=statement, number="1.1")
    assert [c.result for c in saved] == [Result.NOT_AUDITED]


def test_the_admin_warns_while_the_audit_is_partial(statement, admin_client):
    url = f"/admin/pages/{statement.pk}/edit/"
    html = unescape(admin_client.get(url).content.decode())
    panel = html.split('id="accessibility-audit-status"')[1].split("</div>")[0]
    assert "État calculé : partiellement conforme" in panel
    assert "Audit partiel : 100 critères sur 106 non audités" in panel
    assert html.count('name="criteria-') > 106  # the whole grid is in the form

    criteria = list(statement.criteria.all())
    for criterion in criteria:
        if criterion.result in (Result.NON_CONFORMING, Result.NOT_AUDITED):
            criterion.result = Result.CONFORMING
    statement.criteria = criteria
    statement.save_revision().publish()
    html = unescape(admin_client.get(url).content.decode())
    panel = html.split('id="accessibility-audit-status"')[1].split("</div>")[0]
    assert "État calculé : totalement conforme" in panel and "Audit partiel" not in panel


def test_the_data_migration_completes_an_existing_grid(statement):
    AccessibilityCriterion.objects.filter(page=statement).delete()
    AccessibilityCriterion.objects.bulk_create(
        [
            AccessibilityCriterion(page=statement, number="3.2", title="Contraste", result="C"),
            AccessibilityCriterion(page=statement, number="1.1", title="", result="NC"),
        ]
    )
    migration = importlib.import_module("renouveau.migrations.0005_rgaa_criteria_preloaded")
    migration.forwards(apps, None)
    grid = list(AccessibilityCriterion.objects.filter(page=statement).order_by("sort_order"))
    assert [c.number for c in grid] == [c.number for c in rgaa_criteria()]
    assert [(c.number, c.result) for c in grid if c.result != "NT"] == [("1.1", "NC"), ("3.2", "C")]
    assert grid[0].title.startswith("Chaque image porteuse")
