"""The roster: trainees and the classes they are on.

    roster = Roster(engine)
    roster.add_trainee("Sam", "Tuesday evening"), roster.trainees("Tuesday evening"), roster.classes()

The id helpers (`trainee_id`, `existing_trainee`...) are for the other parts of the store, inside
their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from simulator.records import db
from simulator.records.schema import classes, trainees


class UnknownTrainee(LookupError):
    def __str__(self) -> str:
        return f"no trainee called '{self.args[0]}'"


class UnknownClass(LookupError):
    def __str__(self) -> str:
        return f"no class called '{self.args[0]}'"


@dataclass(frozen=True)
class Trainee:
    name: str
    class_name: str | None
    created_at: str


class Roster:
    """Trainees and classes in the records database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add_trainee(self, name: str, class_name: str | None = None) -> Trainee:
        """Add a trainee (or find them), putting them on `class_name`'s roster when given."""
        name = name.strip()
        if not name:
            raise ValueError("a trainee needs a name")
        with db.transaction(self.engine) as conn:
            found = trainee_id(conn, name)
            if class_name is not None:
                on = _get_or_create(conn, classes, class_name)
                conn.execute(sa.update(trainees).where(trainees.c.id == found).values(class_id=on))
        return self.trainee(name)

    def trainee(self, name: str) -> Trainee:
        found = self._trainee_list([trainees.c.name == name])
        if not found:
            raise UnknownTrainee(name)
        return found[0]

    def trainees(self, class_name: str | None = None) -> list[Trainee]:
        """Every trainee, or one class's roster, by name."""
        if class_name is None:
            return self._trainee_list([])
        with db.transaction(self.engine) as conn:
            class_id = existing_class(conn, class_name)
        return self._trainee_list([trainees.c.class_id == class_id])

    def add_class(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a class needs a name")
        with db.transaction(self.engine) as conn:
            _get_or_create(conn, classes, name)

    def remove_from_class(self, name: str) -> None:
        """Take a trainee off their class's roster; they and their records stay."""
        with db.transaction(self.engine) as conn:
            found = existing_trainee(conn, name)
            conn.execute(sa.update(trainees).where(trainees.c.id == found).values(class_id=None))

    def rename_class(self, old: str, new: str) -> None:
        """Rename a class (its roster and sessions follow: they refer to it by id). Raises ValueError when the
        new name is empty or another class's, UnknownClass when there is no class `old`."""
        new = new.strip()
        if not new:
            raise ValueError("a class needs a name")
        with db.transaction(self.engine) as conn:
            found = existing_class(conn, old)
            taken = conn.execute(sa.select(classes.c.id).where(classes.c.name == new)).scalar()
            if taken is not None and taken != found:
                raise ValueError(f"there is already a class called '{new}'")
            conn.execute(sa.update(classes).where(classes.c.id == found).values(name=new))

    def delete_class(self, name: str) -> None:
        """Delete a class. Never its trainees or their records: they leave the roster (trainees.class_id
        and sessions.class_id are SET NULL), and its classroom sessions stay, each turn its trainee's."""
        with db.transaction(self.engine) as conn:
            conn.execute(sa.delete(classes).where(classes.c.id == existing_class(conn, name)))

    def classes(self) -> list[str]:
        with db.transaction(self.engine) as conn:
            return list(conn.execute(sa.select(classes.c.name).order_by(classes.c.name)).scalars())

    def _trainee_list(self, where: list[Any]) -> list[Trainee]:
        query = (sa.select(trainees.c.name, classes.c.name.label("class_name"), trainees.c.created_at)
                 .select_from(trainees.outerjoin(classes, trainees.c.class_id == classes.c.id))
                 .where(*where).order_by(trainees.c.name))
        with db.transaction(self.engine) as conn:
            return [Trainee(r.name, r.class_name, db.iso(r.created_at)) for r in conn.execute(query)]


def _get_or_create(conn: Connection, table: sa.Table, name: str) -> int:
    # DO NOTHING then SELECT: safe when two stations add the same name at the same moment.
    conn.execute(db.insert(conn, table).values(name=name, created_at=db.now())
                 .on_conflict_do_nothing(index_elements=["name"]))
    return conn.execute(sa.select(table.c.id).where(table.c.name == name)).scalar_one()


def trainee_id(conn: Connection, name: str) -> int:
    """The trainee's id, adding them first if they are new."""
    return _get_or_create(conn, trainees, name)


def class_id(conn: Connection, name: str) -> int:
    """The class's id, adding it first if it is new."""
    return _get_or_create(conn, classes, name)


def existing_trainee(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(trainees.c.id).where(trainees.c.name == name)).scalar()
    if found is None:
        raise UnknownTrainee(name)
    return found


def existing_class(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(classes.c.id).where(classes.c.name == name)).scalar()
    if found is None:
        raise UnknownClass(name)
    return found
