"""Exporting reports from any screen: the "Export PDF…" / "Export CSV…" buttons, the file dialog and the
exporter that writes one session, one trainee or one class off the GUI thread (debrief, history, classes).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from simulator.ui import dialogs
from simulator.ui.common import Banner, button
from simulator.ui.context import AppContext

log = logging.getLogger(__name__)

Kind = Literal["pdf", "csv"]
FILTERS = {"pdf": "PDF report (*.pdf)", "csv": "Spreadsheet (CSV) (*.csv)"}


def choose_report_file(parent: QWidget | None, title: str, suggested: str, kind: Kind) -> str | None:
    """Ask where to save a report (module-level so tests can answer it)."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, FILTERS[kind])
    return path or None


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text.strip()).strip("-").lower() or "report"


class ReportExporter(QObject):
    """Exports one session, one trainee or one class as PDF or CSV, written on the task pool.

    Signals:
        exported(str): the report was written (its path).
        failed(str): it was not; a sentence saying why, for the trainer.
    """

    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = context
        self.busy = False

    def export(self, parent: QWidget | None, scope: str, subject: str, kind: Kind,
               suggested: str | None = None) -> bool:
        """Ask for a file, then write the report there. False when nothing was started."""
        if self.busy:
            return False
        what = {"session": "session", "trainee": "trainee's", "class": "class"}[scope]
        name = suggested or safe_name(subject)
        path = choose_report_file(parent, f"Save the {what} report as {kind.upper()}",
                                  str(Path.home() / f"{name}.{kind}"), kind)
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(target.name + f".{kind}")
        store = self.ctx.store
        keyword = {"session": "session_id", "trainee": "trainee", "class": "class_name"}[scope]

        def work() -> str:
            from simulator.records.reports import build_report, write_csv

            report = build_report(store, **{keyword: subject})
            if kind == "pdf":
                from simulator.reports.pdf import write_pdf

                write_pdf(report, target)
            else:
                write_csv(report, target)
            return str(target)

        self.busy = True
        self.ctx.tasks.submit(work, on_done=self._on_done, on_error=self._on_error)
        return True

    def _on_done(self, path: str) -> None:
        self.busy = False
        log.info("report written to %s", path)
        self.exported.emit(path)

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        log.warning("report export failed: %s", exc)
        reason = str(exc) or exc.__class__.__name__
        self.failed.emit(f"The report was not saved: {reason[:1].upper() + reason[1:]}. "
                         "Choose another folder (one you can write to, with free space) and try again.")


def export_buttons(exporter: ReportExporter, owner: QWidget, scope: str, subject, tooltip: str):
    """An "Export PDF…" and an "Export CSV…" button; `subject` is a callable giving the session id / name."""
    pdf = button("Export PDF…", None, f"Save {tooltip} as a PDF report")
    csv = button("Export CSV…", None, f"Save {tooltip} as a spreadsheet (one row per turn)")
    for widget, kind in ((pdf, "pdf"), (csv, "csv")):
        widget.clicked.connect(lambda _=False, k=kind: subject() and exporter.export(owner, scope, subject(), k))
    return pdf, csv


def show_export_result(banner: Banner, exporter: ReportExporter, parent: QWidget) -> None:
    """Report an export's result on `banner` (and a failure in a message box too)."""
    def done(path: str) -> None:
        banner.set_kind("success")
        banner.set_text("Report saved", path)
        banner.setVisible(True)

    def failed(message: str) -> None:
        banner.set_kind("danger")
        banner.set_text("Report not saved", message)
        banner.setVisible(True)
        dialogs.tell(parent, "Report not saved", message, warning=True)

    exporter.exported.connect(done)
    exporter.failed.connect(failed)
