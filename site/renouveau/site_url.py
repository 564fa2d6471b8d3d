"""One public address for every absolute URL: SITE_URL, and the Wagtail Site record kept in line.

Wagtail builds absolute page URLs (`get_full_url`, sitemap, feeds) from the default Site's
hostname and port; mails, feeds and exports build theirs from SITE_URL. Both must name the
address visitors use, so the Site record is derived from SITE_URL at every deploy
(`manage.py sync_site_url`, also run after `migrate` and by the demo loader).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def site_address() -> tuple[str, int]:
    """(hostname, port) of SITE_URL; the port is the scheme's default when none is given."""
    parts = urlsplit(settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def sync_site_record() -> bool:
    """Point the default Wagtail Site at SITE_URL. Returns True when the record changed."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()  # Site.save() clears Wagtail's cached site root paths
    return True


def canonical_root_url(root_url: str) -> str:
    """SITE_URL when `root_url` names the same host and port (Wagtail only says https for port
    443, so https://host:8443 would come out as http://host:8443); `root_url` otherwise."""
    parts = urlsplit(root_url)
    hostname, port = site_address()
    default_port = 443 if parts.scheme == "https" else 80
    if (parts.hostname, parts.port or default_port) == (hostname, port):
        return settings.SITE_URL
    return root_url
