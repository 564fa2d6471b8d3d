"""Demo content step of the search app: bring the search index up to date.

Page saves only enqueue indexing tasks (run by `db_worker`); the search app's loader runs
last (INSTALLED_APPS order), so indexing here makes every demo page findable at once, even
before a worker has started.
"""

import io

from django.core.management import call_command

from renouveau.models import HomePage


def load(home: HomePage) -> None:
    call_command("update_index", stdout=io.StringIO())
