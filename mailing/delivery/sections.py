"""Digests spliced per recipient: one campaign body holds every section, rendered once, and each
recipient's mail keeps only the sections of their delivery (`Delivery.sections`, « 12,40 »).

A body is cut into parts by markers `<!--part:RULE-->` (in the HTML and the text alike). A part
whose rule is empty is in every mail; `12` keeps the part for whoever has section 12;
`12-3-7` keeps it for whoever has 12 but neither 3 nor 7 (an item shown once, under the first
of its sections the recipient has). The markers never reach a recipient. Splicing is string work:
a cité alert for 50,000 followers costs one MJML rendering, not one per set of cités followed."""

from __future__ import annotations

import re
from collections.abc import Iterable

_MARKER = re.compile(r"<!--part:([0-9-]*)-->")


def part_marker(keep: int | None = None, unless: Iterable[int] = ()) -> str:
    """The marker opening a part: kept for `keep` (every recipient if None), unless one of
    `unless` is among the recipient's sections too."""
    if keep is None:
        return "<!--part:-->"
    return "<!--part:" + "-".join(str(n) for n in (keep, *sorted(unless))) + "-->"


def sections_key(section_ids: Iterable[int]) -> str:
    """`Delivery.sections` of a recipient of these sections."""
    return ",".join(str(n) for n in sorted(set(section_ids)))


def parse_key(key: str) -> frozenset[int]:
    return frozenset(int(n) for n in key.split(",") if n.strip().isdigit())


def has_parts(body: str) -> bool:
    return "<!--part:" in body


def splice(body: str, sections: frozenset[int] | None) -> str:
    """`body` with only the parts these sections keep (None: every part), markers removed."""
    pieces = _MARKER.split(body)
    out = [pieces[0]]
    for rule, text in zip(pieces[1::2], pieces[2::2], strict=True):
        if sections is None or _keeps(rule, sections):
            out.append(text)
    return "".join(out)


def _keeps(rule: str, sections: frozenset[int]) -> bool:
    if not rule:
        return True
    keep, *unless = (int(n) for n in rule.split("-"))
    return keep in sections and not sections.intersection(unless)
