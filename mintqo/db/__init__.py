"""Persistence: SQLAlchemy models, engine set-up and migrations, schema state, the guarded writes."""
