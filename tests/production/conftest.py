"""The production-topology tier: the site as it runs in production, booted for real.

One fresh PostgreSQL database, Redis, moto_server (SES and S3 media), gunicorn (2 workers, the
production settings) behind nginx terminating TLS, the task worker and the scheduler, all on
127.0.0.1. Tests talk to https://127.0.0.1:<port> like visitors do (Playwright, or plain HTTP
from any 127.x.y.z source address), and read mail from moto_server.

Started once for the tests of this folder (package scope) and stopped at its end, failures
included; the database is dropped. Skipped on SQLite: production settings refuse it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest

from tests.production.topology import Topology, nginx_executable

HERE = Path(__file__).resolve().parent
TEMPLATE_PREFIX = "renouveau_prod_template_"


def _is_ours(item) -> bool:
    return HERE in Path(str(item.fspath)).resolve().parents


def pytest_itemcollected(item):
    if _is_ours(item):
        item.add_marker(pytest.mark.production)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the tier last and in one block: pytest-playwright's browser parameter groups its
    browser tests with tests/e2e/, and the deployment (package scope) would boot twice."""
    ours = [item for item in items if _is_ours(item)]
    chosen = set(map(id, ours))
    items[:] = [item for item in items if id(item) not in chosen] + ours


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


@pytest.fixture(scope="package")
def production(moto_server, redis_server):
    """The running deployment (a `Topology`): `.site_url`, `.shell(code)`, `.manage(...)`."""
    base_url = _postgres_url()
    if base_url is None:
        pytest.skip(
            "production-topology tier needs PostgreSQL (set DATABASE_URL=postgres://…): "
            "the production settings refuse SQLite"
        )
    nginx = nginx_executable()
    if nginx is None:
        pytest.fail("nginx is not installed (`make nginx` installs Debian's nginx)")

    tmp = Path(tempfile.mkdtemp(prefix="renouveau-prod-"))
    (tmp / "media").mkdir()
    database = f"renouveau_prod_{os.getpid()}"
    bucket = f"renouveau-prod-{os.getpid()}"
    redis_url = redis_server.url(7)  # the suite's own Redis, emptied

    template = _migrated_template_name()
    with _admin_connection(base_url) as conn:
        # Databases left by runs that were killed (their process is gone).
        for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname ~ '^renouveau_prod_[0-9]+$'"
        ).fetchall():
            if not Path(f"/proc/{name.rsplit('_', 1)[1]}").exists() or name == database:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = (
            template
            and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        )
        if exists:
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{database}"')
    moto_server.reset()
    boto3.client("s3", endpoint_url=moto_server.url, region_name="eu-west-3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )

    topology = Topology(
        tmp=tmp,
        database_url=_with_database(base_url, database),
        redis_url=redis_url,
        moto_environ=moto_server.environ(),
        moto_url=moto_server.url,
        bucket=bucket,
    )
    try:
        from django.conf import settings  # the same base settings as the deployment's

        moto_server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        # The Procfile's release step, as operators run it (`honcho start release`): npm
        # packages, collectstatic into this deployment's STATIC_ROOT, migrate, the Site record.
        # The web processes refuse to start before it. Then the web front (gunicorn behind
        # nginx) and the worker, each the Procfile's line; the bucket's public-read policy on
        # public/ (DEPLOY.md) and the demo content go through the tests' shell process
        # (call_command: on a busy machine every Django start costs 10-40 s).
        topology.release()
        if template and not exists and _migrated_template_name() == template:
            _save_template(base_url, database, template)
        topology.start_nodes()
        topology.start_nginx(nginx)
        topology.call_command("s3_public_media")
        topology.call_command("load_demo_content", verbosity=0)
        topology.call_command("sync_site_url")
        topology.wait_until_healthy()
    except BaseException as error:
        topology.stop()
        logs = topology.logs()
        _drop(base_url, database)
        if isinstance(error, Exception):
            pytest.fail(f"the production topology did not start: {error}\n{logs}", pytrace=False)
        raise
    try:
        yield topology
    finally:
        topology.stop()
        _drop(base_url, database)
        if os.environ.get("PRODUCTION_TESTS_KEEP_LOGS"):
            print(f"production-topology logs kept in {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="package")
def scheduler(production):
    """The Procfile's scheduler (`honcho start scheduler`), the deployment's first: it leads."""
    process = production.start_procfile("scheduler", "scheduler")
    wait_for_scheduler(process, " leads: ")
    return process


def wait_for_scheduler(process, text: str, timeout: float = 60) -> float:
    """Wait until the scheduler's log shows `text`; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if text in process.log.read_text(errors="replace"):
            return time.monotonic() - started
        if not process.alive():
            pytest.fail(f"run_scheduler exited:\n{process.log.read_text()[-6000:]}", pytrace=False)
        time.sleep(0.2)
    pytest.fail(f"the scheduler never said {text!r}:\n{process.log.read_text()[-6000:]}")


def _migrated_template_name() -> str | None:
    """The name of a migrated, empty database to copy, for this set of migrations and packages.

    `migrate` from nothing takes about a minute on PostgreSQL; the first run of a set of
    migrations does it and keeps the result as a template (one per set: older ones are
    dropped), later runs copy it and `migrate` only checks. PRODUCTION_TESTS_TEMPLATE=0 always
    migrates from nothing."""
    if os.environ.get("PRODUCTION_TESTS_TEMPLATE", "1") == "0":
        return None
    digest = hashlib.sha256()
    root = HERE.parents[1]
    files = sorted(root.glob("*/migrations/*.py")) + sorted(root.glob("site/*/migrations/*.py"))
    for path in [root / "requirements.lock", *files]:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return f"{TEMPLATE_PREFIX}{digest.hexdigest()[:16]}"


def _save_template(base_url: str, database: str, template: str) -> None:
    import psycopg

    try:
        with _admin_connection(base_url) as conn:
            stale = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (TEMPLATE_PREFIX + "%",)
            ).fetchall()
            for (name,) in stale:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{database}"')
    except psycopg.Error as error:  # only a cache: another run may be making it too
        print(f"could not keep the migrated database as {template}: {error}")


def _drop(base_url: str, database: str) -> None:
    try:
        with _admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    except Exception as error:  # noqa: BLE001 (cleanup must not hide the test's outcome)
        print(f"could not drop {database}: {error}")


@pytest.fixture
def site_url(production) -> str:
    return production.site_url


@pytest.fixture
def visitor(new_context):
    """A new cookieless browser for each call: `page = visitor()`."""

    def make():
        context = new_context(ignore_https_errors=True)
        return context.new_page()

    return make
