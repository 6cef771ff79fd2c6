"""Slow down repeated wrong access codes: per browser session and across sessions and replicas."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0

# Shared (database) throttle. Wrong codes are counted per bucket: the kind of code and the first
# PREFIX_CHARS hex digits of the attempted code's hash. A person mistyping their own code, or a
# guesser, fills buckets spread over all 4096; nobody knows which bucket a real code falls in, so
# one guesser (or a whole room behind one NAT address) cannot lock a particular code out, and no
# IP address is needed at all. On top, a soft global limit per kind: beyond GLOBAL_SOFT_LIMIT
# wrong codes a minute everyone waits a few seconds, which caps guessing without a long lockout.
PREFIX_CHARS = 3
BUCKET_WINDOW_SECONDS = 900.0
GLOBAL_WINDOW_SECONDS = 60.0
GLOBAL_SOFT_LIMIT = 100
GLOBAL_DELAY_SECONDS = 5.0


def wait_after(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: 0, then 2, 4, 8 … up to 5 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    # Cap the exponent first: 2.0 ** 1100 overflows.
    return min(MAX_WAIT_SECONDS, 2.0 ** min(failures - FREE_ATTEMPTS + 1, 20))


def wait_message(seconds: float) -> str:
    """The German message for a throttled attempt, with whole seconds and the right singular."""
    whole = max(1, math.ceil(seconds))
    unit = "Sekunde" if whole == 1 else "Sekunden"
    return f"Zu viele Versuche. Bitte warten Sie {whole} {unit}."


@dataclass(frozen=True)
class Attempts:
    """Consecutive failed code attempts and when the next one is allowed."""

    failures: int = 0
    locked_until: float = 0.0

    def remaining_wait(self, now: float) -> float:
        """Seconds until the next attempt is allowed (0 when allowed now)."""
        return max(0.0, self.locked_until - now)

    def failed(self, now: float) -> Attempts:
        """State after another wrong code."""
        failures = self.failures + 1
        return replace(self, failures=failures, locked_until=now + wait_after(failures))

    def succeeded(self) -> Attempts:
        """State after a correct code."""
        return Attempts()


def bucket_key(kind: str, code_hash: str) -> str:
    """The shared bucket a wrong code counts in: its kind and a short prefix of its hash."""
    return f"{kind}:{code_hash[:PREFIX_CHARS]}"


def global_key(kind: str) -> str:
    """The bucket counting every wrong code of a kind (for the soft global limit)."""
    return f"{kind}:*"


@dataclass(frozen=True)
class Bucket:
    """Failures counted in a shared bucket since window_start, and its lock (times in seconds)."""

    failures: int = 0
    window_start: float = 0.0
    locked_until: float = 0.0

    def remaining_wait(self, now: float) -> float:
        """Seconds until an attempt counted in this bucket is allowed again."""
        return max(0.0, self.locked_until - now)

    def failed(self, now: float, *, is_global: bool) -> Bucket:
        """State after one more wrong code counted here."""
        window = GLOBAL_WINDOW_SECONDS if is_global else BUCKET_WINDOW_SECONDS
        start, failures = self.window_start, self.failures
        if now - start > window and self.remaining_wait(now) == 0:
            start, failures = now, 0
        failures += 1
        if is_global:
            wait = GLOBAL_DELAY_SECONDS if failures > GLOBAL_SOFT_LIMIT else 0.0
        else:
            wait = wait_after(failures)
        return Bucket(failures, start, max(self.locked_until, now + wait) if wait else self.locked_until)
