"""The vocabulary of « Vouliez-vous dire … ? » is built by a background task after a publication
(issue 30): a visitor's search reads the last one built and never waits for a build.

Transactional tests: the rebuild is enqueued when the publication commits."""

import pytest
from django.db import transaction

from search import vocabulary
from search.models import Vocabulary
from search.tasks import rebuild_vocabulary
from tests.factories import StandardPageFactory
from tests.pages import site_home_page


@pytest.fixture
def home(transactional_db):
    return site_home_page()


def publish(parent, title: str) -> None:
    StandardPageFactory(parent=parent, slug=title.lower().replace(" ", "-"), title=title)


def suggestion(words: str) -> list[str] | None:
    return vocabulary.correction(words.split())


def test_a_publication_rebuilds_the_vocabulary_once_per_transaction(home, immediate_tasks):
    publish(home, "Le chevalement de la fosse")
    assert suggestion("chevalemnt") == ["chevalement"]
    first = Vocabulary.objects.get()

    with transaction.atomic():
        publish(home, "Les corons du terril")
        publish(home, "La lampisterie restaurée")
    latest = Vocabulary.objects.get()  # replaced, not piled up
    assert latest.pk == first.pk + 1  # two pages published, one rebuild
    assert suggestion("lampistrie") == ["lampisterie"]
    assert suggestion("chevalemnt") == ["chevalement"]


def test_a_search_uses_the_last_vocabulary_built_until_the_worker_has_run(home):
    # The test settings' database task backend: enqueued tasks wait for a worker.
    publish(home, "Le chevalement de la fosse")
    assert suggestion("chevalemnt") == ["chevalement"]  # a site without any: built once here
    built = Vocabulary.objects.get()

    publish(home, "La lampisterie restaurée")
    assert suggestion("lampistrie") is None  # the search does not build it itself
    assert Vocabulary.objects.get() == built

    assert rebuild_vocabulary.call() > 0  # as the worker runs it
    assert suggestion("lampistrie") == ["lampisterie"]
