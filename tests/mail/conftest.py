"""Fixtures of the mail tests: those of the webinar and document tests, shared."""

from tests.documents.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    inbound,
    library,
    make_document,
    referentiel,
)
from tests.newsletter.conftest import issue, legal_notice  # noqa: F401, E402
from tests.webinar_registrations.conftest import make_webinar, webinar, webinar_index  # noqa: F401
