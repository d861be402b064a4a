"""What a report covers (one session, one trainee, a class) and its CSV export; no Qt.

    report = build_report(store, class_name="Tuesday evening")
    write_csv(report, Path("tuesday.csv"))      # one row per turn, opens in a spreadsheet
    simulator.reports.pdf.write_pdf(report, Path("tuesday.pdf"))

The PDF (simulator/reports/pdf.py) and the CSV read the same `Report`, so they always agree.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

from simulator.engine.judgement import Finding
from simulator.engine.session import TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS
from simulator.fileio import atomic_write_text
from simulator.records.roster import Trainee

# took_part, trainee_score and turns_of live with the records; screens and reports read them from here.
from simulator.records.sessions import SessionRecord, behaviour_counts, trainee_score, turns_of
from simulator.records.sessions import took_part as took_part
from simulator.records.store import SessionStore

# "trainee" is whoever answered the turn ("answered_by" says the same, kept for older spreadsheets);
# "score" is the session's; in a trainee's report, that trainee's score for it (Report.score_of).
# "reply" and its judgement are as heard (the branch was taken on them); "corrected_*" are the trainee's
# correction of a misheard transcript and its judgement, which the score counts (engine/scoring.py).
# "trainer_note" is the trainer's note on the turn, "session_note" the one on the whole session (on every row).
# New columns go at the end, so older spreadsheets' formulas keep their columns.
CSV_COLUMNS = [
    "class", "trainee", "session_id", "station", "scenario_id", "scenario_title", "started_at",
    "outcome", "score", "closed", "turn", "answered_by", "at", "customer_mood", "customer_line", "reply",
    "intent", "confidence", "override", "techniques", "triggers", "tone", "tone_cues",
    "agitation_before", "agitation_after", "explanation", "recording",
    "restarted", "corrected_reply", "corrected_intent", "corrected_techniques", "corrected_triggers",
    "trainer_note", "session_note",
]


@dataclass(frozen=True)
class Report:
    """The sessions a report covers, oldest first, and who they belong to."""

    scope: str  # "session", "trainee" or "class"
    subject: str  # the session id, the trainee's name or the class's name
    sessions: list[SessionRecord]
    # Everyone the report is about, with their class: a class report lists its whole roster,
    # including trainees with no sessions yet.
    roster: list[Trainee] = field(default_factory=list)
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def title(self) -> str:
        if self.scope == "session":
            s = self.sessions[0]
            who = f" — {s.owner}" if s.owner else ""
            return f"Session report: {s.scenario_title or s.state.scenario_id}{who}"
        return f"{self.scope.capitalize()} report: {self.subject}"

    def class_of(self, trainee: str) -> str:
        return next((t.class_name or "" for t in self.roster if t.name == trainee), "")

    def score_of(self, record: SessionRecord) -> float | None:
        """A session's score as this report shows it: in a trainee's report, that trainee's (see trainee_score)."""
        return trainee_score(record, self.subject) if self.scope == "trainee" else record.score

    def behaviour_turns(self, record: SessionRecord) -> list[TurnRecord]:
        """The turns of a session whose techniques and triggers this report counts: in a trainee's report only
        the turns that trainee answered (turns_of: not the other trainees' turns of a shared classroom session),
        in a session's or a class's report every turn."""
        return turns_of(record, self.subject) if self.scope == "trainee" else list(record.state.turns)


@dataclass(frozen=True)
class Summary:
    """The figures at the top of a report."""

    sessions: int
    finished: int
    turns: int
    trainees: int
    outcomes: dict[str, int]  # resolved / unresolved / escalated -> sessions
    mean_score: float | None
    # id -> times found, most first; in a trainee's report, in their own replies (Report.behaviour_turns)
    techniques: list[tuple[str, int]]
    triggers: list[tuple[str, int]]
    overrides: int


