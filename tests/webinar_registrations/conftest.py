import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def webinar_index(home_page):
    from tests.factories import WebinarIndexPageFactory

    return WebinarIndexPageFactory(parent=home_page)


@pytest.fixture
def make_webinar(webinar_index):
    """A published webinar (in a week, two hours long unless `start` is given)."""
    from tests.factories import WebinarPageFactory

    def make(**fields):
        if "start" in fields and "end" not in fields:
            fields["end"] = fields["start"] + datetime.timedelta(hours=2)
        return WebinarPageFactory(parent=webinar_index, **fields)

    return make


@pytest.fixture
def webinar(make_webinar):
    return make_webinar(title="Rénover une cité minière : la méthode")


def in_hours(hours: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)
