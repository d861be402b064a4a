"""Restarted sessions, and the recogniser's words of each spoken reply.

A session the trainee restarted is kept (its turns are theirs) but marked (sessions.restarted): it is not
offered for resuming nor shown as "not finished". A spoken turn keeps the recognised words of its reply
with the recogniser's confidence in each (turns.heard), so the debrief can mark the words it was unsure
of. New columns only: existing sessions are not restarted, existing turns have no words kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from simulator.records.schema import JSONDoc

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("restarted", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("turns", sa.Column("heard", JSONDoc))


def downgrade() -> None:
    # Going back: a restarted session reads as one ended early (it is closed), the words are dropped.
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("heard")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("restarted")
