"""A Redis server of the suite's own on a free port (Debian's `redis-server`, installed by
`make test` when missing), so that no test assumes or flushes a Redis it did not start."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time

import redis

from tests.moto import free_port


def redis_executable() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if shutil.which("/usr/bin/redis-server") else None
    )


class RedisServer:
    def __init__(self, executable: str) -> None:
        self.port = free_port()
        self.directory = tempfile.TemporaryDirectory(prefix="renouveau-redis-")
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.directory.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def url(self, db: int = 0) -> str:
        """The address of database `db`, emptied first."""
        url = f"redis://127.0.0.1:{self.port}/{db}"
        redis.Redis.from_url(url).flushdb()
        return url

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.directory.cleanup()


def command_calls(client: redis.Redis, name: str) -> int:
    """How many times this Redis server ran the command `name` (« get », « mget »…) so far."""
    return client.info("commandstats").get(f"cmdstat_{name}", {}).get("calls", 0)
