"""What every benchmark starts with: this project on the path and Django set up with the test
settings, production-like (DEBUG off, cached templates, the anonymous page cache off so that
every request really renders), on a throw-away SQLite database unless DATABASE_URL is set."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str) -> Path:
    """Set Django up for the benchmark `name`; returns its temporary folder (database, media)."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    tmp = Path(tempfile.mkdtemp(prefix=f"renouveau-bench-{name}-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")

    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = tmp / "media"
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the anonymous page cache
    return tmp