def build_report(store: SessionStore, *, session_id: str | None = None, trainee: str | None = None,
                 class_name: str | None = None) -> Report:
    """Collect one session, one trainee's or one class's sessions.

    Raises SessionNotFound, UnknownTrainee or UnknownClass (their messages name what was asked for).
    """
    if sum(x is not None for x in (session_id, trainee, class_name)) != 1:
        raise ValueError("a report is about exactly one session, trainee or class")
    if session_id is not None:
        record = store.load(session_id)
        # Everyone who answered a turn (a deleted trainee's turns are gone with them).
        names = dict.fromkeys([record.trainee] if record.trainee else [])
        names.update(dict.fromkeys(t.trainee for t in record.state.turns if t.trainee))
        roster = [store.trainee(name) for name in names]
        return Report("session", session_id, [record], roster)
    if trainee is not None:
        return Report("trainee", trainee, store.sessions(trainee=trainee), [store.trainee(trainee)])
    assert class_name is not None
    return Report("class", class_name, store.sessions(class_name=class_name), store.trainees(class_name))


def summarise(report: Report) -> Summary:
    outcomes: Counter[str] = Counter()
    scores: list[float] = []
    for record in report.sessions:
        if record.state.outcome:
            outcomes[record.state.outcome] += 1
        score = report.score_of(record)
        if score is not None:
            scores.append(score)
    # A trainee's report counts their replies, the overrides of them and their behaviours.
    counted = [t for r in report.sessions for t in report.behaviour_turns(r)]
    overrides = sum(t.override is not None for t in counted)
    techniques, triggers = behaviour_counts(counted)
    return Summary(
        sessions=len(report.sessions), finished=sum(outcomes.values()), turns=len(counted),
        trainees=len({r.trainee for r in report.sessions if r.trainee}
                     | {t.trainee for r in report.sessions for t in r.state.turns if t.trainee}),
        outcomes={o: outcomes.get(o, 0) for o in ("resolved", "unresolved", "escalated")},
        mean_score=round(mean(scores), 1) if scores else None,
        techniques=techniques.most_common(), triggers=triggers.most_common(), overrides=overrides,
    )


def behaviour_label(name: str) -> str:
    """A technique's or trigger's name as trainees read it ("empathy" -> "Acknowledging the feeling")."""
    return TECHNIQUES.get(name) or TRIGGERS.get(name) or name.replace("_", " ")


def findings_text(items: list[Finding]) -> str:
    return "; ".join(f'{f.name}: "{f.evidence}"' if f.evidence else f.name for f in items)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A reply such as "=SUM(...)" must stay text when the CSV is opened in a spreadsheet.
        return "'" + value
    return str(value)


def _rows(report: Report) -> list[list[str]]:
    rows: list[list[str]] = []
    for r in report.sessions:
        s = r.state
        session = [s.session_id, r.station, s.scenario_id, r.scenario_title, s.started_at, s.outcome,
                   report.score_of(r), r.closed]
        turns: list[TurnRecord | None] = list(s.turns) or [None]
        for t in turns:
            # The row's trainee is whoever answered the turn (classroom mode: trainees take turns).
            who = (t.trainee if t is not None else None) or r.trainee
            head = [r.class_name or report.class_of(who), who, *session]
            if t is None:
                rows.append([_cell(v) for v in head] + [""] * (len(CSV_COLUMNS) - len(head) - 7)
                            + [_cell(r.restarted)] + [""] * 4 + ["", _cell(r.trainer_note)])
                continue
            j = t.judgement
            c = t.correction
            rows.append([_cell(v) for v in head + [
                t.index + 1, who, t.at, t.mood, t.customer_line, t.reply, j.intent, round(j.confidence, 2),
                t.override, findings_text(j.techniques), findings_text(j.triggers),
                j.tone.label if j.tone else None, "; ".join(j.tone.cues) if j.tone else None,
                t.agitation_before, t.agitation_after, " ".join(j.explanation), t.audio_file, r.restarted,
                c.reply if c else None, c.judgement.intent if c else None,
                findings_text(c.judgement.techniques) if c else None, findings_text(c.judgement.triggers) if c else None,
                t.trainer_note, r.trainer_note,
            ]])
    return rows


def csv_text(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(report))
    return out.getvalue()


def write_csv(report: Report, path: Path) -> None:
    """One row per turn (a session without turns gets one row). Raises StorageError if unwritable."""
    # The byte-order mark makes Excel read the file as UTF-8 (names, quotes, dashes).
    atomic_write_text(path, "\ufeff" + csv_text(report))
