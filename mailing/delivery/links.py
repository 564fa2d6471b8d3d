"""Clicks counted without tracking anyone: at campaign creation, each content link of the frozen
issue becomes `SITE_URL/lettre/l/<signed campaign.position>/`, the same address in every
recipient's mail. The redirect (link_views.py) adds one to that link's counter and sends the
reader on; nothing in the address says who clicked.

Left as they are: placeholders personalised per recipient afterwards (the unsubscribe link), the
subscription pages (unsubscribe, preferences: managing one's subscription is not reading the
letter), mailto: and # anchors, and the List-Unsubscribe headers (built per mail, elsewhere).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac

from newsletter.checks import looks_like_address

from ..models import Campaign, TrackedLink

_SALT = "mailing.link"
# Paths of our own subscription pages, never counted as clicks.
_SUBSCRIPTION_PATHS = ("/lettre/desabonnement/", "/lettre/preferences/")

_ANCHOR = re.compile(
    r"""<a\b(?P<before>[^>]*?)\bhref\s*=\s*(?P<quote>["'])(?P<href>.*?)(?P=quote)"""
    r"""(?P<after>[^>]*)>(?P<inner>.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
# In the text part links are written "label : https://…" (newsletter/email_text.link_line).
_TEXT_URL = re.compile(r"https?://[^\s<>\"»]+")
_TAG = re.compile(r"<[^>]+>")
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


CLICK_WINDOW_SECONDS = 3600


def first_click_of_client(link_id: int, ip: str, user_agent: str) -> bool:
    """True the first time in CLICK_WINDOW_SECONDS that this client (a keyed hash of its IP and
    user agent: CLICK_HASH_KEY, else SECRET_KEY) follows this link; so that one client cannot
    inflate a count. Only the hash is kept, in the cache, and only for that hour."""
    secret = settings.CLICK_HASH_KEY or settings.SECRET_KEY
    client = salted_hmac("mailing.click", f"{ip}|{user_agent}", secret=secret, algorithm="sha256")
    key = f"click:{link_id}:{client.hexdigest()[:32]}"
    return cache.add(key, 1, timeout=CLICK_WINDOW_SECONDS)


def link_token(campaign_id: int, position: int) -> str:
    """Short and signed, so that nobody can forge counts or make us redirect elsewhere."""
    return signing.Signer(salt=_SALT).sign(f"{campaign_id}.{position}")


def read_token(token: str) -> tuple[int, int] | None:
    try:
        campaign_id, position = signing.Signer(salt=_SALT).unsign(token).split(".")
        return int(campaign_id), int(position)
    except (signing.BadSignature, ValueError):
        return None


def tracked_url(campaign_id: int, position: int) -> str:
    return settings.SITE_URL + reverse("mailing:link", args=[link_token(campaign_id, position)])


def is_tracked(url: str) -> bool:
    """A content link: http(s), not a placeholder personalised per recipient afterwards (any
    `.invalid` host, as the unsubscribe one), not a subscription page, not already tracked."""
    try:
        parts = urlsplit(url)
    except ValueError:  # malformed (e.g. a broken IPv6 host): left as the editor wrote it
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname.endswith(".invalid"):
        return False
    own = url.startswith(settings.SITE_URL + "/")
    path = url[len(settings.SITE_URL) :] if own else ""
    return not (own and path.startswith((*_SUBSCRIPTION_PATHS, "/lettre/l/")))


def _label(inner: str) -> str:
    """The link's visible text, or the alt text of the image it wraps."""
    text = " ".join(html.unescape(_TAG.sub(" ", inner)).split())
    if not text:
        alt = _ALT.search(inner)
        text = " ".join(html.unescape(alt.group(2)).split()) if alt else ""
    return text[:300]


def track_links(campaign: Campaign) -> list[TrackedLink]:
    """Rewrite the campaign's frozen HTML and text once, and record its links (positions in the
    order of the HTML). The text part's links count for the first place the HTML shows the same
    address (one row per visible link in the report); a text-only address gets its own."""
    links: list[TrackedLink] = []
    first_position: dict[str, int] = {}

    def add(url: str, label: str) -> str:
        position = len(links) + 1
        links.append(TrackedLink(campaign=campaign, position=position, url=url, label=label))
        first_position.setdefault(url, position)
        return tracked_url(campaign.pk, position)

    def rewrite_anchor(match: re.Match) -> str:
        url = html.unescape(match["href"]).strip()
        label = _label(match["inner"])
        if not is_tracked(url) or len(url) > 2000 or looks_like_address(label):
            # A link that shows its address keeps it: text showing one site and a target on
            # another is what phishing looks like to readers and filters.
            return match[0]
        new = add(url, label)
        quote = match["quote"]
        return f"<a{match['before']}href={quote}{new}{quote}{match['after']}>{match['inner']}</a>"

    def rewrite_text(match: re.Match) -> str:
        url = match[0].rstrip(".,;:!?)")
        if not is_tracked(url) or len(url) > 2000:
            return match[0]
        line_start = match.string.rfind("\n", 0, match.start()) + 1
        label = match.string[line_start : match.start()].strip().rstrip(":").strip()
        position = first_position.get(url)
        new = tracked_url(campaign.pk, position) if position else add(url, label[:300])
        return new + match[0][len(url) :]

    html_part = _ANCHOR.sub(rewrite_anchor, campaign.html)
    text_part = _TEXT_URL.sub(rewrite_text, campaign.text)
    TrackedLink.objects.bulk_create(links)
    Campaign.objects.filter(pk=campaign.pk).update(html=html_part, text=text_part)
    campaign.html, campaign.text = html_part, text_part
    return links
