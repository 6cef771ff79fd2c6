"""Slow down repeated wrong access codes from one session."""

from __future__ import annotations

from dataclasses import dataclass, replace

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0


def wait_after(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: 0, then 2, 4, 8 … up to 5 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    # Cap the exponent first: 2.0 ** 1100 overflows.
    return min(MAX_WAIT_SECONDS, 2.0 ** min(failures - FREE_ATTEMPTS + 1, 20))


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
