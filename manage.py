#!/usr/bin/env python
"""Django's command-line utility for the Renouveau du Bassin Minier site."""

import os
import sys
from pathlib import Path

# `site` is a standard-library module name, so the project package lives in site/renouveau/
# and site/ is put on the import path here (and in wsgi/asgi and pytest's pythonpath).
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
