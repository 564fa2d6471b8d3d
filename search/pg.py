"""PostgreSQL search whose cost is bounded by the page of results, not by the number of matches.

Wagtail's database backend ranks every matching page (`ts_rank` reads each page's whole
`body` vector out of TOAST storage) and counts them all before taking ten: 88 ms at 5,000
pages for a word most pages contain, and ten times more at 50,000. Here one SQL statement:

1. **matches** — the first `RESULTS_CAP + 1` visible pages (in entry id order) whose title or
   body matches each term of the query (`title @@ q OR body @@ q`, `_match_sql`: what
   `(title || body) @@ q` means, without concatenating two vectors per entry read), through
   the per-column GIN indexes, or by reading the entries in id order when most match (their
   vectors kept in the row, migration 0005). Their count is the total shown ("plus de 1 000
   résultats" past the cap). (The GIN index on `title || body` of migration 0002 serves the
   admin's search, which goes through Wagtail's backend and its concatenation.)
2. **pool** — a bounded candidate set: up to `TITLE_POOL` pages whose title matches the
   query on its own (GIN index on `title`; the title carries the heaviest weight, so these are
   the best matches) and the first `BODY_POOL` matches.
3. **ranking** — Wagtail's score (`ts_rank` of the title × its length norm + `ts_rank` of the
   body, same weights) on the pool only, best first; the other matches follow, newest page
   first. Pagination is stable and reaches every match up to the cap.

Suggestions (`suggestion_ids`) follow the same pattern on the autocomplete vectors.

No planner overrides: forcing the GIN bitmap scans (no sequential, index, hash or merge scans)
once helped a common word, but with the visibility filter (expired pages left out by id) it
made that query take over 20 s where the planner's own plan takes 0.2-0.3 s (bench/search.py
`BENCH_PLAN=1`, 5,000 pages, issue 28).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from modelsearch.backends.database.postgres.weights import get_sql_weights
from modelsearch.conf import get_app_config

from .text import variants

RESULTS_CAP = 1000  # matches counted; past it the page says "plus de 1 000 résultats"
TITLE_POOL = 100  # ranked candidates with a query word in their title
BODY_POOL = 100  # ranked candidates among the other matches
DEFAULT_CONFIG = "french_unaccent"


@dataclass
class RankedIds:
    total: int  # matches, at most `cap`
    more: bool  # more than `cap` pages match
    ids: list[int]  # the requested slice, best first


def search_config() -> str:
    backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {})
    return backend.get("SEARCH_CONFIG") or DEFAULT_CONFIG


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _term_text(term: str) -> str:
    """`to_tsquery` input for one term: the term or one of its synonyms. Quoted lexemes: the
    configuration stems them, and no query syntax gets through."""
    words = [_lexeme(word) for word in variants(term)]
    return words[0] if len(words) == 1 else "(" + " | ".join(words) + ")"


def tsquery_text(terms: list[str], operator: str) -> str:
    """`to_tsquery` input: every term (or one of its synonyms) with "and", any with "or"."""
    return f" {'&' if operator == 'and' else '|'} ".join(_term_text(term) for term in terms)


_TSQUERY = "to_tsquery(%(config)s::regconfig, %({name})s)"


def _match_sql(terms: list[str], operator: str) -> tuple[str, dict[str, str]]:
    """The condition "the entry's `title || body` matches the query" without building that
    concatenation: each term (with "and"), or the whole query (with "or"), matches the title
    or the body. Concatenating the two vectors of every entry read cost three quarters of a
    common word's search (bench/search.py); the per-column GIN indexes answer this form.
    A term the configuration drops (a stop word: empty query) is left out, as `to_tsquery`
    leaves it out of the whole query; a query of stop words only matches nothing."""
    groups = list(map(_term_text, terms)) if operator == "and" else [tsquery_text(terms, "or")]
    conditions = [f"numnode({_TSQUERY.format(name='tsq')}) > 0"]
    for i in range(len(groups)):
        q = _TSQUERY.format(name=f"t{i}")
        conditions.append(f"(numnode({q}) = 0 OR e.title @@ {q} OR e.body @@ {q})")
    return " AND ".join(conditions), {f"t{i}": text for i, text in enumerate(groups)}


_PAGE_ID = (
    "CASE WHEN e.object_id ~ '^[0-9]{1,9}$' THEN e.object_id::integer END"  # ids of pages only
)

# The first matches in the order of the entries' ids, not of the table: a sequential scan of a
# table over a quarter of shared_buffers goes through a 256 KB ring, so at 50,000 pages each
# common word's search read its ~300 pages again from the OS; the primary key's order keeps
# them in shared_buffers (a rare word still goes through the GIN bitmaps, then sorts).
_SQL = """
WITH matches AS MATERIALIZED (
    SELECT e.id, {page_id} AS pid FROM {entries} e
    WHERE {match} AND {visible_entry}
    ORDER BY e.id LIMIT %(cap_plus_one)s
),
title_pool AS MATERIALIZED (
    SELECT e.id, {page_id} AS pid FROM {entries} e
    WHERE e.title @@ {tsq} AND {visible_entry}
    ORDER BY e.id LIMIT %(title_pool)s
),
pool AS MATERIALIZED (
    SELECT id, pid FROM title_pool
    UNION
    (SELECT id, pid FROM matches LIMIT %(body_pool)s)
),
ordered AS (
    SELECT p.pid, 0 AS tier,
           ts_rank(%(weights)s::float4[], e.title, {tsq}) * e.title_norm
           + ts_rank(%(weights)s::float4[], e.body, {tsq}) AS score
    FROM pool p JOIN {entries} e ON e.id = p.id
    UNION ALL
    SELECT m.pid, 1, 0 FROM matches m WHERE m.id NOT IN (SELECT id FROM pool)
)
SELECT pid, (SELECT count(*) FROM matches) FROM ordered
ORDER BY tier, score DESC, pid DESC
LIMIT %(limit)s OFFSET %(offset)s
"""

# An index entry of a visible page: Wagtail indexes each page once, under its specific content
# type, so the entry and the page agree on it (which also rules out entries of images or
# snippets with the same id). The planner probes the pages' primary key from each matching
# entry, and stops at the LIMIT. With few visible pages (a commune's), it starts from them and
# probes the entries' (content type, object id) key instead: that second form of the join is
# given only then, as the two together make the planner expect a single match, and so
# disregard the LIMIT.
_VISIBLE_ENTRY = """EXISTS (
    SELECT 1 FROM ({visible}) v
    WHERE v.pk = {page_id} AND v.content_type_id = e.content_type_id{extra}
)"""
_FROM_FEW_PAGES = " AND e.object_id = v.pk::varchar"


_PLACEHOLDER = re.compile(r"%%|%s")


def _visible_sql(pages: models.QuerySet) -> tuple[str, tuple]:
    sql, params = pages.order_by().values("pk", "content_type_id").query.sql_with_params()
    return sql, params


def ranked_ids(
    pages: models.QuerySet,
    terms: list[str],
    operator: str,
    start: int,
    count: int,
    *,
    cap: int | None = None,
    content_type_id: int | None = None,
    few_pages: bool = False,
) -> RankedIds:
    """Ids of the visible `pages` matching `terms`, ranked, from `start` for `count` pages.
    `content_type_id`: `pages` are of that type only (the entries are filtered too, through
    their index). `few_pages`: `pages` is a short list (a place filter), see `_VISIBLE_ENTRY`."""
    cap = RESULTS_CAP if cap is None else cap
    start = min(start, cap)
    count = max(0, min(count, cap - start))
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    try:
        visible_sql, visible_params = _visible_sql(pages)
    except EmptyResultSet:  # e.g. a place no page points at
        return RankedIds(total=0, more=False, ids=[])
    tsq = _TSQUERY.format(name="tsq")
    match, match_params = _match_sql(terms, operator)
    visible_named = _named(visible_sql, len(visible_params))
    sql = _SQL.format(
        page_id=_PAGE_ID,
        entries=connection.ops.quote_name(entries),
        tsq=tsq,
        match=match,
        visible_entry=_VISIBLE_ENTRY.format(
            visible=visible_named, page_id=_PAGE_ID, extra=_FROM_FEW_PAGES if few_pages else ""
        )
        + (" AND e.content_type_id = %(content_type)s" if content_type_id else ""),
    )
    params = {
        "config": search_config(),
        "tsq": tsquery_text(terms, operator),
        "cap_plus_one": cap + 1,
        "title_pool": TITLE_POOL,
        "body_pool": BODY_POOL,
        "weights": get_sql_weights(),
        "content_type": content_type_id,
        **match_params,
        "limit": count or 1,  # at least one row, for the total
        "offset": start if count else 0,
        **{f"v{i}": value for i, value in enumerate(visible_params)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    matched = rows[0][1] if rows else 0
    ids = [pid for pid, _ in rows] if count else []
    return RankedIds(total=min(matched, cap), more=matched > cap, ids=ids)


SUGGESTION_POOL = 200  # autocomplete: title matches ranked to pick the suggestions

_SUGGESTIONS_SQL = """
WITH candidates AS MATERIALIZED (
    SELECT e.id, {page_id} AS pid FROM {entries} e
    WHERE e.autocomplete @@ {tsq} AND {visible_entry}
    LIMIT %(pool)s
)
SELECT c.pid FROM candidates c JOIN {entries} e ON e.id = c.id
ORDER BY ts_rank(e.autocomplete, {tsq}) DESC, c.pid DESC
LIMIT %(limit)s
"""


def suggestion_ids(
    pages: models.QuerySet, terms: list[str], limit: int, *, config: str
) -> list[int]:
    """Ids of visible `pages` whose title has every term, the last one as a prefix (what the
    visitor is still typing): the first `SUGGESTION_POOL` found by the GIN index on the
    autocomplete vectors, ranked. Wagtail's autocomplete ranked every title match (280 ms for
    "cit" at 50,000 pages on the loaded development machine)."""
    if not terms:
        return []
    try:
        visible_sql, visible_params = _visible_sql(pages)
    except EmptyResultSet:
        return []
    lexemes = [_lexeme(term) for term in terms]
    lexemes[-1] += ":*"
    sql = _SUGGESTIONS_SQL.format(
        page_id=_PAGE_ID,
        entries=connection.ops.quote_name(get_app_config().get_model("IndexEntry")._meta.db_table),
        tsq=_TSQUERY.format(name="tsq"),
        visible_entry=_VISIBLE_ENTRY.format(
            visible=_named(visible_sql, len(visible_params)), page_id=_PAGE_ID, extra=""
        ),
    )
    params = {
        "config": config,
        "tsq": " & ".join(lexemes),
        "pool": SUGGESTION_POOL,
        "limit": limit,
        **{f"v{i}": value for i, value in enumerate(visible_params)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pid for (pid,) in cursor.fetchall()]


def _named(sql: str, count: int) -> str:
    """`sql` with its positional parameters named v0, v1… (the statements use named ones)."""
    numbers = iter(range(count))
    return _PLACEHOLDER.sub(
        lambda found: found[0] if found[0] == "%%" else f"%(v{next(numbers)})s", sql
    )
