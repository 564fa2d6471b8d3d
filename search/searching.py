"""The site search as plain functions: the view only turns a request into a call to
`run_search()` and the outcome into HTML.

Everything searched is a live, public Wagtail page (all page types inherit
`renouveau.models.BasePage`), through the search backend configured in settings
(`search.backend`, see its docstring and `search/README.md`).
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from modelsearch.conf import get_app_config
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, get_page_models
from wagtail.search.query import And, Or, PlainText, SearchQuery
from wagtail.search.utils import normalise_query_string

from renouveau import fragments
from renouveau.models import HomePage
from renouveau.visibility import private_q, unexpired_q

from . import backend, pg, places, vocabulary
from .text import CleanQuery, clean_query, excerpt, highlight, variants

PER_PAGE = 10
MAX_SUGGESTIONS = 8
# Content fields a page's date may come from, best first; a model may also define
# `get_search_date()`. Wagtail's own timestamps (first_published_at…) are not content dates.
DATE_FIELD_NAMES = ("date", "issue_date", "start", "start_date")


@dataclass(frozen=True)
class TypeChoice:
    value: str  # "app_label.model"
    label: str


@dataclass
class Result:
    page: Page
    url: str
    type_label: str
    date: datetime.date | None
    title_html: SafeString
    excerpt_html: SafeString


@dataclass
class Promotion:
    title: str
    url: str
    description: str


@dataclass
class SearchOutcome:
    query: CleanQuery
    messages: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    page_obj: PaginatorPage | None = None
    total: int = 0
    more: bool = False  # more than `total` pages match: the total is a floor
    promotions: list[Promotion] = field(default_factory=list)
    type_choices: list[TypeChoice] = field(default_factory=list)
    selected_type: str = ""
    commune_choices: list[places.PlaceChoice] = field(default_factory=list)
    selected_commune: str = ""
    epci_choices: list[places.PlaceChoice] = field(default_factory=list)
    selected_epci: str = ""
    # « Vouliez-vous dire … ? »: the query with its misspelt words corrected, and whether the
    # results shown are those of the correction (the query itself found nothing).
    suggestion: str = ""
    showing_suggestion: bool = False

    @property
    def total_text(self) -> str:
        """ "1 résultat", "12 résultats", "plus de 1 000 résultats" (French digit groups)."""
        number = f"{self.total:,}".replace(",", "\u00a0")
        if self.more:
            return f"plus de {number} résultats"
        return f"{number} résultat{'s' if self.total > 1 else ''}"

    @property
    def filtered(self) -> bool:
        return bool(self.selected_type or self.selected_commune or self.selected_epci)


def searchable_pages() -> models.QuerySet:
    """Every page a visitor may find: live, unexpired, public, below the root. On PostgreSQL
    plain conditions on each page search.pg probes (leaving the expired pages out by id made it
    read every page first, 75 ms at 50,000); Wagtail's backends (SQLite) only filter on
    declared fields (`id`, not `expire_at`): there the expired pages are left out by id."""
    pages = Page.objects.live().filter(depth__gt=1).exclude(private_q())
    if connection.vendor == "postgresql":
        return pages.filter(unexpired_q())
    return pages.exclude(pk__in=Page.objects.filter(expire_at__lte=timezone.now()).values("pk"))


def _type_choices(pages: models.QuerySet) -> list[TypeChoice]:
    """The page types that have at least one public page (one query), kept in the fragment
    cache until a page changes. One `EXISTS` per page type, each stopping at the first public
    page of that type (index on the content type), not a DISTINCT over every page."""
    fragments.depends_on_every_page()
    page_types = ContentType.objects.get_for_models(*get_page_models()).values()
    ct_ids = set(
        ContentType.objects.filter(pk__in=[ct.pk for ct in page_types])
        .filter(Exists(pages.order_by().filter(content_type_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    models_shown = (ContentType.objects.get_for_id(ct_id).model_class() for ct_id in ct_ids)
    choices = [TypeChoice(m._meta.label_lower, facet_label(m)) for m in models_shown if m]
    return sorted(choices, key=lambda choice: choice.label)


def _index_of(verbose_name: str) -> str | None:
    """« index des actualités » → « actualités »: what a listing page lists."""
    for head in ("index des ", "index du ", "index de la ", "index de l'", "index "):
        if verbose_name.startswith(head):
            return verbose_name[len(head) :]
    return None


def facet_label(model: type[Page]) -> str:
    """The type filter's words for a page type, as a visitor says them: « Actualités », « Cités »
    (the plural), « Listes des actualités » for the listing page rather than its internal name
    « Index des actualités ». A page type may set `search_type_label`."""
    own = getattr(model, "search_type_label", None)
    if own:
        return str(own)
    if model is HomePage:
        return "Page d’accueil"
    listed = _index_of(str(model._meta.verbose_name))
    if listed:
        return f"Listes des {listed}"
    return capfirst(str(model._meta.verbose_name_plural)).replace("'", "’")


def result_label(page: Page) -> str:
    """The tag of one result: « Actualité », « Liste des actualités »."""
    model = type(page)
    if model is HomePage:
        return "Page d’accueil"
    listed = _index_of(str(model._meta.verbose_name))
    if listed:
        return f"Liste des {listed}"
    return capfirst(str(model._meta.verbose_name)).replace("'", "’")


def page_date(page: Page) -> datetime.date | None:
    """The date a visitor expects next to a result (news date, webinar day, issue date)."""
    getter = getattr(page, "get_search_date", None)
    value = getter() if callable(getter) else None
    if value is None:
        own_fields = {f.name: f for f in type(page)._meta.concrete_fields}
        for name in DATE_FIELD_NAMES:
            if isinstance(own_fields.get(name), models.DateField):  # DateTimeField too
                value = getattr(page, name)
                if value:
                    break
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, datetime.date) else None


def indexed_texts(pages: list[Page]) -> dict[int, str]:
    """The plain text the search index holds for each page (all its searched fields except
    the title), for excerpts: one query for the whole result page."""
    text_field = {"postgresql": "body_text", "sqlite": "body"}.get(connection.vendor)
    if not pages or text_field is None:
        return {}
    index_entry = get_app_config().get_model("IndexEntry")
    rows = index_entry._default_manager.filter(
        content_type_id__in={page.content_type_id for page in pages},
        object_id__in=[str(page.pk) for page in pages],
    ).values_list("content_type_id", "object_id", text_field)
    by_key = {(ct_id, object_id): text or "" for ct_id, object_id, text in rows}
    return {page.pk: by_key.get((page.content_type_id, str(page.pk)), "") for page in pages}


def _result(page: Page, text: str, stems: list[str], request: Any) -> Result:
    teaser = page.get_teaser_text() if hasattr(page, "get_teaser_text") else ""
    return Result(
        page=page,
        url=page.get_url(request=request) or "",
        type_label=result_label(page),
        date=page_date(page),
        title_html=highlight(page.title, stems),
        excerpt_html=excerpt(text or teaser, stems),
    )


def promotions_for(query: CleanQuery, pages: models.QuerySet | None = None) -> list[Promotion]:
    """Staff-promoted results for this query (Wagtail's search promotions), whether the
    visitor typed the accents or not."""
    keys = {normalise_query_string(query.text), normalise_query_string(query.search_string)}
    promotions = (
        SearchPromotion.objects.filter(query__query_string__in=keys)
        .select_related("page")
        .order_by("query_id", "sort_order")
    )
    pages = searchable_pages() if pages is None else pages
    visible_ids = set(
        pages.filter(pk__in=[p.page_id for p in promotions if p.page_id]).values_list(
            "pk", flat=True
        )
    )
    items, seen = [], set()
    for promotion in promotions:
        if promotion.page_id:
            if promotion.page_id not in visible_ids or promotion.page_id in seen:
                continue
            seen.add(promotion.page_id)
            url = promotion.page.get_url() or ""
            title = promotion.page.title
            description = promotion.description or getattr(promotion.page, "teaser_text", "")
        else:
            url, title, description = (
                promotion.external_link_url,
                promotion.external_link_text or promotion.external_link_url,
                promotion.description,
            )
        items.append(Promotion(title=title, url=url, description=description))
    return items


def backend_query(terms: list[str], operator: str) -> SearchQuery:
    """Every term (or one of its synonyms) with "and", any of them with "or". Terms without
    synonyms stay in one PlainText: the backend then ranks each page once per field, not once
    per term and field (3 times cheaper for 3 words on PostgreSQL, bench/search.py)."""
    plain = [term for term in terms if len(variants(term)) == 1]
    parts: list[SearchQuery] = []
    if plain:
        parts.append(PlainText(" ".join(plain), operator=operator))
    for term in terms:
        words = variants(term)
        if len(words) > 1:
            parts.append(Or([PlainText(word) for word in words]))
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


def _parse_choice(value: Any, limit: int = 150) -> str:
    return str(value or "").strip()[:limit] if isinstance(value, str) else ""


class _OnePage(Sequence):
    """The results of one page, already fetched, with the total: lets Django's Paginator
    work from a single query (see `_postgres_page`)."""

    def __init__(self, total: int, items: list[Page]) -> None:
        self.total, self.items = total, items

    def count(self) -> int:  # type: ignore[override]
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.items


MAX_PAGE_NUMBER = 100_000  # beyond any real result count; keeps OFFSET within bigint


def _page_number(raw_page: Any) -> int:
    try:
        return min(max(int(str(raw_page)), 1), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1


def _postgres_page(
    pages: models.QuerySet,
    terms: list[str],
    operator: str,
    number: int,
    per_page: int,
    hints: dict[str, Any],
) -> tuple[int, bool, list[Page]]:
    """Total (capped), whether more pages match, and the pages of results page `number`:
    one bounded query (`search.pg`), then the specific pages of that results page."""
    found = pg.ranked_ids(
        pages,
        terms,
        operator,
        (number - 1) * per_page,
        per_page,
        **hints,
    )
    by_pk = {page.pk: page for page in Page.objects.filter(pk__in=found.ids).specific()}
    return found.total, found.more, [by_pk[pk] for pk in found.ids if pk in by_pk]


def _paginate(
    pages: models.QuerySet,
    terms: list[str],
    operator: str,
    raw_page: Any,
    per_page: int,
    hints: dict[str, Any],
) -> tuple[PaginatorPage, bool]:
    """The requested page of results and whether more than `results_cap()` pages match."""
    cap = results_cap()
    if connection.vendor != "postgresql":
        results = pages.specific().search(backend_query(terms, operator))
        more = results[: cap + 1].count() > cap
        return Paginator(results[:cap], per_page).get_page(raw_page), more
    number = _page_number(raw_page)
    total, more, items = _postgres_page(pages, terms, operator, number, per_page, hints)
    if not items and total:  # beyond the last page: show the last one
        number = (total - 1) // per_page + 1
        total, more, items = _postgres_page(pages, terms, operator, number, per_page, hints)
    return Paginator(_OnePage(total, items), per_page).get_page(number), more


def results_cap() -> int:
    """How many matches are counted and listed; past it the page says "plus de …"."""
    return pg.RESULTS_CAP


def _search_page(
    pages: models.QuerySet,
    query: CleanQuery,
    raw_page: Any,
    per_page: int,
    outcome: SearchOutcome,
    hints: dict[str, Any],
) -> tuple[PaginatorPage, list[Page]]:
    """The requested page of results (all words, or any word when none has them all).
    `hints` tell the PostgreSQL query how `pages` were filtered (`search.pg.ranked_ids`)."""
    page_obj, outcome.more = _paginate(pages, query.terms, "and", raw_page, per_page, hints)
    if page_obj.paginator.count == 0 and len(query.terms) > 1:
        # No page has every word: rank the pages that have some of them, best first.
        page_obj, outcome.more = _paginate(pages, query.terms, "or", raw_page, per_page, hints)
        if page_obj.paginator.count:
            outcome.messages.append(
                "Aucune page ne contient tous les mots recherchés : voici les pages qui en "
                "contiennent au moins un, les plus pertinentes d'abord."
            )
    if str(raw_page) != str(page_obj.number) and page_obj.paginator.count:
        outcome.messages.append(
            f"La page de résultats demandée n'existe pas : voici la page {page_obj.number}."
        )
    return page_obj, list(page_obj.object_list)


def run_search(
    params: Mapping[str, Any],
    *,
    request: Any = None,
    per_page: int = PER_PAGE,
    record_hit: bool = True,
) -> SearchOutcome:
    """Search the site for `params["q"]`, filtered by `type`, `commune` and `epci`, and
    return the `page`-th page of results. Never raises on bad input: what was ignored is
    explained in `outcome.messages` (in French)."""
    query = clean_query(params.get("q") if isinstance(params.get("q"), str) else "")
    outcome = SearchOutcome(query=query, messages=list(query.messages))
    visible = searchable_pages()  # evaluates the view restrictions once for the whole search
    outcome.type_choices = fragments.cached("search-types", lambda: _type_choices(visible), request)
    outcome.commune_choices = places.place_choices("commune", request)
    outcome.epci_choices = places.place_choices("epci", request)

    pages = visible
    hints: dict[str, Any] = {}
    wanted_type = _parse_choice(params.get("type"))
    if wanted_type:
        known = {choice.value for choice in outcome.type_choices}
        if wanted_type in known:
            app_label, model_name = wanted_type.split(".", 1)
            ct = ContentType.objects.get_by_natural_key(app_label, model_name)
            pages = pages.filter(content_type_id=ct.pk)
            hints["content_type_id"] = ct.pk
            outcome.selected_type = wanted_type
        else:
            outcome.messages.append(
                "Le type de contenu demandé n'existe pas : ce filtre a été ignoré."
            )
    for kind, label in (("commune", "La commune"), ("epci", "L'intercommunalité")):
        wanted = _parse_choice(params.get(kind))
        if not wanted:
            continue
        place = places.find_place(kind, wanted)
        if place is None:
            outcome.messages.append(f"{label} demandée est inconnue : ce filtre a été ignoré.")
            continue
        pages = pages.filter(id__in=places.page_ids_for_place(place))
        hints["few_pages"] = True
        setattr(outcome, f"selected_{kind}", place.slug)

    if not query.searchable:
        return outcome

    raw_page = params.get("page", "1")
    page_obj, found = _search_page(pages, query, raw_page, per_page, outcome, hints)
    if page_obj.paginator.count == 0 or outcome.messages[len(query.messages) :]:
        # Nothing (or only some of the words) found: perhaps a word is misspelt.
        corrected = vocabulary.correction(query.terms)
        if corrected:
            outcome.suggestion = " ".join(corrected)
            if page_obj.paginator.count == 0:
                fixed = clean_query(outcome.suggestion)
                outcome.messages = list(query.messages)
                page_obj, found = _search_page(pages, fixed, raw_page, per_page, outcome, hints)
                outcome.showing_suggestion = page_obj.paginator.count > 0
                if outcome.showing_suggestion:
                    query = CleanQuery(text=query.text, terms=fixed.terms, messages=query.messages)
    texts = indexed_texts(found)
    stems = query.stems
    outcome.results = [_result(page, texts.get(page.pk, ""), stems, request) for page in found]
    outcome.page_obj = page_obj
    outcome.total = page_obj.paginator.count
    if page_obj.number == 1:
        outcome.promotions = promotions_for(query, visible)
        if record_hit and str(raw_page).strip() in ("", "1"):
            # Counted once per search (not per results page): the admin's "Search terms"
            # report lists the popular queries.
            Query.get(query.text).add_hit()
    return outcome


def suggestions(raw: str | None, *, limit: int = MAX_SUGGESTIONS) -> list[dict[str, str]]:
    """Titles of public pages starting like what the visitor is typing (autocomplete)."""
    query = clean_query(raw)
    if not query.searchable:
        return []
    if connection.vendor == "postgresql":
        ids = pg.suggestion_ids(
            searchable_pages(), query.terms, limit, config=backend.AUTOCOMPLETE_CONFIG
        )
        by_pk = {page.pk: page for page in Page.objects.filter(pk__in=ids)}
        found = [by_pk[pk] for pk in ids if pk in by_pk]
    else:
        found = list(searchable_pages().autocomplete(query.search_string, operator="and")[:limit])
    return [{"title": page.title, "url": page.get_url() or ""} for page in found]
