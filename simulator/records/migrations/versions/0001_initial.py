"""Initial records schema: classes, trainees, sessions, turns and their findings.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from simulator.records.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        sa.UniqueConstraint("name", name="uq_classes_name"),
    )
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("class_id", sa.Integer),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trainees"),
        sa.UniqueConstraint("name", name="uq_trainees_name"),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], ondelete="SET NULL",
                                name="fk_trainees_class_id_classes"),
    )
    op.create_index("ix_trainees_class_id", "trainees", ["class_id"])
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("trainee_id", sa.Integer),
        sa.Column("scenario_id", sa.String(200), nullable=False),
        sa.Column("scenario_title", sa.Text, nullable=False),
        sa.Column("station", sa.String(255), nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("node_id", sa.String(200), nullable=False),
        sa.Column("agitation", sa.Float, nullable=False),
        sa.Column("ending_id", sa.String(200)),
        sa.Column("outcome", sa.String(20)),
        sa.Column("repeats", sa.Integer, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_sessions"),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], ondelete="CASCADE",
                                name="fk_sessions_trainee_id_trainees"),
    )
    op.create_index("ix_sessions_trainee_id", "sessions", ["trainee_id"])
    op.create_index("ix_sessions_scenario_id", "sessions", ["scenario_id"])
    op.create_index("ix_sessions_station", "sessions", ["station"])
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"])
    op.create_table(
        "turns",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("turn_index", sa.Integer, nullable=False),
        sa.Column("node_id", sa.String(200), nullable=False),
        sa.Column("customer_line", sa.Text, nullable=False),
        sa.Column("mood", sa.String(40), nullable=False),
        sa.Column("agitation_before", sa.Float, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("audio_file", sa.Text),
        sa.Column("recording_deleted_at", UTCDateTime),
        sa.Column("judgement", JSONDoc, nullable=False),
        sa.Column("intent", sa.String(20), nullable=False),
        sa.Column("tone", sa.String(20)),
        sa.Column("override", sa.String(20)),
        sa.Column("applied_delta", sa.Float, nullable=False),
        sa.Column("agitation_after", sa.Float, nullable=False),
        sa.Column("branch_index", sa.Integer, nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("trainee", sa.String(200)),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "turn_index", name="pk_turns"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.session_id"], ondelete="CASCADE",
                                name="fk_turns_session_id_sessions"),
    )
    op.create_index("ix_turns_at", "turns", ["at"])
    op.create_table(
        "findings",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("turn_index", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "turn_index", "kind", "position", name="pk_findings"),
        sa.ForeignKeyConstraint(["session_id", "turn_index"], ["turns.session_id", "turns.turn_index"],
                                ondelete="CASCADE", name="fk_findings_session_id_turns"),
        sa.CheckConstraint(sa.column("kind").in_(["technique", "trigger"]), name="ck_findings_kind"),
    )
    op.create_index("ix_findings_name", "findings", ["name"])


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("turns")
    op.drop_table("sessions")
    op.drop_table("trainees")
    op.drop_table("classes")
