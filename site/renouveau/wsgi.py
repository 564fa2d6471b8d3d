"""WSGI entry point, e.g. `gunicorn --pythonpath site renouveau.wsgi` from the repository root."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # site/
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from renouveau.release import refuse_unreleased  # noqa: E402

refuse_unreleased()  # production: no serving before the release step (renouveau/release.py)
