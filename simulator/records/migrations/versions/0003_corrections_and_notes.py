"""Corrected transcripts and trainer notes.

A turn may carry the trainee's correction of a misheard transcript with its new judgement (turns.correction,
kept beside the original reply and judgement), and a trainer's note (turns.trainer_note); a session may carry
a trainer's note on the whole session (sessions.trainer_note). New columns only, all empty: no row changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from simulator.records.schema import JSONDoc

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("turns", sa.Column("correction", JSONDoc))
    op.add_column("turns", sa.Column("trainer_note", sa.Text))
    op.add_column("sessions", sa.Column("trainer_note", sa.Text))


def downgrade() -> None:
    # Going back to a release without them drops the corrections and notes (the original replies stay).
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("trainer_note")
        batch.drop_column("correction")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("trainer_note")
