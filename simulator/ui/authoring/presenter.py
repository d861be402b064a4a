"""The authoring screen's logic, apart from its widgets: which scenario files there are, the one shown
(read off the GUI thread, its problems placed on their nodes), the node chosen, and the typed play-through.

Two presenters, each handed its view, as every screen's presenter is: `AuthoringPresenter` drives the
page (an `AuthoringView`), `PlayPresenter` the play-through panel (a `PlayView`). Tests drive both
against plain fake views (tests/ui/authoring/test_presenter.py).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Protocol

from simulator.conversation import Conversation
from simulator.engine.judgement import Judgement, Reply
from simulator.engine.loader import Library, Problem
from simulator.engine.model import Scenario
from simulator.engine.session import Runner, TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS
from simulator.ui.authoring.graph import OUTCOME_COLORS
from simulator.ui.authoring.inspection import Inspection, inspect_file, library_files
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS

log = logging.getLogger(__name__)


class AuthoringView(Protocol):
    def show_files(self, files: list[tuple[Path, str]]) -> None: ...
    def select_file(self, index: int) -> None: ...
    def show_status(self, text: str) -> None: ...
    def show_problems(self, problems: list[Problem]) -> None: ...
    def show_unreadable(self, text: str, lines: list[int]) -> None: ...
    def show_graph(self, scenario: Scenario, problems_by_node: dict[str, list[Problem]]) -> list[str]: ...  # ids drawn
    def show_node(self, scenario: Scenario, node_id: str, problems: list[Problem]) -> None: ...
    def show_start(self, node_id: str) -> None: ...
    def play_scenario(self, scenario: Scenario | None) -> None: ...
    def show_coverage(self, scenario: Scenario | None) -> None: ...  # which branches trainees have reached


class AuthoringPresenter:
    """The file shown, reloaded when it changes on disk, and the node chosen on it."""

    def __init__(self, view: AuthoringView, context: AppContext):
        self.view = view
        self.ctx = context
        self.files: list[tuple[Path, str]] = []
        self.inspection: Inspection | None = None
        self.selected: str | None = None
        self.loading = False
        self._wanted: Path | None = None

    # -- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the scenario files again and reload the one shown (both on the task runner)."""
        if self.loading:
            return
        self.loading = True
        self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                              on_error=self._on_library_failed)

    def _on_library_loaded(self, library: Library) -> None:
        self.loading = False
        self.files = library_files(library)
        current = self._wanted or (self.inspection.path if self.inspection else None)
        self.view.show_files(self.files)
        paths = [p for p, _ in self.files]
        if not paths:
            self.view.show_status("No scenario files found.")
            return
        chosen = current if current in paths else paths[0]
        self.view.select_file(paths.index(chosen))
        self.open_file(chosen)

    def _on_library_failed(self, exc: BaseException) -> None:
        self.loading = False
        log.error("listing scenario files failed", exc_info=exc)
        self.view.show_status(f"The scenario folders could not be read: {exc}")

    def pick(self, index: int) -> None:
        """The trainer chose the `index`th file in the list."""
        if 0 <= index < len(self.files):
            self.selected = None
            self.open_file(self.files[index][0])

    def open_file(self, path: Path) -> None:
        self._wanted = Path(path)
        paths = [p for p, _ in self.files]
        if self._wanted in paths:
            self.view.select_file(paths.index(self._wanted))
        self.ctx.tasks.submit(lambda: inspect_file(Path(path)), on_done=self._on_inspected,
                              on_error=self._on_library_failed)

    def _on_inspected(self, inspection: Inspection) -> None:
        if self._wanted is not None and inspection.path != self._wanted:
            return  # the trainer picked another file meanwhile
        same_file = self.inspection is not None and self.inspection.path == inspection.path
        self.inspection = inspection
        self.view.show_problems(inspection.problems)
        scenario = inspection.scenario
        errors = sum(p.severity == "error" for p in inspection.problems)
        if scenario is None:
            self.view.show_unreadable(inspection.text or "", [p.line for p in inspection.problems])
            self.view.show_status(f"{errors} error{'s' if errors != 1 else ''}")
        else:
            by_node: dict[str, list[Problem]] = {}
            for p in inspection.problems:
                node = inspection.node_at(p.line)
                if node is not None:
                    by_node.setdefault(node, []).append(p)
            drawn = self.view.show_graph(scenario, by_node)
            self.view.show_status(f"{len(scenario.nodes)} nodes · {len(scenario.endings)} endings"
                                  + (f" · {errors} error{'s' if errors != 1 else ''}" if errors else ""))
            keep = self.selected if same_file and self.selected in drawn else scenario.start_node
            if keep not in drawn:
                keep = next(iter(scenario.nodes))
            self.select_node(keep)
            if not same_file:
                self.view.show_start(keep)
        self.view.play_scenario(scenario if inspection.playable else None)
        self.view.show_coverage(scenario)

    # -- selection -------------------------------------------------------------------------------
    def select_node(self, node_id: str) -> None:
        inspection = self.inspection
        if inspection is None or inspection.scenario is None:
            return
        self.selected = node_id
        problems = [p for p in inspection.problems if inspection.node_at(p.line) == node_id]
        self.view.show_node(inspection.scenario, node_id, problems)


