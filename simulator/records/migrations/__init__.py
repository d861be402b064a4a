"""Alembic migrations of the records database; `simulator.records.db.migrate` runs them at start."""
