"""Each web process keeps copies of the cached pages it served (renouveau/page_cache.py): while
nothing changed, a cached page costs one Redis read (the content generation), not two plus the
unpickling of the page; a change is seen at once, and the copies stay within their budget."""

from renouveau import page_cache
from tests.factories import CityPageFactory
from tests.redis_server import command_calls


def first_visit(client, url: str) -> str:
    """The page's first requests: the first one makes its image renditions (a change: that
    render is not stored); then it is stored. Returns the cache state of the last one."""
    client.get(url)
    return client.get(url)["X-Page-Cache"]


def test_a_cached_page_is_served_from_the_process_copy_until_something_changes(
    db, redis_cache, home_page, client
):
    city = CityPageFactory(parent=home_page, title="Cité des Alouettes")
    assert first_visit(client, city.url) == "miss"
    gets = command_calls(redis_cache, "get")
    response = client.get(city.url)
    assert response["X-Page-Cache"] == "hit"
    assert command_calls(redis_cache, "get") - gets == 1  # the generation only
    assert "Cité des Alouettes" in response.content.decode()

    city.title = "Cité des Alouettes rénovée"
    city.save_revision().publish()
    response = client.get(city.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Cité des Alouettes rénovée" in response.content.decode()


def test_a_copy_stored_by_another_process_is_checked_in_the_shared_cache(
    db, redis_cache, home_page, client
):
    """Another web process changed something: this one's copy is stamped with an older
    generation, so the shared entry decides (here: a change of what the page does not show
    leaves it valid)."""
    city = CityPageFactory(parent=home_page, title="Cité Lavoisier")
    first_visit(client, city.url)
    page_cache.content_changed({"o:wagtailimages.image:999999"})
    gets = command_calls(redis_cache, "get")
    assert client.get(city.url)["X-Page-Cache"] == "hit"
    assert command_calls(redis_cache, "get") - gets == 2  # the generation, then the entry


def test_the_copies_stay_within_their_budget(db, redis_cache, home_page, client, monkeypatch):
    cites = [CityPageFactory(parent=home_page, title=f"Cité {n}") for n in range(4)]
    first_visit(client, cites[0].url)
    one_page = page_cache._local_bytes
    monkeypatch.setattr(page_cache, "LOCAL_MAX_BYTES", int(one_page * 2.5))
    for city in cites[1:]:
        first_visit(client, city.url)
    assert page_cache._local_bytes <= page_cache.LOCAL_MAX_BYTES
    assert len(page_cache._local) == 2  # the two most recent
    # The oldest copy gone, its page is still served from the shared cache.
    assert client.get(cites[0].url)["X-Page-Cache"] == "hit"
