"""Shared fixtures: a real moto_server for SES, a Redis server, the page tree, the browser."""

import os
from pathlib import Path

import pytest

from tests.moto import MotoServer, apply_environ
from tests.redis_server import RedisServer, redis_executable


def _flushes_the_database(item) -> bool:
    """A transactional test (browser tests through the live server among them) empties every
    table when it ends, including what migrations created (the groups, Wagtail's root page)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Every test that flushes the database runs after the ones that read what migrations
    created (in collection order otherwise): a browser test placed earlier left the later
    admin tests without their groups or root page."""
    items.sort(key=_flushes_the_database)


ROOT = Path(__file__).resolve().parent.parent

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def moto_server():
    """One moto_server for the session; boto3 (and any worker subprocess) talks to it over HTTP."""
    server = MotoServer()
    previous = {key: os.environ.get(key) for key in server.environ()}
    apply_environ(server)
    # Django's test set-up swaps the mail backend for an in-memory one; the site's real path
    # (SES through boto3) is what the tests exercise, against this server.
    from django.conf import settings

    settings.EMAIL_BACKEND = "renouveau.mail.SESBackend"
    yield server
    server.stop()
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def redis_server():
    """A Redis of the suite's own (`.url(db)` gives an emptied database's address)."""
    executable = redis_executable()
    if executable is None:
        pytest.fail("redis-server is not installed (`make redis` installs Debian's redis-server)")
    server = RedisServer(executable)
    yield server
    server.stop()


@pytest.fixture
def ses(moto_server, settings):
    """A clean SES outbox with the site's sender verified; `ses.messages()` reads it back."""
    from email.utils import parseaddr

    moto_server.reset()
    moto_server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    return moto_server


@pytest.fixture
def s3_media(settings, moto_server):
    """Media and documents in a fresh bucket of moto's S3, configured as production does
    (settings/base.py with MEDIA_STORAGE=s3): public media under public/, documents under
    private/. Returns the bucket name."""
    import uuid

    import boto3
    from django.core.management import call_command

    bucket = f"renouveau-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", region_name=settings.AWS_REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.AWS_REGION}
    )
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    # The deploy step of DEPLOY.md: anyone may read public/, nobody private/ (moto enforces
    # bucket policies for anonymous requests).
    call_command("s3_public_media", verbosity=0)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"location": "public", "querystring_auth": False},
        },
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"location": "private", "querystring_auth": True, "custom_domain": None},
        },
    }
    return bucket


@pytest.fixture(scope="session")
def sns_server():
    """Our own SNS stand-in: a certificate served over local HTTP (tests/sns.py)."""
    from tests.sns import SNSTestServer

    server = SNSTestServer()
    yield server
    server.stop()


@pytest.fixture
def sns(sns_server, settings):
    """Signs SNS messages that renouveau.sns accepts: `sns.notification(payload)`."""
    from renouveau.sns import clear_certificate_cache

    sns_server.apply(settings)
    sns_server.reset()
    clear_certificate_cache()
    yield sns_server
    clear_certificate_cache()


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once (django_tasks' own immediate backend) instead of a worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }


@pytest.fixture
def home_page(db):
    """The site's home page and default site, the root of every tree the tests build."""
    from tests.pages import site_home_page  # after Django's set-up (it imports models)

    return site_home_page()


# --- Browser (Playwright driving Debian's chromium) ---------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}
