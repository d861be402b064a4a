"""The authoring view's Coverage tab: which branches and endings of the scenario trainees have reached, and which never.

Counted from the records (records/coverage.py) on the task runner, when the scenario changes and each
time the tab is shown, so sessions played meanwhile are counted.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from simulator.engine.model import Scenario
from simulator.records.coverage import Coverage
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS

log = logging.getLogger(__name__)


def _times(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def coverage_html(report: Coverage) -> str:
    """The coverage as the tab shows it: what was never reached first, then every branch and ending."""
    if not report.sessions:
        return (f"<p>No session of “{escape(report.title)}” is in the records yet, so no branch or ending "
                "has been reached.</p>")
    never = COLORS["danger"]
    taken = len(report.branches) - len(report.untaken)
    reached = len(report.endings) - len(report.unreached)
    out = [f"<p><b>{_times(report.sessions, 'session')}</b> in the records · branches taken: <b>{taken} of "
           f"{len(report.branches)}</b> · endings reached: <b>{reached} of {len(report.endings)}</b></p>"]
    if report.untaken or report.unreached:
        out.append(f'<p style="color:{never}"><b>Never reached by a trainee:</b></p><ul>')
        # Endings first: an ending nobody reaches matters more than one more way into a node.
        out += [f"<li>ending {escape(e.ending_id)} ({escape(e.outcome)})</li>" for e in report.unreached]
        out += [f"<li>{escape(b.node_id)}, branch {b.index + 1}: {escape(b.condition)} → {escape(b.target)}</li>"
                for b in report.untaken]
        out.append("</ul>")
    else:
        out.append("<p>Every branch and ending has been reached.</p>")
    out.append("<h4>Branches</h4><table cellspacing='0' cellpadding='3'>")
    for b in report.branches:
        seen = (f"{_times(b.turns, 'time')} in {_times(b.sessions, 'session')}" if b.turns
                else f'<span style="color:{never}">never</span>')
        out.append(f"<tr><td>{escape(b.node_id)} {b.index + 1}.</td><td>{escape(b.condition)} → "
                   f"{escape(b.target)}</td><td>{seen}</td></tr>")
    out.append("</table><h4>Endings</h4><table cellspacing='0' cellpadding='3'>")
    for e in report.endings:
        seen = _times(e.sessions, "session") if e.sessions else f'<span style="color:{never}">never</span>'
        out.append(f"<tr><td>{escape(e.ending_id)}</td><td>{escape(e.outcome)}</td><td>{seen}</td></tr>")
    out.append("</table>")
    return "".join(out)


class CoveragePanel(QWidget):
    """Coverage of the scenario open in the authoring view."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.scenario: Scenario | None = None
        self.report: Coverage | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Coverage")
        col.addWidget(self.text)

    def set_scenario(self, scenario: Scenario | None) -> None:
        self.scenario = scenario
        self.report = None
        if scenario is None:
            self.text.setHtml("<p>Coverage is shown once the scenario loads without errors.</p>")
            return
        self.refresh()

    def refresh(self) -> None:
        scenario, store = self.scenario, self.ctx.store
        if scenario is None:
            return
        self.ctx.tasks.submit(lambda: store.coverage(scenario), on_done=lambda r: self._on_counted(scenario, r),
                              on_error=self._on_failed)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def _on_counted(self, scenario: Scenario, report: Coverage) -> None:
        if scenario is not self.scenario:
            return  # another scenario was opened meanwhile
        self.report = report
        self.text.setHtml(coverage_html(report))

    def _on_failed(self, exc: BaseException) -> None:
        log.warning("counting the coverage failed: %s", exc)
        self.text.setHtml(f"<p>The records could not be read: {escape(str(exc))}</p>")
