"""Background work of the search app (django tasks, run by `db_worker` as the other tasks)."""

from django.db import transaction
from django_tasks import task

from . import vocabulary


@task()
def rebuild_vocabulary() -> int:
    """After a publication: the words of the site, for « Vouliez-vous dire … ? »."""
    return len(vocabulary.rebuild())


def _enqueue_rebuild() -> None:
    rebuild_vocabulary.enqueue()


def rebuild_vocabulary_after_commit(**_kwargs) -> None:
    """Signal receiver (a page published or unpublished): one rebuild enqueued when the
    transaction commits, however many pages it publishes, so that the worker reads them."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _enqueue_rebuild for _, callback, _ in pending):
        transaction.on_commit(_enqueue_rebuild)
