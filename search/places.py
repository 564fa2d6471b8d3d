"""Filters of the search by place (commune, EPCI), found by introspection.

`search/` sits on top of every app: it imports the reference snippets `Commune` and `EPCI`
directly, and every page model that points at them (directly, or through another page such as
a case study's cité) can be filtered.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from wagtail.models import Page

from cites_pages.models import EPCI, Commune
from renouveau import fragments

PLACE_MODELS: dict[str, type[models.Model]] = {"commune": Commune, "epci": EPCI}


@dataclass(frozen=True)
class PlaceChoice:
    slug: str
    label: str


def place_model(kind: str) -> type[models.Model] | None:
    return PLACE_MODELS.get(kind)


def place_choices(kind: str, request=None) -> list[PlaceChoice]:
    """Every commune (or intercommunalité) by name, kept until one of them changes."""
    model = place_model(kind)
    if model is None:
        return []
    return fragments.cached(
        "search-places",
        lambda: [
            PlaceChoice(slug, name)
            for slug, name in model._default_manager.order_by("name").values_list("slug", "name")
        ],
        request,
        kind,
    )


# What a slug can be: anything else (a NUL byte, which PostgreSQL refuses in a query's text,
# markup, spaces) is an unknown place without asking the database.
_SLUG = re.compile(r"[-\w]{1,150}")


def find_place(kind: str, slug: str) -> models.Model | None:
    model = place_model(kind)
    if model is None or not _SLUG.fullmatch(slug or ""):
        return None
    return model._default_manager.filter(slug=slug).first()


def _forward_relations(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and (field.many_to_one or field.many_to_many)
        and field.related_model is not None
    ]


def _direct_lookups(model: type[models.Model], target: type[models.Model]) -> list[str]:
    """Lookups from `model` to `target` in one step; for an EPCI also through a commune."""
    commune = place_model("commune")
    lookups = []
    for field in _forward_relations(model):
        if field.related_model is target:
            lookups.append(field.name)
        elif commune is not None and target is not commune and field.related_model is commune:
            # A page about a commune is also about its intercommunality.
            lookups.extend(f"{field.name}__{name}" for name, f in _epci_fields(commune))
    return lookups


def _epci_fields(commune: type[models.Model]) -> list[tuple[str, models.Field]]:
    epci = place_model("epci")
    return [(f.name, f) for f in _forward_relations(commune) if f.related_model is epci]


def place_lookups(model: type[Page], target: type[models.Model]) -> list[str]:
    """Every lookup from page model `model` to `target`, directly or through a related page."""
    lookups = _direct_lookups(model, target)
    for field in _forward_relations(model):
        related = field.related_model
        if issubclass(related, Page) and related is not Page and related is not model:
            lookups.extend(f"{field.name}__{sub}" for sub in _direct_lookups(related, target))
    return lookups


def page_ids_for_place(place: models.Model) -> set[int]:
    """Ids of the pages related to `place` (a Commune or an EPCI): one query per page model
    that can point at it, whatever the number of pages."""
    target = type(place)
    ids: set[int] = set()
    for model in apps.get_models():
        if not issubclass(model, Page) or model is Page or model._meta.proxy:
            continue
        lookups = place_lookups(model, target)
        if not lookups:
            continue
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: place})
        ids.update(model._default_manager.filter(condition).values_list("pk", flat=True))
    return ids
