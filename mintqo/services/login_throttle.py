"""Wrong-code throttling shared by all sessions and replicas, stored in the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mintqo.db.models import LoginThrottle, as_utc, utcnow
from mintqo.domain.codes import hash_code, normalize_code
from mintqo.domain.throttle import Bucket, bucket_key, global_key

PROJECT = "project"
FACILITATOR = "facilitator"


def _seconds(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return as_utc(moment).timestamp()


def _keys(kind: str, raw_code: str) -> list[str]:
    code = normalize_code(raw_code or "")
    # Input that cannot be a code guesses nothing; it is not counted (the session throttle still is).
    return [] if code is None else [bucket_key(kind, hash_code(code)), global_key(kind)]


def _bucket(row: LoginThrottle | None) -> Bucket:
    if row is None:
        return Bucket()
    return Bucket(row.failures, _seconds(row.window_start), _seconds(row.locked_until))


def wait_seconds(session: Session, kind: str, raw_code: str) -> float:
    """Seconds before this code may be tried (0: try now); read only."""
    now = utcnow().timestamp()
    waits = [_bucket(session.get(LoginThrottle, key)).remaining_wait(now) for key in _keys(kind, raw_code)]
    return max(waits, default=0.0)


def record_failure(session: Session, kind: str, raw_code: str) -> None:
    """Count a wrong code in its bucket and in the kind's global count (commits)."""
    for key in _keys(kind, raw_code):
        for _attempt in range(2):  # a concurrent first insert of the same bucket: read it again
            try:
                _count(session, key)
                session.commit()
                break
            except IntegrityError:
                session.rollback()


def _count(session: Session, key: str) -> None:
    now = utcnow()
    row = session.get(LoginThrottle, key, with_for_update=True)
    after = _bucket(row).failed(now.timestamp(), is_global=key.endswith(":*"))
    window_start = datetime.fromtimestamp(after.window_start, UTC)
    locked_until = datetime.fromtimestamp(after.locked_until, UTC) if after.locked_until else None
    if row is None:
        session.add(
            LoginThrottle(
                bucket=key, failures=after.failures, window_start=window_start, locked_until=locked_until
            )
        )
        session.flush()
    else:
        row.failures, row.window_start, row.locked_until = after.failures, window_start, locked_until
