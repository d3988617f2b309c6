"""Rate budgets: one token bucket per (service, region), shared by every thread calling that endpoint.

Every HTTP attempt takes a token, retries included, so a throttled service is not hammered harder by its
own retries. The bucket holds at most one second's worth of tokens: a burst never exceeds the rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, at most `rate` (and at least one) stored; `take` blocks until one is free."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = clock()
        self._lock = threading.Lock()

    def _reserve(self) -> float:
        """Take a token now or reserve the next one; returns how long the caller must wait for it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def take(self) -> float:
        """Spend one token, sleeping until it is available; returns the seconds waited."""
        wait = self._reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


class Budgets:
    """The buckets of one collection run, created on first use."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.rate = rate
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, service: str, region: str) -> TokenBucket:
        with self._lock:
            found = self._buckets.get((service, region))
            if found is None:
                found = TokenBucket(self.rate, clock=self._clock, sleep=self._sleep)
                self._buckets[(service, region)] = found
            return found
