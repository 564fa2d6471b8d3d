"""One Django site measured in its own process and virtualenv (bench/vs_bakerydemo.py starts one
for this site and one for bakerydemo). Imports nothing of this project: it runs in bakerydemo's
virtualenv too.

    python page_worker.py SETTINGS_MODULE [SETUP_COMMAND ...]

Reads one command per line on stdin, answers one JSON line on stdout:
    measure URL N   -> {"queries": q, "ms": [N wall-clock times of a full request]}
    url MODEL       -> {"url": "/path/"} of the first live page of app_label.Model
    publish PATH    -> {"ms": t} publishes the live page served at PATH again (a new revision)
"""

import json
import os
import sys
import time

ANSWERS = sys.stdout  # the JSON channel; anything else printed goes to stderr
sys.stdout = sys.stderr
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1]
sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
if len(sys.argv) > 2:
    for command in sys.argv[2].split(","):
        options = {"interactive": False} if command in ("migrate", "collectstatic") else {}
        call_command(command, verbosity=0, **options)

client = Client()


def measure(url: str, rounds: int) -> dict:
    response = client.get(url)  # warm-up (and fragments built)
    if response.status_code != 200:
        return {"error": f"{url}: HTTP {response.status_code}"}
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return {"queries": len(executed), "ms": times}


def first_url(label: str) -> dict:
    model = apps.get_model(label)
    page = model.objects.live().order_by("path").first()
    return {"url": page.url if page else None}


def publish(path: str) -> dict:
    """Publish the page at `path` again, as an editor's « Publier » does (signals included)."""
    from wagtail.models import Page

    page = next((p for p in Page.objects.live().specific() if p.url and p.url.endswith(path)), None)
    if page is None:
        return {"error": f"no live page at {path}"}
    start = time.perf_counter()
    page.save_revision().publish()
    return {"ms": (time.perf_counter() - start) * 1000}


print(json.dumps({"ready": True, "django": django.get_version()}), file=ANSWERS, flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    if parts[0] == "measure":
        answer = measure(parts[1], int(parts[2]))
    elif parts[0] == "url":
        answer = first_url(parts[1])
    elif parts[0] == "publish":
        answer = publish(parts[1])
    else:
        answer = {"error": f"unknown command {parts[0]}"}
    print(json.dumps(answer), file=ANSWERS, flush=True)
