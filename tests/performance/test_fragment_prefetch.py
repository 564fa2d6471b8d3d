"""The first request after a publish of a page reads the fragments it used last time ahead, in
one round trip, with what checking them needs (renouveau/page_cache.py Render.prefetch),
against a real Redis: a web process that has no copy of them (another worker) pays a few
round trips, not two per fragment; and what the publish made stale is still rebuilt."""

from renouveau import fragments
from tests.factories import CitiesIndexPageFactory, CityPageFactory
from tests.redis_server import command_calls


def reads(redis_cache) -> int:
    return command_calls(redis_cache, "get") + command_calls(redis_cache, "mget")


def test_a_page_s_fragments_are_read_ahead_after_its_publish(db, redis_cache, home_page, client):
    index = CitiesIndexPageFactory(parent=home_page, show_in_menus=True)
    city = CityPageFactory(parent=index, title="Cité des Alouettes")
    client.get(city.url)  # its renditions are made (a change: not stored)
    assert client.get(city.url)["X-Page-Cache"] == "miss"
    used = len(redis_cache.keys("*fragment*"))
    assert used >= 5  # site, route, menu, breadcrumb, footer…

    city.title = "Cité des Alouettes rénovée"
    city.save_revision().publish()
    fragments._local.clear()  # as in the other web process: no copy of them here
    before = reads(redis_cache)
    response = client.get(city.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Cité des Alouettes rénovée" in response.content.decode()
    # The generation (twice), the stale page, the fragments together, the change record, the
    # versions of what is too old for records, the site's root paths (Wagtail), renditions:
    # a fixed number, whatever the number of fragments.
    assert reads(redis_cache) - before < used
    assert client.get(city.url)["X-Page-Cache"] == "hit"


def test_a_fragment_read_ahead_is_rebuilt_when_the_publish_made_it_stale(
    db, redis_cache, home_page, client
):
    index = CitiesIndexPageFactory(parent=home_page, show_in_menus=True, title="Les cités")
    city = CityPageFactory(parent=index)
    client.get(city.url)
    client.get(city.url)
    index.title = "Toutes les cités"  # shown in the menu and the breadcrumb of the cité
    index.save_revision().publish()
    fragments._local.clear()
    html = client.get(city.url).content.decode()
    assert "Toutes les cités" in html and "Les cités" not in html
