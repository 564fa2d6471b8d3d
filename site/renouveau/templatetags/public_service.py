"""Tags of a public-service site: social cards and canonical link, schema.org JSON-LD, the
footer's mandatory accessibility mention, the newsletter sign-up address, the site map link."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from .. import fragments
from ..accessibility import site_accessibility_status
from ..legal import SitemapPage
from ..models import SiteSettings

register = template.Library()

DEFAULT_DESCRIPTION = "Le programme de rénovation des cités minières du Nord et du Pas-de-Calais."
SOCIAL_IMAGE_SPEC = "fill-1200x630"

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def _page_url(page: Page | None, request) -> str:
    if isinstance(page, Page):
        url = page.get_full_url(request)
        if url:
            return url
    return _absolute(request.path if request is not None else "/")


def _image(page: Page | None) -> tuple[str, str, int, int]:
    """(absolute URL, alt text, width, height) of the page's social image, or the default.
    Worked out once per page object (the social card and the JSON-LD both show it), and kept as
    a fragment of its image: a publish of the page does not look the rendition up again (two
    cache round trips, Wagtail writing back what it has just read), nor load the image."""
    if page is not None and "_social_image" in page.__dict__:
        return page.__dict__["_social_image"]
    image_id = page.get_teaser_image_id() if hasattr(page, "get_teaser_image_id") else None
    found = None
    if image_id:
        found = fragments.cached("social-image", lambda: _social_image(image_id), None, image_id)
    found = found or (
        _absolute(static("img/partage.png")),
        "Renouveau du Bassin Minier : s'engager ensemble pour rénover les cités minières",
        1200,
        630,
    )
    if page is not None:
        page.__dict__["_social_image"] = found
    return found


def _social_image(image_id: int) -> tuple[str, str, int, int] | None:
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_SPEC)
    except Exception:  # a missing file must not break the page
        return None
    return (_absolute(rendition.url), image.description or image.title, 1200, 630)


def _description(page: Page | None) -> str:
    if hasattr(page, "get_teaser_text"):
        text = page.get_teaser_text()
        if text:
            return text
    return getattr(page, "search_description", "") or DEFAULT_DESCRIPTION


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context) -> dict[str, Any]:
    """OpenGraph, Twitter card and canonical link from the page's teaser fields."""
    request = context.get("request")
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    title = (page.seo_title or page.title) if page else context.get("social_title", "")
    image_url, image_alt, width, height = _image(page)
    return {
        "canonical": _page_url(page, request),
        "title": title or settings.WAGTAIL_SITE_NAME,
        "description": _description(page),
        "image_url": image_url,
        "image_alt": image_alt,
        "image_width": width,
        "image_height": height,
        "og_type": "article"
        if getattr(page, "schema_org_type", "") == "NewsArticle"
        else "website",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }


def organisation(request) -> dict[str, Any]:
    """The publisher of the site (schema.org), cached per site and content generation."""
    site = Site.find_for_request(request) if request is not None else None
    return fragments.cached(
        "organisation", lambda: _organisation(site), request, site.pk if site else ""
    )


def _organisation(site: Site | None) -> dict[str, Any]:
    site_settings = SiteSettings.for_site(site) if site else None
    data: dict[str, Any] = {
        "@type": "Organization",
        "@id": settings.SITE_URL + "/#organisation",
        "name": "Engagement pour le Renouveau du Bassin Minier",
        "alternateName": settings.WAGTAIL_SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": _absolute("/static/img/partage.png"),
    }
    if site_settings is not None:
        data["email"] = site_settings.contact_email
        same_as = [link.value["url"] for link in site_settings.social_links if link.value["url"]]
        if same_as:
            data["sameAs"] = same_as
    return data


def page_structured_data(page: Page, request) -> dict[str, Any]:
    url = _page_url(page, request)
    org = organisation(request)
    kind = getattr(page, "schema_org_type", "WebPage")
    if page.depth <= 2:  # the home page: the organisation and the web site
        return {
            "@context": "https://schema.org",
            "@graph": [
                org,
                {
                    "@type": "WebSite",
                    "@id": settings.SITE_URL + "/#site",
                    "name": settings.WAGTAIL_SITE_NAME,
                    "url": settings.SITE_URL + "/",
                    "inLanguage": "fr-FR",
                    "publisher": {"@id": org["@id"]},
                    "potentialAction": {
                        "@type": "SearchAction",
                        "target": settings.SITE_URL + "/recherche/?q={q}",
                        "query-input": "required name=q",
                    },
                },
            ],
        }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "url": url,
        "name": page.seo_title or page.title,
        "description": _description(page),
        "inLanguage": "fr-FR",
        "image": _image(page)[0],
    }
    if kind == "NewsArticle":
        published = page.schema_org_date()
        data.update(
            {
                "headline": (page.seo_title or page.title)[:110],
                "mainEntityOfPage": url,
                "datePublished": published.isoformat() if published else None,
                "dateModified": (page.last_published_at or page.latest_revision_created_at)
                and (page.last_published_at or page.latest_revision_created_at).isoformat(),
                "publisher": org,
                "author": {"@id": org["@id"], "@type": "Organization", "name": org["name"]},
            }
        )
    else:
        data["isPartOf"] = {"@id": settings.SITE_URL + "/#site"}
    return {k: v for k, v in data.items() if v is not None}


@register.simple_tag(takes_context=True)
def structured_data(context) -> str:
    """schema.org JSON-LD (not executed by browsers, so the strict CSP allows it)."""
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    payload = json.dumps(
        page_structured_data(page, context.get("request")), ensure_ascii=False, indent=None
    ).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.inclusion_tag("includes/accessibility_mention.html")
def accessibility_mention() -> dict[str, Any]:
    """« Accessibilité : partiellement conforme », from the live statement's audit grid."""
    statement, audit = site_accessibility_status()
    return {"statement": statement, "audit": audit}


@register.simple_tag
def newsletter_subscribe_url() -> str:
    """The full subscription page of the mailing app, when it is installed ("" otherwise)."""
    try:
        return reverse("mailing:subscribe")
    except NoReverseMatch:
        return ""


@register.simple_tag
def newsletter_signup_url() -> str:
    """Where the footer's and home page's sign-up field POSTs the address (the mailing app's
    form, pre-filled; "" when it is not installed)."""
    try:
        return reverse("mailing:subscribe_start")
    except NoReverseMatch:
        return ""


@register.simple_tag
def sitemap_page():
    return SitemapPage.objects.live().public().first()
