"""Whether a database's schema revision is the one this code expects (readiness and refusal to serve)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from mintqo.db.engine import alembic_config

Status = Literal["current", "empty", "behind", "ahead"]


@dataclass(frozen=True)
class SchemaState:
    """The database's revision(s) next to the code's head revision."""

    status: Status
    database: tuple[str, ...]
    head: str

    def servable(self, accepted: tuple[str, ...] = ()) -> bool:
        """Whether code at `head` may serve: schema at head, or newer but explicitly accepted."""
        if self.status == "current":
            return True
        return self.status == "ahead" and bool(self.database) and set(self.database) <= set(accepted)

    @property
    def reason(self) -> str:
        """One German line for operators (CLI output of `check`)."""
        found = ", ".join(self.database) or "keine"
        if self.status == "current":
            return f"Schema auf dem neuesten Stand ({self.head})"
        if self.status == "empty":
            return "Datenbank ist leer – bitte `python -m mintqo init-db` ausführen"
        if self.status == "behind":
            return f"Schema veraltet ({found}, erwartet {self.head}) – `python -m mintqo init-db` starten"
        return (
            f"Schema-Revision {found} ist diesem Code unbekannt (neuer als {self.head}) – "
            "bitte die passende neuere mintqo-Version einsetzen"
        )

    @property
    def log_line(self) -> str:
        """One English line for the server log."""
        found = ",".join(self.database) or "none"
        return f"schema not servable: status={self.status} database_revision={found} code_head={self.head}"


def schema_state(engine: Engine) -> SchemaState:
    """Read the database's Alembic revision; raises SQLAlchemyError when the database does not answer."""
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    head = script.get_current_head() or ""
    with engine.connect() as connection:
        database = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    if not database:
        return SchemaState("empty", database, head)
    if database == (head,):
        return SchemaState("current", database, head)
    for revision in database:
        try:
            if script.get_revision(revision) is None:
                return SchemaState("ahead", database, head)
        except CommandError:  # "Can't locate revision": written by newer code
            return SchemaState("ahead", database, head)
    return SchemaState("behind", database, head)
