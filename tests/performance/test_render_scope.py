"""A page rendered for the page cache stores its fragments together, and checks those built
before a change against the change's record (renouveau/page_cache.py Render, fragments.py),
against a real Redis as in production: the promises are still « a change makes stale what shows
it, nothing else », in fewer round trips."""

from renouveau import cache_tags, fragments
from renouveau.page_cache import CHANGES_KEY, _rendering, content_changed, current_generation
from tests.factories import CitiesIndexPageFactory, CityPageFactory
from tests.redis_server import command_calls as commands


def _title_fragment(page_pk: int) -> str:
    from wagtail.models import Page

    return fragments.cached("test-title", lambda: Page.objects.get(pk=page_pk).title, None, page_pk)


def test_fragments_built_in_a_render_are_stored_together_at_its_end(db, redis_cache, home_page):
    cites = [CityPageFactory(parent=home_page, title=f"Cité {n}") for n in range(5)]
    with _rendering(current_generation()) as render:
        titles = [_title_fragment(city.pk) for city in cites]
        assert titles == [f"Cité {n}" for n in range(5)]
        assert render.built and not redis_cache.keys("*fragment*")  # nothing stored yet
        assert _title_fragment(cites[0].pk) == "Cité 0"  # used twice, built once
        writes = commands(redis_cache, "set") + commands(redis_cache, "mset")
        render.finish()
    assert len(redis_cache.keys("*fragment*test-title*")) == 5
    # One pipeline for the five (MSET), not a SET each.
    assert commands(redis_cache, "set") + commands(redis_cache, "mset") - writes == 1


def test_a_change_during_the_render_keeps_its_fragments_out_of_the_cache(
    db, redis_cache, home_page
):
    city = CityPageFactory(parent=home_page, title="Cité des Provinces")
    with _rendering(current_generation()) as render:
        _title_fragment(city.pk)
        content_changed({cache_tags.object_tag(type(city), city.pk)})  # a publish meanwhile
        render.finish()
    assert not redis_cache.keys("*fragment*")


def test_an_entry_is_checked_against_the_change_records_and_rebuilt_when_it_shows_the_change(
    db, redis_cache, home_page
):
    index = CitiesIndexPageFactory(parent=home_page)
    shown, other = CityPageFactory(parent=index, title="Cité 9"), CityPageFactory(parent=index)
    with _rendering(current_generation()) as render:
        _title_fragment(shown.pk)
        render.finish()
    # A change elsewhere: the entry holds, read through one record, no version read of its own.
    content_changed({cache_tags.object_tag(type(other), other.pk)})
    mgets = commands(redis_cache, "mget")
    with _rendering(current_generation()) as render:
        assert _title_fragment(shown.pk) == "Cité 9"
        assert not render.built
    assert commands(redis_cache, "mget") - mgets == 1  # the change record
    # A change of what it shows: rebuilt.
    shown.title = "Cité 9 bis"
    shown.save_revision().publish()
    with _rendering(current_generation()) as render:
        assert _title_fragment(shown.pk) == "Cité 9 bis"
        render.finish()


def test_without_the_change_records_entries_check_their_own_versions(db, redis_cache, home_page):
    """A record evicted (or not written yet when read): the entry's tag versions decide."""
    city = CityPageFactory(parent=home_page, title="Cité 12")
    with _rendering(current_generation()) as render:
        _title_fragment(city.pk)
        render.finish()
    city.title = "Cité 12 rénovée"
    city.save_revision().publish()
    for key in redis_cache.keys("*" + CHANGES_KEY.format("*")):
        redis_cache.delete(key)
    fragments._local.clear()
    with _rendering(current_generation()):
        assert _title_fragment(city.pk) == "Cité 12 rénovée"
