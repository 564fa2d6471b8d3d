"""French rules that a visitor notices: plurals and the order of names in a list."""

import re
import unicodedata

# « Cité de la Parisienne » is filed under P, as a reader looks for it: the generic head word
# and its article say nothing about the name.
_PREFIX = re.compile(
    r"^(?:cit[ée]s?|cit[ée][ -]jardins?|quartier|r[ée]sidence)\s+"
    r"(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*|la\s+|le\s+|les\s+|l['’]\s*)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")


def is_plural(count: int | float) -> bool:
    """French grammar: 0 and 1 take the singular (« 0 cité », « 1,5 heure », « 2 cités »)."""
    return abs(count) >= 2


def plural_suffix(count: int | float, suffixes: str = "s") -> str:
    """The ending for `count`, like Django's `pluralize` (« s » or « singulier,pluriel »)."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return plural if is_plural(count) else singular


def sort_key(title: str) -> str:
    """A key that sorts names as a French index does: without the « Cité de la » head, without
    accents or case, numbers in numeric order (« Cité du 10 » after « Cité 5/12 »)."""
    name = _PREFIX.sub("", title.strip()) or title.strip()
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    return _NUMBER.sub(lambda match: match.group().zfill(8), plain)[:255]
