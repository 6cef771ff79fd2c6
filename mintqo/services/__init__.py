"""Use cases: small functions that take a SQLAlchemy Session."""
