"""French plurals and the order of cités' names."""

import pytest
from django.template import Context, Template

from renouveau.french import plural_suffix, sort_key


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 cité"), (1, "1 cité"), (2, "2 cités"), (24, "24 cités")]
)
def test_zero_and_one_are_singular(count, expected):
    template = Template("{% load typo %}{{ n }} cité{{ n|pluralize_fr }}")
    assert template.render(Context({"n": count})) == expected


def test_plural_with_two_forms():
    template = Template(
        '{% load typo %}{{ n }} cité{{ n|pluralize_fr }} correspond{{ n|pluralize_fr:"ent" }}'
    )
    assert template.render(Context({"n": 0})) == "0 cité correspond"
    assert template.render(Context({"n": 3})) == "3 cités correspondent"
    assert plural_suffix(1, "al,aux") == "al"
    assert plural_suffix(2, "al,aux") == "aux"


def test_cites_sort_by_their_name_not_their_prefix_nor_accents():
    titles = [
        "Cité Taffin",
        "Cité de la Parisienne",
        "Cité du 10",
        "Cité 5/12",
        "Cité Éco-quartier",
        "Cité d’Arenberg",
        "Cité des Brebis",
        "cité Nouméa",
    ]
    assert sorted(titles, key=sort_key) == [
        "Cité 5/12",
        "Cité du 10",
        "Cité d’Arenberg",
        "Cité des Brebis",
        "Cité Éco-quartier",
        "cité Nouméa",
        "Cité de la Parisienne",
        "Cité Taffin",
    ]
