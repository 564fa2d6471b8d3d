"""The sitemap of Wagtail's live public pages, without those whose expiry date has passed:
an expired page leaves it at once, not at the scheduler's next run (which unpublishes it)."""

from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap


class UnexpiredSitemap(Sitemap):
    def items(self):
        return super().items().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))


SITEMAPS = {"wagtail": UnexpiredSitemap}
