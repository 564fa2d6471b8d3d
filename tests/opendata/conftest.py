# The same set-up as the works tests: a fresh cache around each test and the demo trackers.
from tests.works.conftest import _fresh_cache, demo  # noqa: F401
