"""The site's search backend: Wagtail's database backend, tuned for French on each database.

Point ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]`` at ``"search.backend"``.

* PostgreSQL: the database backend as is, with the text-search configurations created by this
  app's migration: ``french_unaccent`` (accents removed, then the French stemmer) for full text
  and ``simple_unaccent`` for autocomplete (prefix matching of titles, accents removed).
* SQLite (FTS5): FTS5's ``unicode61`` tokenizer already folds accents but has no stemmer, so
  every query term becomes a prefix query on its light stem (``cités`` → ``"cite"*``,
  ``isolation`` → ``"isol"*``).
* Anything else: the backend the database backend picks (its fallback).

See ``search/README.md`` for what each database finds.
"""

import functools
from typing import Any

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.query import PlainText

from .text import light_stem

AUTOCOMPLETE_CONFIG = "simple_unaccent"


@functools.cache
def _sqlite_compiler_classes() -> tuple[type, type]:
    # Imported lazily: these modules only import on a SQLite database.
    from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchQueryCompiler,
    )

    class PrefixTermsMixin:
        """Each plain-text term matches as a prefix of its singular, accent-free form without a
        common French ending (« isolation » finds « isolés »: FTS5 has no stemmer)."""

        def build_search_query_content(self, query: Any, config: Any = None) -> Any:
            if not isinstance(query, PlainText):
                return super().build_search_query_content(query, config=config)
            # FTS5 quotes each lexeme; a double quote inside one would break its syntax.
            terms = [light_stem(term).replace('"', "") for term in query.query_string.split()]
            terms = [term for term in terms if term]
            if not terms:
                return None
            lexemes = Lexeme(terms[0], prefix=True)
            for term in terms[1:]:
                if query.operator.upper() == "AND":
                    lexemes &= Lexeme(term, prefix=True)
                else:
                    lexemes |= Lexeme(term, prefix=True)
            return SearchQueryExpression(lexemes, config=config)

    class FrenchSQLiteSearchQueryCompiler(PrefixTermsMixin, SQLiteSearchQueryCompiler):
        pass

    class FrenchSQLiteAutocompleteQueryCompiler(PrefixTermsMixin, SQLiteAutocompleteQueryCompiler):
        pass

    return FrenchSQLiteSearchQueryCompiler, FrenchSQLiteAutocompleteQueryCompiler


def SearchBackend(params: dict[str, Any]) -> Any:  # noqa: N802 (Wagtail's loader looks this name up)
    backend = database_search_backend(params)
    if connection.vendor == "postgresql":
        backend.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", AUTOCOMPLETE_CONFIG)
    elif type(backend).__name__ == "SQLiteSearchBackend":
        search_compiler, autocomplete_compiler = _sqlite_compiler_classes()
        backend.query_compiler_class = search_compiler
        backend.autocomplete_query_compiler_class = autocomplete_compiler
    return backend
