"""Alembic's entry point: migrates the connection `simulator.records.db.migrate` hands it.

There is no alembic.ini: the app always runs migrations itself, on the database it is about to use.
To write a new revision, see the note in simulator/records/db.py.
"""

from __future__ import annotations

from alembic import context

from simulator.records.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
