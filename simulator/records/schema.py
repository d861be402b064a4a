"""The records database's tables (SQLAlchemy Core): classes, trainees, sessions, turns, findings, outbox.

The migrations under `simulator/records/migrations/versions/` create exactly these tables; a test
compares the migrated database with this metadata so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

# Named constraints, so that later migrations (SQLite batch mode included) can find them by name.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A moment in UTC. PostgreSQL keeps the zone; SQLite keeps naive UTC, given back as UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL so that a trainer's ad-hoc queries can look inside judgements.
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

classes = sa.Table(
    "classes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

trainees = sa.Table(
    "trainees", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    # A trainee sits on one class's roster at a time; moving them keeps their history.
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="SET NULL"), index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),
    # A session played alone is its trainee's; a classroom session is its class's (trainee_id None).
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id", ondelete="CASCADE"), index=True),
    # Deleting a class keeps its sessions: each turn stays its trainee's.
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="SET NULL"), index=True),
    sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
    sa.Column("scenario_title", sa.Text, nullable=False, default=""),
    # The computer the session was started on: its recordings are on that computer's disk.
    sa.Column("station", sa.String(255), nullable=False, index=True),
    sa.Column("state_version", sa.Integer, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("node_id", sa.String(200), nullable=False),
    sa.Column("agitation", sa.Float, nullable=False),
    sa.Column("ending_id", sa.String(200)),
    sa.Column("outcome", sa.String(20)),
    sa.Column("repeats", sa.Integer, nullable=False, default=0),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
    # The trainee restarted it (it is closed too): not resumable, not "not finished".
    sa.Column("restarted", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("score", sa.Float),
    sa.Column("trainer_note", sa.Text),
    sa.Column("started_at", UTCDateTime, nullable=False, index=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

turns = sa.Table(
    "turns", metadata,
    sa.Column("session_id", sa.String(64), sa.ForeignKey("sessions.session_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("turn_index", sa.Integer, primary_key=True),
    sa.Column("node_id", sa.String(200), nullable=False),
    sa.Column("customer_line", sa.Text, nullable=False),
    sa.Column("mood", sa.String(40), nullable=False),
    sa.Column("agitation_before", sa.Float, nullable=False),
    sa.Column("reply", sa.Text, nullable=False),
    sa.Column("audio_file", sa.Text),
    # The recognised words of a spoken reply, [[word, confidence], ...] (engine.judgement.HeardWord).
    sa.Column("heard", JSONDoc),
    # Set when retention deleted the recording: the path is kept so the record says what existed.
    sa.Column("recording_deleted_at", UTCDateTime),
    # The whole judgement as the judge made it; intent and tone are copied out for queries.
    sa.Column("judgement", JSONDoc, nullable=False),
    sa.Column("intent", sa.String(20), nullable=False),
    sa.Column("tone", sa.String(20)),
    sa.Column("override", sa.String(20)),
    sa.Column("applied_delta", sa.Float, nullable=False),
    sa.Column("agitation_after", sa.Float, nullable=False),
    sa.Column("branch_index", sa.Integer, nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    # Whoever answered the turn (in a classroom session, trainees take turns). None: nobody named.
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id", ondelete="CASCADE"), index=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    # The trainee's corrected transcript and its new judgement (engine.session.Correction); None: none.
    sa.Column("correction", JSONDoc),
    sa.Column("trainer_note", sa.Text),
)

# One row per technique or trigger a judgement found, so trends are GROUP BY queries.
findings = sa.Table(
    "findings", metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),
    sa.Column("turn_index", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),  # "technique" or "trigger"
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(60), nullable=False, index=True),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.ForeignKeyConstraint(["session_id", "turn_index"], ["turns.session_id", "turns.turn_index"],
                            ondelete="CASCADE"),
    sa.CheckConstraint(sa.column("kind").in_(["technique", "trigger"]), name="kind"),
)

# Sessions this station kept in its own SQLite file while the shared server could not be reached,
# waiting to be sent to it (outbox.py). Only a station's local file has rows here.
outbox = sa.Table(
    "outbox", metadata,
    sa.Column("session_id", sa.String(64), sa.ForeignKey("sessions.session_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("queued_at", UTCDateTime, nullable=False),
    # How many times it was kept here: a session kept again while it was being sent stays queued.
    sa.Column("kept", sa.Integer, nullable=False, default=1),
    sa.Column("last_error", sa.Text),
)
