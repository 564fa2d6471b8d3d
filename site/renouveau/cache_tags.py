"""What a cached page or fragment depends on, so that a change invalidates only what shows it.

While a page or a fragment is built, a collector records, with no help from the code that
builds it:
- every page, snippet, image or document it loads (Django's `post_init`): tag `o:<base>:<pk>`
  (`o:wagtailcore.page:12` whatever the page's type), so a publish reaches what shows the page;
- every listing query over a page, snippet or image table (SQL through the connection's
  execute wrapper; a look-up by primary key is not a listing): tag `t:<table>`, so a new item
  reaches the listings of its type;
- for a list of the pages referring to an object (a cité's mentions, fragments.BY_REFERENCE):
  tag `m:<base>:<pk>`, which a publish of a page referring to it changes (signals.py);
- the earliest future date-time among the pages it loads (`expire_at`, a webinar's start or
  end…): what it shows may change then with no edit at all, so it is kept no longer.

Each tag has a version token in the shared cache (`dep:<tag>`); an entry keeps the tokens it
was built with and is stale as soon as one differs (signals.py changes the tokens of what an
edit touches). Tag `global` (site settings, sites, view restrictions, moves) is in every entry.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, models
from django.db.models.signals import post_init
from modelcluster.models import get_all_child_relations
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

GLOBAL = "global"
PAGE_TABLE = Page._meta.db_table
_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')
_LOOKUP = ("=", "IN (")


def cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


# --- Which models are tracked ------------------------------------------------------------------

_base_labels: dict[type, str | None] = {}
_datetime_fields: dict[type, tuple[str, ...]] = {}
_tables: dict[str, tuple[str, ...]] | None = None  # listed table -> its look-up columns


def _tracked_roots() -> list[type[models.Model]]:
    """Page, the snippets, the image and document models: what the public sees."""
    roots: list[type[models.Model]] = [Page, get_image_model(), *get_snippet_models()]
    document_model = getattr(settings, "WAGTAILDOCS_DOCUMENT_MODEL", "")
    if document_model:
        roots.append(apps.get_model(document_model))
    return roots


def base_label(model: type[models.Model]) -> str | None:
    """`wagtailcore.page` for every page type, the concrete root of any other tracked model,
    None for the rest (users, revisions, renditions…)."""
    if model not in _base_labels:
        concrete = model._meta.concrete_model
        parents = concrete._meta.get_parent_list()
        root = parents[-1] if parents else concrete
        tracked = issubclass(concrete, Page) or root in _tracked_roots()
        _base_labels[model] = root._meta.label_lower if tracked else None
    return _base_labels[model]


def object_tag(model: type[models.Model], pk: Any) -> str | None:
    label = base_label(model)
    return f"o:{label}:{pk}" if label and pk is not None else None


def mention_tag(model: type[models.Model], pk: Any) -> str | None:
    """What lists the pages that refer to this object depends on (a cité's mentions)."""
    label = base_label(model)
    return f"m:{label}:{pk}" if label and pk is not None else None


def tables_of(model: type[models.Model]) -> set[str]:
    """The tables a listing of `model` reads: its own and its parents' (not Page's), its child
    objects' (ParentalKey) and its many-to-many tables."""
    concrete = model._meta.concrete_model
    found = {concrete._meta.db_table}
    found |= {parent._meta.db_table for parent in concrete._meta.get_parent_list()}
    found |= {rel.related_model._meta.db_table for rel in get_all_child_relations(concrete)}
    for field in concrete._meta.many_to_many:
        found.add(field.remote_field.through._meta.db_table)
    return found - {PAGE_TABLE}


def _listed_tables() -> dict[str, tuple[str, ...]]:
    """Each table a listing reads, with its look-up columns: a query filtering on one of them
    fetches given rows, it does not list. The primary key; and for child objects (ParentalKey)
    and many-to-many rows, the link to their owner: a cité's phases or communes are fetched
    for that cité, and change only with it (its own tag), not with every cité's publish."""
    global _tables
    if _tables is None:
        columns: dict[str, set[str]] = {PAGE_TABLE: {Page._meta.pk.column}}
        for model in apps.get_models():
            if issubclass(model, Page) or base_label(model):
                for table in tables_of(model):
                    owner = next((m for m in apps.get_models() if m._meta.db_table == table), model)
                    columns.setdefault(table, set()).add(owner._meta.pk.column)
                concrete = model._meta.concrete_model
                for relation in get_all_child_relations(concrete):
                    table = relation.related_model._meta.db_table
                    columns.setdefault(table, set()).add(relation.field.column)
                for field in concrete._meta.many_to_many:
                    table = field.remote_field.through._meta.db_table
                    columns.setdefault(table, set()).add(field.m2m_column_name())
        _tables = {table: tuple(sorted(found)) for table, found in columns.items()}
    return _tables


def _future_datetimes(model: type, instance: models.Model) -> Iterator[datetime]:
    if model not in _datetime_fields:
        _datetime_fields[model] = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
        )
    for name in _datetime_fields[model]:
        value = instance.__dict__.get(name)  # never a deferred field's query
        if isinstance(value, datetime):
            yield value


