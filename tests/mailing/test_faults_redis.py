"""RQ workers survive a Redis restart (issue 25 item 3): a worker started while Redis is down,
or that loses it, waits for Redis and works again instead of exiting (renouveau.rq_worker)."""

import signal
import subprocess
import tempfile
import threading
import time

import pytest
import redis

from tests.moto import free_port
from tests.redis_server import redis_executable
from tests.subprocesses import manage, start_manage

pytestmark = pytest.mark.django_db(transaction=True)


class RestartableRedis:
    """A redis-server that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.executable = redis_executable()
        if self.executable is None:
            pytest.fail("redis-server is not installed (`make redis`)")
        self.port = free_port()
        self.directory = tempfile.TemporaryDirectory(prefix="renouveau-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.directory.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), 20, "redis-server to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _answers(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_timeout=1).ping()
    except redis.ConnectionError:
        return False


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def enqueue_mail(env: dict, subject: str) -> None:
    done = manage(
        "shell",
        "-c",
        "from renouveau.mail import send_mail_task;"
        f"send_mail_task.enqueue(to=['rq@example.org'], subject={subject!r}, text='Par RQ.')",
        **env,
    )
    assert done.returncode == 0, done.stderr


def test_an_rq_worker_waits_for_redis_instead_of_exiting(ses):
    server = RestartableRedis()
    env = {"TASKS_BACKEND": "rq", "REDIS_URL": server.url}
    # Started while Redis is down (a deploy restarting both): it waits.
    worker = start_manage(
        "rqworker", "--job-class", "django_tasks_rq.Job", "default", "mail", **env
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(worker.stdout), daemon=True).start()
    try:
        # However long Django takes to start, until the worker has met the missing Redis.
        wait_for(
            lambda: worker.poll() is not None or "Redis unreachable" in "".join(output),
            120,
            "the worker to try Redis",
        )
        assert worker.poll() is None, "".join(output)
        server.start()
        enqueue_mail(env, "Après le démarrage de Redis")
        wait_for(lambda: len(ses.messages()) == 1, 90, "the first task")

        # Redis restarts (its queue emptied) while the worker is up: it carries on.
        server.stop()
        lines = len(output)
        wait_for(lambda: "Redis" in "".join(output[lines:]), 60, "the worker to miss Redis")
        time.sleep(2)
        assert worker.poll() is None, "".join(output)
        server.start()
        enqueue_mail(env, "Après le redémarrage de Redis")
        wait_for(lambda: len(ses.messages()) == 2, 90, "the second task")
        assert [m["Subject"] for m in ses.messages()] == [
            "Après le démarrage de Redis",
            "Après le redémarrage de Redis",
        ]
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        server.stop()
        server.directory.cleanup()
