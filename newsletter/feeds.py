"""RSS feed of the letter's issues (served by the archive page at `rss/`)."""

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from .email_context import page_url


class IssuesFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "La lettre de l'Engagement pour le Renouveau du Bassin Minier."

    def __init__(self, index: Any) -> None:
        super().__init__()
        self.index = index

    def title(self) -> str:
        return f"{self.index.title} — Renouveau du Bassin Minier"

    def link(self) -> str:
        return page_url(self.index)

    def items(self):
        return self.index.issues()[:30]

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return item.get_teaser_text()

    def item_link(self, item: Any) -> str:
        return page_url(item)

    def item_pubdate(self, item: Any):
        return timezone.make_aware(datetime.combine(item.issue_date, time(9)))