# --- Collecting --------------------------------------------------------------------------------


class Collector:
    """The tags and the latest useful moment (epoch) of what is being built."""

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.until: float | None = None

    def cap(self, moment: float | None) -> None:
        if moment is not None and (self.until is None or moment < self.until):
            self.until = moment

    def merge(self, tags: Iterable[str], until: float | None) -> None:
        self.tags.update(tags)
        self.cap(until)


_stack: ContextVar[tuple[Collector, ...]] = ContextVar("cache_tag_collectors", default=())


@contextmanager
def collecting() -> Iterator[Collector]:
    """Record what is loaded and listed inside the block; on leaving, the tags also go to the
    enclosing collector (a fragment built inside a page: the page depends on it too)."""
    outer = _stack.get()
    collector = Collector()
    token = _stack.set((*outer, collector))
    try:
        with ExitStack() as stack:
            if not outer:
                stack.enter_context(connection.execute_wrapper(_record_sql))
            yield collector
    finally:
        _stack.reset(token)
        if outer:
            outer[-1].merge(collector.tags, collector.until)


def current() -> Collector | None:
    stack = _stack.get()
    return stack[-1] if stack else None


def changes_at(moment: datetime) -> None:
    """What is being built changes at `moment` with time alone (a date it compares with today
    passes): its cached copies, and the pages that include it, end then."""
    collector = current()
    if collector is not None:
        collector.cap(moment.timestamp())


def _record_loaded(sender, instance, **_kwargs) -> None:
    stack = _stack.get()
    if not stack:
        return
    tag = object_tag(sender, instance.pk)
    if tag is None:
        return
    collector = stack[-1]
    collector.tags.add(tag)
    if base_label(sender) == "wagtailcore.page":
        now = time.time()
        for moment in _future_datetimes(sender, instance):
            if moment.timestamp() > now:
                collector.cap(moment.timestamp())


def _fetches_given_rows(sql: str, tables: set[str], listed: dict[str, tuple[str, ...]]) -> bool:
    """Whether a SELECT fetches given rows (and what joins reach from them) rather than lists:
    its WHERE begins with a look-up column compared with values (`= %s`, `IN (%s, …)`), with no
    OR and no subquery that could widen it. A look-up column elsewhere (`NOT ("id" = %s)`, a
    join's ON) does not make a listing a fetch."""
    where = sql.partition(" WHERE ")[2].lstrip("(")
    if not where or " OR " in where or "SELECT" in where:
        return False
    return any(
        where.startswith(f'"{table}"."{column}" {op}')
        for table in tables
        for column in listed[table]
        for op in _LOOKUP
    )


def _record_sql(execute, sql, params, many, context):
    collector = current()
    if collector is not None and sql.lstrip()[:6].upper() == "SELECT":
        listed = _listed_tables()
        tables = set(_QUOTED.findall(sql)) & listed.keys()
        if tables and not _fetches_given_rows(sql, tables, listed):
            collector.tags.update(f"t:{table}" for table in tables)
    return execute(sql, params, many, context)


def connect() -> None:
    post_init.connect(_record_loaded, dispatch_uid="cache-tags-loaded")


# --- Versions ----------------------------------------------------------------------------------


def versions(tags: Iterable[str]) -> dict[str, Any]:
    """The current token of each tag (None for a tag never changed, or evicted: a changed
    token then differs from the entry's in both cases)."""
    tags = sorted({*tags, GLOBAL})
    found = cache().get_many([f"dep:{tag}" for tag in tags])
    return {tag: found.get(f"dep:{tag}") for tag in tags}


def still_valid(built_with: dict[str, Any]) -> bool:
    return versions(built_with) == built_with


def bump(tags: Iterable[str]) -> None:
    """Make every entry built with one of these tags stale."""
    token = uuid.uuid4().hex
    cache().set_many({f"dep:{tag}": token for tag in set(tags)}, timeout=None)
