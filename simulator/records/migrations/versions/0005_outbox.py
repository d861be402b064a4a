"""The outbox: sessions a station kept in its own file while the shared server was unreachable.

A new, empty table; no existing row changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from simulator.records.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("queued_at", UTCDateTime, nullable=False),
        sa.Column("kept", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.session_id"], name="fk_outbox_session_id_sessions",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", name="pk_outbox"),
    )


def downgrade() -> None:
    op.drop_table("outbox")
