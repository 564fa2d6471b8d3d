# The same set-up as the works tests: a fresh cache around each test and the tracked cités.
from tests.works.conftest import _fresh_cache, tracked  # noqa: F401
