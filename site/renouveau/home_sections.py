"""Home-page sections contributed by the apps above site/ through the `home_page_sections`
Wagtail hook, so that the home page never imports them.

A hook is a callable `(home_page, request) -> dict | None`; the dict has `template`, `order`
and any context the template needs (under `section`).
"""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks


def home_sections(home_page: Any, request: HttpRequest) -> list[dict[str, Any]]:
    sections = []
    for hook in hooks.get_hooks("home_page_sections"):
        section = hook(home_page, request)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda section: section.get("order", 100))
