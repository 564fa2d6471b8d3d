"""Issue 32: the master's warm-up (gunicorn_conf.py, preload) loads code and templates only. It
never reads the database, so a master started before the content existed (a first deploy: the
production tier boots its web nodes before loading the demo) hands its workers nothing stale."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from wagtail.blocks.base import BlockWidget

from renouveau import editor_blocks, warmup
from tests.factories import NewsPageFactory


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


@pytest.mark.django_db
def test_after_the_warm_up_an_edit_view_packs_no_block_definition(
    admin_client, home_page, monkeypatch
):
    """The block definitions (editor_blocks) are packed in the master, in the editors' language,
    without a query: a worker's first edit view finds them."""
    news = NewsPageFactory(parent=home_page)
    editor_blocks._PACKED.clear()  # as in a fresh master
    # The master closes its connections for its workers to open their own; the test's stays.
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    with CaptureQueriesContext(connection) as queries:
        counts = warmup.load_code()
    assert len(queries) == 0
    assert counts["block trees"] >= 10  # every page type's and snippet's StreamFields
    packings = []
    pack = BlockWidget._build_block_json  # Wagtail's packing of a block tree, counted
    monkeypatch.setattr(BlockWidget, "_build_block_json", lambda w: (packings.append(w), pack(w)))

    response = admin_client.get(f"/admin/pages/{news.pk}/edit/")

    assert response.status_code == 200
    assert "Texte alternatif" in response.content.decode()  # the body's definition is there
    assert packings == []
