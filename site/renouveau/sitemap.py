"""The sitemap of Wagtail's live public pages, without those whose expiry date has passed:
an expired page leaves it at once, not at the scheduler's next run (which unpublishes it)."""

from wagtail.contrib.sitemaps import Sitemap

from .visibility import unexpired_q


class UnexpiredSitemap(Sitemap):
    def items(self):
        return super().items().filter(unexpired_q())


SITEMAPS = {"wagtail": UnexpiredSitemap}