class PlayView(Protocol):
    def chosen_seed(self) -> int: ...
    def show_unplayable(self) -> None: ...
    def clear_transcript(self) -> None: ...
    def append(self, markup: str) -> None: ...
    def show_agitation(self, value: int) -> None: ...
    def set_controls(self, can_reply: bool, can_restart: bool) -> None: ...
    def reply_taken(self) -> None: ...
    def show_current_node(self, node_id: str) -> None: ...  # "" when nothing is played


class PlayPresenter:
    """Try a scenario by typing: the customer's line, each reply's judgement, the agitation (not saved)."""

    def __init__(self, view: PlayView, context: AppContext):
        self.view = view
        self.ctx = context
        self.scenario: Scenario | None = None
        self.conversation: Conversation | None = None  # not saved: a trial run
        self.busy = False

    @property
    def runner(self) -> Runner | None:
        return self.conversation.runner if self.conversation else None

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Start over with a (possibly reloaded) scenario, or show that this file cannot be played."""
        self.scenario = scenario
        if scenario is None:
            self.conversation = None
            self.view.show_unplayable()
            self._set_enabled(False)
            self.view.show_current_node("")
            return
        self.restart()

    def restart(self) -> None:
        if self.scenario is None:
            return
        if self.conversation is not None:
            self.conversation.discard()  # a reply still being judged is dropped
        # The judge is fetched for every reply, so phrases.yaml edits apply to the next one.
        self.conversation = Conversation(self.scenario, self.ctx.make_judge, seed=self.view.chosen_seed())
        self.view.clear_transcript()
        self._say()
        self._set_enabled(True)

    def send(self, text: str) -> None:
        conversation = self.conversation
        text = text.strip()
        if conversation is None or conversation.ended or self.busy or not text:
            return
        self.busy = True
        self._set_enabled(False)
        self.view.append(f"<p style='margin:6px 0 0 0'><b>You:</b> {html.escape(text)}</p>")
        reply = Reply(text)
        # Restarted while the judge was thinking: the judgement is dropped (Conversation.judge).
        conversation.judge(reply, self.ctx.tasks, on_done=lambda _, j: self._on_judged(conversation, reply, j),
                           on_error=self._on_judge_failed, on_dropped=self._on_judgement_dropped)

    def _on_judgement_dropped(self) -> None:
        self.busy = False

    def _on_judged(self, conversation: Conversation, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        turn = conversation.apply(reply, judgement)
        self._show_turn(turn)
        self._say()
        self._set_enabled(not conversation.ended)
        self.view.reply_taken()

    def _on_judge_failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("judging a typed reply failed", exc_info=exc)
        self.view.append(f"<p style='color:{COLORS['danger']}'>The reply could not be judged: "
                         f"{html.escape(str(exc))}</p>")
        self._set_enabled(self.runner is not None and not self.runner.ended)

    def _show_turn(self, turn: TurnRecord) -> None:
        j = turn.judgement
        muted = COLORS["muted"]
        techniques = ", ".join(TECHNIQUES.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.techniques)
        triggers = ", ".join(TRIGGERS.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.triggers)
        sign = "+" if turn.applied_delta >= 0 else ""
        self.view.append(
            f"<p style='color:{muted};margin:0 0 0 12px'>intent <b>{j.intent}</b> ({j.confidence:.2f})"
            f"<br>techniques: {techniques or 'none'}"
            f"<br>triggers: {triggers or 'none'}"
            f"<br>agitation {turn.agitation_before:.0f} → {turn.agitation_after:.0f} ({sign}{turn.applied_delta:.1f})"
            f" · branch {turn.branch_index + 1} → <b>{html.escape(turn.target)}</b></p>")

    def _say(self) -> None:
        runner = self.runner
        if runner is None:
            return
        line = runner.current_line
        name = html.escape(runner.scenario.customer.first_name)
        self.view.append(f"<p style='margin:6px 0 0 0'><b>{name}</b> <span style='color:{COLORS['muted']}'>"
                         f"({line.mood})</span>: {html.escape(line.text)}</p>")
        if runner.ended:
            ending = runner.scenario.endings[runner.state.ending_id or ""]
            summary = f" {html.escape(ending.summary)}" if ending.summary else ""
            color = OUTCOME_COLORS[ending.outcome][0]  # as the graph colours its endings
            self.view.append(f"<p style='color:{color}'><b>Outcome: {ending.outcome}</b>.{summary}</p>")
        self.view.show_agitation(round(runner.state.agitation))
        self.view.show_current_node(line.node_id)

    def _set_enabled(self, on: bool) -> None:
        self.view.set_controls(on, self.scenario is not None)
