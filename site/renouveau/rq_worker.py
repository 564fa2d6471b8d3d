"""The RQ worker used with TASKS_BACKEND=rq (settings `RQ["WORKER_CLASS"]`): it outlives a
Redis restart.

rq's `Worker.work()` quits on any exception it does not expect, and a lost Redis is one (in a
heartbeat, a maintenance task, a job's bookkeeping); with Redis missing at start, building the
worker (it names its connection) and its registration fail. The process then exits and only an
outside restart loop brings it back. This one waits for Redis to answer again (backoff up to
10 s) and works again, under a fresh name (the old registration may still be in Redis). Any
other failure, a stop signal, `--burst` or `--max-jobs` end the worker as before.
"""

from __future__ import annotations

import logging
import time
import uuid

import redis
from rq import Worker
from rq.exceptions import StopRequested

logger = logging.getLogger("rq.worker")
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _LastError(logging.Filter):
    """Remembers the exception behind rq's « quitting » log line (rq swallows it)."""

    def __init__(self) -> None:
        super().__init__()
        self.error: BaseException | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            self.error = record.exc_info[1]
        elif "Redis connection timeout" in str(record.msg):
            self.error = redis.exceptions.TimeoutError(str(record.msg))
        return True


def _pause(delay: float) -> float:
    time.sleep(delay)
    return min(delay * 2, 10.0)


class ResilientWorker(Worker):
    def _set_ip_address(self, connection) -> None:
        # rq names its connection as the worker is built: with Redis down, wait here too.
        delay = 0.5
        while True:
            try:
                return super()._set_ip_address(connection)
            except REDIS_ERRORS as exc:
                logger.warning("Redis unreachable (%s), waiting for it", exc)
                delay = _pause(delay)

    def work(self, burst: bool = False, **kwargs) -> bool:
        worked = False
        while True:
            seen = _LastError()
            self.log.addFilter(seen)
            try:
                worked = super().work(burst=burst, **kwargs) or worked
                error = seen.error
            except REDIS_ERRORS as exc:  # Redis down at start, or while tearing down
                error = exc
            finally:
                self.log.removeFilter(seen)
            if burst or self._stop_requested or not isinstance(error, REDIS_ERRORS):
                return worked
            self.log.warning("Worker %s: Redis unreachable (%s), waiting for it", self.name, error)
            if not self._wait_for_redis():
                return worked
            self.name = uuid.uuid4().hex

    def _wait_for_redis(self) -> bool:
        delay = 0.5
        while not self._stop_requested:
            try:
                self.connection.ping()
                self.log.warning("Worker %s: Redis is back, working again", self.name)
                return True
            except REDIS_ERRORS:
                pass
            except StopRequested:
                return False
            try:
                delay = _pause(delay)
            except StopRequested:  # SIGTERM while waiting
                return False
        return False
