"""What the fault runs of bench/send_faults.py start and read: the settings and environment of
their processes, workers supervised as systemd would (Restart=always), the fault proxy in front
of moto_server's SES, a Redis of their own, and what SES received."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = int(os.environ.get("FAULT_RECIPIENTS", "20000"))
TIMEOUT = float(os.environ.get("FAULT_TIMEOUT", "1200"))
PG = os.environ.get("FAULT_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/12")
# A worker is killed only once it has been up for WORKER_BOOT seconds (Django's start-up takes
# seconds, many more on a busy machine).
WORKER_BOOT = float(os.environ.get("FAULT_WORKER_BOOT", "15"))
SETTINGS = """
from renouveau.settings.test import *  # noqa: F403

MAILING_WATCHDOG_SECONDS = 5
"""


def child_env(
    backend: str, database: str, tmp: Path, extra: dict[str, str], redis_url: str = REDIS_URL
) -> dict[str, str]:
    """The environment of the workers and the scheduler: the test settings on this run's own
    database and task backend."""
    env = {
        **os.environ,
        **extra,
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "site"), str(ROOT)]),
        "DATABASE_URL": f"{PG}/{database}",
        "MEDIA_ROOT": str(tmp / "media"),
        "MAILING_MAX_SEND_RATE": "0",
        "MAILING_STALL_SECONDS": "20",
        "MAILING_CLAIM_LEASE_SECONDS": "120",
        "MAILING_DB_RETRY_SECONDS": "120",
        "TASKS_BACKEND": "rq" if backend == "rq" else "database",
    }
    if backend == "rq":
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def memory_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Supervised:
    """One worker process, started again when it stops (Restart=always)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.process: subprocess.Popen | None = None
        self.killed_by_us = False
        self.own_exits = 0
        self.peak_kb = 0
        self.start()

    def start(self) -> None:
        self.killed_by_us = False
        self.started_at = time.monotonic()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), *self.args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def watch(self) -> None:
        assert self.process
        if self.process.poll() is None:
            pids = [self.process.pid, *children_of(self.process.pid)]
            self.peak_kb = max(self.peak_kb, *(memory_kb(pid) for pid in pids))
            return
        if not self.killed_by_us:
            self.own_exits += 1
            print(f"  worker exited by itself with status {self.process.returncode}", flush=True)
        time.sleep(1.0)
        self.start()

    def kill(self) -> int:
        """SIGKILL the worker and whatever it forked (RQ's work-horse). Returns pids killed."""
        assert self.process
        pids = [self.process.pid, *children_of(self.process.pid)]
        self.killed_by_us = True
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        return len(pids)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            for pid in [self.process.pid, *children_of(self.process.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()


class Proxy:
    """The fault proxy, which can also stop listening (connections refused) and come back on
    the same port."""

    def __init__(self, upstream: str) -> None:
        from tests.mailing.ses_proxy import FlakySES  # importable once the run has set sys.path

        self.flaky = FlakySES(upstream)
        self.url = self.flaky.url

    def down_for(self, seconds: float) -> None:
        from tests.mailing.ses_proxy import _Server  # importable once the run has set sys.path

        port = self.flaky.httpd.server_address[1]
        handler = self.flaky.httpd.RequestHandlerClass
        self.flaky.httpd.shutdown()
        self.flaky.httpd.server_close()

        def back() -> None:
            time.sleep(seconds)
            self.flaky.httpd = _Server(("127.0.0.1", port), handler)
            self.flaky.httpd.owner = self.flaky
            self.flaky.httpd.serve_forever()

        threading.Thread(target=back, daemon=True).start()

    def black_hole_for(self, seconds: float) -> None:
        """SES's address stops answering (a network fault, not a refusal): the port keeps
        listening with a backlog of one and never accepts, so new connections time out in the
        handshake (botocore's ConnectTimeoutError) and the one the kernel queued waits for
        its answer until the read timeout (uncertain: it may have been read)."""
        import socket

        from tests.mailing.ses_proxy import _Server  # importable once the run has set sys.path

        port = self.flaky.httpd.server_address[1]
        handler = self.flaky.httpd.RequestHandlerClass
        self.flaky.httpd.shutdown()
        self.flaky.httpd.server_close()
        hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        hole.bind(("127.0.0.1", port))
        hole.listen(0)

        def back() -> None:
            time.sleep(seconds)
            hole.close()
            self.flaky.httpd = _Server(("127.0.0.1", port), handler)
            self.flaky.httpd.owner = self.flaky
            self.flaky.httpd.serve_forever()

        threading.Thread(target=back, daemon=True).start()


def start_redis(redis_url: str) -> subprocess.Popen:
    """A redis-server on redis_url's port, without persistence (a restart loses the queue).
    The port must be free (FAULT_REDIS_URL): a Redis already there would survive the restart."""
    port = redis_url.rsplit(":", 1)[1].split("/")[0]
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", int(port)), 1):
        sys.exit(f"port {port} already has a server: set FAULT_REDIS_URL to a free port")
    process = subprocess.Popen(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    return process


def received_counts(server) -> Counter:
    """How many times each address got a mail, from what moto_server received (the data is
    large, 45 kB a message: a long timeout)."""
    url = f"{server.url}/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=1800) as response:  # noqa: S310
        captured = json.load(response).get("ses", {}).get("RawMessage", [])
    received = Counter()
    for item in captured:
        # moto lists the Destination addresses and the To header's: one message, once.
        for address in {a.lower() for a in item.get("destinations") or []}:
            received[address] += 1
    return received


def threading_timer(seconds: float, action) -> None:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()


def fresh_run(settings_text: str, database: str) -> Path:
    """A directory holding the run's settings module (fault_settings), and an empty PostgreSQL
    database of the run's own; both importable by this process from now on."""
    import psycopg  # the fault runs only: a SQLite install can still read --help

    tmp = Path(tempfile.mkdtemp(prefix="renouveau-faults-"))
    (tmp / "fault_settings.py").write_text(settings_text)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    sys.path[:0] = [str(tmp), str(ROOT / "site"), str(ROOT)]
    return tmp


def drop_database(database: str) -> None:
    import psycopg  # as in fresh_run

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
