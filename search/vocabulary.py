"""« Vouliez-vous dire … ? »: the words the site's pages use, and the nearest one to a misspelt
query word.

The vocabulary is the accent-free words of the public pages' titles and of the beginning of (at
most `MAX_TEXTS`) indexed texts. A background task (search/tasks.py) builds it after each
publication and stores it in the database (`Vocabulary`); a search reads the last one built
(kept in this process until a newer one exists), so that no visitor waits for a build (2.2 s at
50 000 pages): words of the page just published are suggested once the worker has run.
PostgreSQL ranks the candidates by trigram similarity (`pg_trgm`, migration 0003); SQLite, which
has no such function, by `difflib`'s ratio. Both only look at words of about the same length.
"""

import difflib
import threading

from django.db import connection, transaction
from django.db.models.functions import Left
from modelsearch.conf import get_app_config

from .models import Vocabulary
from .text import fold, light_stem

MAX_TITLES = 20_000
MAX_TEXTS = 1_000  # indexed texts read to learn words (the most recent entries)…
MAX_CHARS = 4_000  # …from their first characters: the build stays well under a second
MIN_LENGTH = 4
SIMILARITY = 0.4  # pg_trgm similarity below which a word is not offered
RATIO = 0.75  # difflib ratio below which a word is not offered
_SEPARATORS = str.maketrans(dict.fromkeys("'’.,;:!?«»()[]{}\"/-–—…", " "))

_lock = threading.Lock()
_memo: dict[str, object] = {"built": None, "words": {}}


def _build() -> dict[str, str]:
    """Accent-free word → the word as the site writes it (its first spelling met)."""
    # Here, not at the top: searching.py imports this module for its corrections (a cycle).
    from .searching import searchable_pages

    titles = searchable_pages().order_by("-pk").values_list("title", flat=True)[:MAX_TITLES]
    entries = get_app_config().get_model("IndexEntry")._default_manager
    text_field = {"postgresql": "body_text", "sqlite": "body"}.get(connection.vendor)
    texts = (
        entries.order_by("-pk")
        .annotate(start=Left(text_field, MAX_CHARS))
        .values_list("start", flat=True)[:MAX_TEXTS]
        if text_field
        else []
    )
    seen: set[str] = set()
    for text in [*titles, *texts]:
        # str.split is several times faster than a regular expression over megabytes.
        tokens = (text or "").lower().translate(_SEPARATORS).split()
        seen.update(token for token in tokens if len(token) >= MIN_LENGTH and token.isalpha())
    words: dict[str, str] = {}
    for word in sorted(seen):  # one spelling per accent-free word, the same on every build
        words.setdefault(fold(word), word)
    return words


def rebuild() -> dict[str, str]:
    """Build the vocabulary and store it as the one searches read (the task's work)."""
    words = _build()
    with transaction.atomic():
        latest = Vocabulary.objects.create(words=words)
        Vocabulary.objects.exclude(pk=latest.pk).delete()
    return words


def vocabulary() -> dict[str, str]:
    """The last vocabulary built: one small query, the words themselves read only when a newer
    build exists; built here only on a site that never had one."""
    latest = Vocabulary.objects.order_by("-pk").values_list("pk", "built_at").first()
    with _lock:
        if latest is not None and _memo["built"] == latest:
            return _memo["words"]  # type: ignore[return-value]
    if latest is None:
        words = rebuild()
        latest = Vocabulary.objects.order_by("-pk").values_list("pk", "built_at").first()
    else:
        words = Vocabulary.objects.filter(pk=latest[0]).values_list("words", flat=True).first()
    with _lock:
        _memo["built"], _memo["words"] = latest, words or {}
    return words or {}


def _known(term: str, words: dict[str, str]) -> bool:
    """The term, or a word starting like its stem, is on the site (so it is not misspelt)."""
    if term in words or len(term) < MIN_LENGTH:
        return True
    stem = light_stem(term)
    return any(word.startswith(stem) for word in words)


def _nearest(term: str, words: dict[str, str]) -> str | None:
    candidates = [word for word in words if abs(len(word) - len(term)) <= 2]
    if not candidates:
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w FROM unnest(%s::text[]) AS w WHERE similarity(w, %s) >= %s "
                "ORDER BY similarity(w, %s) DESC, w LIMIT 1",
                [candidates, term, SIMILARITY, term],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    found = difflib.get_close_matches(term, candidates, n=1, cutoff=RATIO)
    return found[0] if found else None


def correction(terms: list[str]) -> list[str] | None:
    """The query's words with each unknown one replaced by the nearest word of the site, as
    the site writes them (« logemnts » → « logements », « renovaton » → « rénovation »), or
    None when every word is known or none has a near neighbour."""
    words = vocabulary()
    corrected, changed = [], False
    for term in terms:
        if _known(term, words):
            corrected.append(words.get(term, term))
            continue
        nearest = _nearest(term, words)
        changed = changed or nearest is not None
        corrected.append(words[nearest] if nearest else term)
    return corrected if changed else None
