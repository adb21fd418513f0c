"""Persistence: SQLAlchemy models, the engine, migrations and the audit trail."""
