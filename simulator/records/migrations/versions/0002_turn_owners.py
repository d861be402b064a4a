"""Each turn is its trainee's, a classroom session is its class's.

Before: a classroom session was filed under whoever answered first (sessions.trainee_id), each turn named
its trainee by name (turns.trainee), and a turn with no name was read as the session owner's. After:
turns.trainee_id says who answered every turn, and a classroom session has sessions.class_id (the class
of the trainee it was filed under) and no trainee. No row is dropped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A classroom session: at least one turn names who answered it.
CLASSROOM = "session_id IN (SELECT session_id FROM turns WHERE trainee IS NOT NULL)"


def _add_reference(table: str, column: str, target: str, ondelete: str) -> None:
    # Batch mode rebuilds the table on SQLite (db.migrate turns its foreign keys off meanwhile, or
    # dropping the old `turns` would cascade to every finding); PostgreSQL alters it in place.
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(column, sa.Integer))
        batch.create_foreign_key(f"fk_{table}_{column}_{target}", target, [column], ["id"], ondelete=ondelete)
        batch.create_index(f"ix_{table}_{column}", [column])


def upgrade() -> None:
    _add_reference("sessions", "class_id", "classes", "SET NULL")
    _add_reference("turns", "trainee_id", "trainees", "CASCADE")
    # A name no roster has (it was never added) becomes a trainee, so the turn keeps its owner.
    op.get_bind().execute(sa.text(
        "INSERT INTO trainees (name, created_at) SELECT DISTINCT trainee, :now FROM turns "
        "WHERE trainee IS NOT NULL AND trainee NOT IN (SELECT name FROM trainees)"),
        {"now": datetime.now(UTC).replace(tzinfo=None)})
    op.execute("UPDATE turns SET trainee_id = (SELECT id FROM trainees WHERE trainees.name = turns.trainee) "
               "WHERE trainee IS NOT NULL")
    # A session played alone: every turn is its trainee's.
    op.execute("UPDATE turns SET trainee_id = (SELECT trainee_id FROM sessions "
               "WHERE sessions.session_id = turns.session_id) "
               f"WHERE trainee IS NULL AND NOT {CLASSROOM}")
    # A classroom session: the class's (the first trainee's class), no longer the first trainee's. Its
    # unnamed turns (wiped by "delete my data") stay nobody's.
    op.execute("UPDATE sessions SET class_id = (SELECT class_id FROM trainees WHERE trainees.id = sessions.trainee_id), "
               f"trainee_id = NULL WHERE {CLASSROOM}")
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("trainee")


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("trainee", sa.String(200)))
    op.execute("UPDATE turns SET trainee = (SELECT name FROM trainees WHERE trainees.id = turns.trainee_id)")
    # The release before 0002 files a classroom session under whoever answered first.
    op.execute("UPDATE sessions SET trainee_id = (SELECT trainee_id FROM turns WHERE turns.session_id = "
               "sessions.session_id AND turns.trainee_id IS NOT NULL ORDER BY turn_index LIMIT 1) "
               "WHERE class_id IS NOT NULL")
    for table, column, target in (("turns", "trainee_id", "trainees"), ("sessions", "class_id", "classes")):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_{column}")
            batch.drop_constraint(f"fk_{table}_{column}_{target}", type_="foreignkey")
            batch.drop_column(column)
