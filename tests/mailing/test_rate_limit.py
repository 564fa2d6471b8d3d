"""The SES send rate is shared by every worker through Redis (mailing/delivery/rate_limit.py)."""

import threading
import time

from mailing.delivery.rate_limit import SharedRateLimiter, shared_limiter
from mailing.delivery.transport import RateLimiter


def _aggregate_rate(limiters, per_limiter: int) -> tuple[float, int]:
    """Each limiter in its own thread (as each worker process would) takes `per_limiter` slots;
    the aggregate rate of the calls it let through, and their count."""
    stamps: list[float] = []
    lock = threading.Lock()

    def worker(limiter):
        for _ in range(per_limiter):
            limiter.wait()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker, args=(limiter,)) for limiter in limiters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]), len(stamps)


def test_four_workers_together_send_at_most_the_account_rate(redis_server):
    url = redis_server.url(3)
    limiters = [SharedRateLimiter(40, url, fallback=RateLimiter(40)) for _ in range(4)]
    rate, calls = _aggregate_rate(limiters, per_limiter=20)
    assert calls == 80
    assert 36 <= rate <= 40.5, rate  # per-worker limiters would give about 160 per second


def test_without_a_shared_cache_or_a_limit_each_worker_spaces_its_own(settings, redis_server):
    fallback = RateLimiter(10)
    settings.REDIS_URL = ""
    assert shared_limiter(10, fallback) is fallback
    settings.REDIS_URL = redis_server.url(3)
    assert isinstance(shared_limiter(10, fallback), SharedRateLimiter)
    assert shared_limiter(None, fallback) is fallback  # no limit at all


def test_an_unreachable_redis_falls_back_to_the_per_process_limiter():
    limiter = SharedRateLimiter(20, "redis://127.0.0.1:9/0", fallback=RateLimiter(20))
    started = time.monotonic()
    for _ in range(5):
        limiter.wait()  # no exception: sends go on, spaced by this process
    assert time.monotonic() - started >= 4 / 20 * 0.9
