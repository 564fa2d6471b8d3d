"""Issue 32: the master's warm-up (gunicorn_conf.py, preload) loads code and templates only. It
never reads the database, so a master started before the content existed (a first deploy: the
production tier boots its web nodes before loading the demo) hands its workers nothing stale."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from renouveau import warmup


def _compiled_names() -> set[str]:
    """Templates the cached loader (production's, DEBUG off) holds compiled in this process."""
    loader = engines["django"].engine.template_loaders[0]
    return {key.split("-")[0] for key in loader.get_template_cache}


@pytest.mark.django_db
def test_the_warm_up_compiles_templates_and_imports_views_without_a_query():
    engines["django"].engine.template_loaders[0].reset()
    with CaptureQueriesContext(connection) as queries:
        counts = warmup.load_code()
    assert len(queries) == 0
    assert counts["modules"] > 100  # every app's views, blocks, hooks…
    assert counts["templates"] > 300  # ours and Wagtail's
    assert counts["failed"] <= 2
    assert {"base.html", "cites_pages/city_page.html", "wagtailadmin/base.html"} <= (
        _compiled_names()
    )


def test_a_query_during_the_warm_up_is_refused(django_db_blocker):
    """The guard itself: a template tag or a module that read content at load time would be
    refused (and logged), not silently kept in the master."""
    with (
        django_db_blocker.unblock(),
        connection.execute_wrapper(warmup._refuse),
        pytest.raises(warmup.QueryRefused),
    ):
        connection.cursor().execute("SELECT 1")
