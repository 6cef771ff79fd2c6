"""The one upsert helper and the one draft guard every write to an analysis's data goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Concatenate, Literal, ParamSpec

from sqlalchemy import ColumnElement, Connection, Engine, Insert, bindparam, exists, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mintqo.db.models import STATUS_DRAFT, Analysis, Base

Guard = Literal["analysis"] | None
P = ParamSpec("P")


def draft(analysis_id: Any) -> ColumnElement[bool]:
    """SQL condition: the analysis (an id, bind parameter or column) exists and is still a draft.

    Put into the write statement itself, so a stale tab cannot change a submitted analysis
    between a check and the write, and the check costs no extra round trip.
    """
    return exists().where(Analysis.id == analysis_id, Analysis.status == literal(STATUS_DRAFT))


def _guard(kind: Guard) -> ColumnElement[bool]:
    if kind == "analysis":
        return draft(bindparam("analysis_id"))
    return literal(True) == literal(True)


def dialect_insert(dialect: str) -> Callable[..., postgresql.Insert | sqlite.Insert]:
    """The INSERT construct with ON CONFLICT support of a dialect ("postgresql" or "sqlite")."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@lru_cache(maxsize=32)
def _statement(
    dialect: str,
    table_name: str,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    update: tuple[str, ...],
    keep_if_null: tuple[str, ...],
    guard: Guard,
) -> Insert:
    """INSERT … SELECT … WHERE guard ON CONFLICT DO UPDATE, built once per shape and reused.

    Reusing one statement object lets SQLAlchemy skip re-building and re-keying it on every
    autosave, which is most of the cost of a single small write.
    """
    table = Base.metadata.tables[table_name]
    insert = dialect_insert(dialect)
    # SQLite needs the WHERE to tell the SELECT's end from the ON CONFLICT clause, so there always is one.
    rows = select(*(bindparam(c, type_=table.c[c].type) for c in columns)).where(_guard(guard))
    ins = insert(table).from_select(columns, rows)
    set_: dict[str, Any] = {}
    for c in update:
        if c in keep_if_null:
            # A None from the caller keeps what is stored (e.g. saving the flag keeps the note).
            set_[c] = func.coalesce(bindparam(f"keep_{c}", type_=table.c[c].type), table.c[c])
        else:
            set_[c] = ins.excluded[c]
    # The row count tells a refused write (0) from a stored one; SQLAlchemy keeps it for INSERT
    # only when asked to.
    statement: Insert = ins.on_conflict_do_update(index_elements=list(key), set_=set_)
    return statement.execution_options(preserve_rowcount=True)


def upsert(
    target: Session | Connection,
    table_name: str,
    values: Mapping[str, Any],
    key: Sequence[str],
    update: Sequence[str],
    *,
    keep_if_null: Mapping[str, Any] | None = None,
    guard: Guard = "analysis",
) -> bool:
    """Insert or update one row unless the guard refuses; True when the row was written.

    `target` is a Session (its connection is used) or a Core connection. `key` are the conflict
    columns, `update` the columns a conflict overwrites. For a column in `keep_if_null` (column →
    value to insert) a None in `values` keeps the stored value. The guard "analysis" (the default)
    needs `analysis_id` in `values`; None writes unguarded. Does not commit.
    """
    # Core execution: the ORM layer adds nothing to a plain upsert.
    connection = target.connection() if isinstance(target, Session) else target
    keep = dict(keep_if_null or {})
    stmt = _statement(
        connection.dialect.name,
        table_name,
        tuple(values),
        tuple(key),
        tuple(update),
        tuple(sorted(keep)),
        guard,
    )
    params = dict(values)
    for c, fallback in keep.items():
        params[f"keep_{c}"] = values[c]
        if values[c] is None:
            params[c] = fallback
    return connection.execute(stmt, params).rowcount > 0


@contextmanager
def short_transaction(session: Session) -> Iterator[Connection]:
    """One autosave's transaction: committed when the block ends, rolled back when it raises.

    A session without a transaction – the app's fresh session per autosave – only lends its
    engine: the block runs in a Core transaction of its own, which skips the ORM's transaction
    bookkeeping (about a fifth of an autosave's CPU time). A session in a transaction (a caller
    batching work) lends its connection and is committed with the caller's work; when the block
    raises, that is left uncommitted.
    """
    bind = session.get_bind()
    if isinstance(bind, Engine) and not session.in_transaction():
        with bind.begin() as connection:
            yield connection
        return
    yield session.connection()
    session.commit()


class _NothingWritten(Exception):
    """A guarded write was refused: end its short transaction without committing."""


def _then_commit(
    write: Callable[Concatenate[Session | Connection, P], bool],
) -> Callable[Concatenate[Session, P], bool]:
    """A write on a Session in a short transaction of its own (see upsert_now)."""

    def now(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> bool:
        try:
            with short_transaction(session) as connection:
                if not write(connection, *args, **kwargs):
                    raise _NothingWritten
        except _NothingWritten:
            return False
        return True

    return now


upsert_now = _then_commit(upsert)
"""upsert() in a short transaction (short_transaction) and commit at once; False (nothing written,
nothing committed) when the guard refuses."""
