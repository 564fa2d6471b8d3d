"""The SES send rate shared by every worker of the deployment.

SES's MaxSendRate is per account: four workers each spacing their own sends at the full rate
would send four times too fast. With a shared cache (REDIS_URL), the workers take their send
slots from one schedule kept in Redis: an atomic script hands out slot times `1/rate` apart
(a token bucket of depth one, i.e. GCRA without burst), measured on Redis's clock so that the
workers' clocks do not matter, and each worker sleeps until its slot. The aggregate rate then
never exceeds the limit, whatever the number of workers. Without Redis (one process), or while
Redis cannot be reached, the per-process limiter passed as `fallback` spaces the sends.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

SLOT_KEY = "mailing:ses-send-slot"

# KEYS[1]: the next free slot (microseconds, Redis clock); ARGV[1]: the interval (µs).
# Returns how long the caller waits for the slot it took (µs).
TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local free = slot + interval
redis.call('SET', KEYS[1], string.format('%d', free), 'PX', math.ceil((free - now) / 1000) + 60000)
return slot - now
"""


class Limiter(Protocol):
    def wait(self) -> None: ...


class SharedRateLimiter:
    """Spaces calls at `rate` per second across every process sharing the Redis at `url`."""

    def __init__(self, rate: float, url: str, fallback: Limiter):
        self.rate = rate
        self.interval_us = int(round(1_000_000 / rate))
        self.fallback = fallback
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._take = self._client.register_script(TAKE_SLOT)

    def wait(self) -> None:
        try:
            delay_us = int(self._take(keys=[SLOT_KEY], args=[self.interval_us]))
        except Exception as exc:  # noqa: BLE001 (Redis down: keep sending, per process)
            logger.warning("Shared send rate unavailable (%s): spacing sends per worker", exc)
            self.fallback.wait()
            return
        if delay_us > 0:
            time.sleep(delay_us / 1_000_000)


def shared_limiter(rate: float | None, fallback: Limiter) -> Limiter:
    """The deployment-wide limiter when a shared cache exists and there is a limit; else the
    per-process `fallback`."""
    url = settings.REDIS_URL
    if not rate or not url:
        return fallback
    return SharedRateLimiter(rate, url, fallback)
