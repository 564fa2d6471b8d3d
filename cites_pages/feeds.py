"""RSS 2.0 and Atom feeds of the news (Django's syndication framework)."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from renouveau.visibility import public_live

from .models import NewsIndexPage, NewsPage

FEED_LENGTH = 20


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "fr"

    def __init__(self, index: NewsIndexPage):
        super().__init__()
        self.index = index

    def get_object(self, request: HttpRequest, *args, **kwargs) -> NewsIndexPage:
        self.request = request
        return self.index

    def title(self, index: NewsIndexPage) -> str:
        return f"{index.title} — Renouveau du Bassin Minier"

    def link(self, index: NewsIndexPage) -> str:
        return index.get_full_url(self.request)

    def description(self, index: NewsIndexPage) -> str:
        return index.intro or "Les actualités du Renouveau du Bassin Minier."

    def items(self, index: NewsIndexPage):
        return (
            public_live(NewsPage.objects)
            .public()
            .descendant_of(index)
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: NewsPage) -> str:
        return item.title

    def item_description(self, item: NewsPage) -> str:
        return item.get_teaser_text()

    def item_link(self, item: NewsPage) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: NewsPage) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item: NewsPage) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9)))

    def item_updateddate(self, item: NewsPage) -> datetime.datetime | None:
        return item.last_published_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
