"""The one CSV writer of every export (subscribers, registrations, form answers, document
requests): UTF-8 with a BOM for spreadsheet software, « ; » between cells, and spreadsheet
formulas defused in every cell, since the public types most of these values."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these is run as a formula by spreadsheet software (CSV injection:
# =HYPERLINK(…), =cmd|…, @SUM(…)); TAB and CR too, which some strip before evaluating.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """`value` as text, prefixed with « ' » when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV file of `rows`, streamed line by line (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


class SafeCsvExportMixin:
    """For Wagtail's spreadsheet exports (SpreadsheetExportMixin: modeladmin lists, form
    answers): their CSV goes through csv_lines. (Their XLSX already stores every cell that
    looks like a formula as text.)"""

    def stream_csv(self, queryset) -> Iterator[str]:
        def rows() -> Iterator[list]:
            yield [self.get_heading(queryset, field) for field in self.list_export]
            for item in queryset:
                yield [
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                    for field, value in self.to_row_dict(item).items()
                ]

        return csv_lines(rows())
