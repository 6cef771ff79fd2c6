"""Shared wrong-code throttle rules and the German wait message."""

from __future__ import annotations

from mintqo.domain.throttle import (
    BUCKET_WINDOW_SECONDS,
    FREE_ATTEMPTS,
    GLOBAL_DELAY_SECONDS,
    GLOBAL_SOFT_LIMIT,
    Bucket,
    bucket_key,
    global_key,
    wait_after,
    wait_message,
)


def test_wait_message_is_german_with_the_right_singular():
    assert wait_message(0.2) == "Zu viele Versuche. Bitte warten Sie 1 Sekunde."
    assert wait_message(1.0) == "Zu viele Versuche. Bitte warten Sie 1 Sekunde."
    assert wait_message(1.01) == "Zu viele Versuche. Bitte warten Sie 2 Sekunden."
    assert wait_message(299.5) == "Zu viele Versuche. Bitte warten Sie 300 Sekunden."


def _fail(bucket: Bucket, times: int, now: float, *, is_global: bool = False) -> Bucket:
    for _ in range(times):
        bucket = bucket.failed(now, is_global=is_global)
    return bucket


def test_a_bucket_locks_after_the_free_attempts_and_forgets_after_its_window():
    now = 10_000.0
    assert _fail(Bucket(), FREE_ATTEMPTS - 1, now).remaining_wait(now) == 0
    locked = _fail(Bucket(), FREE_ATTEMPTS, now)
    assert locked.remaining_wait(now) == wait_after(FREE_ATTEMPTS)
    later = now + BUCKET_WINDOW_SECONDS + 1
    assert locked.remaining_wait(later) == 0
    assert locked.failed(later, is_global=False).failures == 1  # a new window


def test_the_global_count_only_ever_asks_for_a_short_wait():
    now = 5_000.0
    under = _fail(Bucket(), GLOBAL_SOFT_LIMIT, now, is_global=True)
    assert under.remaining_wait(now) == 0
    over = _fail(under, 1000, now, is_global=True)
    assert 0 < over.remaining_wait(now) <= GLOBAL_DELAY_SECONDS


def test_bucket_keys_use_a_short_hash_prefix_and_the_kind():
    digest = "abcdef0123456789" * 4
    assert bucket_key("project", digest) == "project:abc"
    assert bucket_key("facilitator", digest) != bucket_key("project", digest)
    assert global_key("project") == "project:*"
