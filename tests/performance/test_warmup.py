"""Issue 32 item 3: the master's warm-up renders the site's pages through the real WSGI
application, closes its database connections before the workers fork, and never stops the
start on an error."""

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection

from renouveau import warmup
from renouveau.demo import child_page
from renouveau.models import StandardPage


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_renders_each_page_type_then_closes_the_connection(home_page):
    child_page(home_page, StandardPage, slug="programme", title="Le programme")
    application = get_wsgi_application()
    assert warmup._get(application, "/programme/", warmup._host()) == 200
    assert "/programme/" in warmup._paths()
    # The home page and the page of each type that has one.
    assert warmup.warm_up(application) >= 2
    assert connection.connection is None  # a forked worker opens its own
    warmup.connect()
    assert connection.connection is not None


@pytest.mark.django_db(transaction=True)
def test_a_failing_warm_up_stops_quietly_and_the_site_starts(home_page):
    def broken(environ, start_response):
        raise RuntimeError("template missing")

    assert warmup.warm_up(broken) == 0  # logged, not raised
    assert connection.connection is None
