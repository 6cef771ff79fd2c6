"""Alembic environment: runs migrations against mintqo's metadata (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from mintqo.config import Settings
from mintqo.db.engine import make_engine
from mintqo.db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
if config.config_file_name is not None:
    # Invoked from the `alembic` CLI: the environment decides, as for the app.
    url = Settings.from_env().database_url


def run_migrations_offline() -> None:
    """Emit SQL without a database connection."""
    context.configure(url=url, target_metadata=Base.metadata, render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on a live connection (the caller's, when it holds the migration lock)."""
    shared = config.attributes.get("connection")
    if shared is not None:
        context.configure(connection=shared, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode re-creates tables; with foreign keys on, dropping a parent table
            # would cascade-delete its children. PRAGMA only works outside a transaction.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
