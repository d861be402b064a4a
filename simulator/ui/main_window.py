"""The main window: a sidebar for the library, microphone check and settings, and the screens it switches between."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from simulator import paths
from simulator.fileio import StorageError
from simulator.settings import Settings, save_settings
from simulator.ui import dialogs
from simulator.ui.common import Banner, button, label
from simulator.ui.context import AppContext
from simulator.ui.theme import apply_theme
from simulator.ui.watch import FileWatcher, default_paths

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.records.sessions import SessionRecord
    from simulator.ui.authoring.view import AuthoringPage
    from simulator.ui.calibration.view import CalibrationPage
    from simulator.ui.classroom.view import Classroom
    from simulator.ui.conversation.view import ConversationPage
    from simulator.ui.debrief.view import DebriefPage
    from simulator.ui.history.view import HistoryPage
    from simulator.ui.library.view import LibraryPage
    from simulator.ui.listening import ListeningService
    from simulator.ui.outbox_sender import OutboxSender
    from simulator.ui.roster.view import RosterPage
    from simulator.ui.settings.view import SettingsPage
    from simulator.ui.welcome.view import WelcomePage

log = logging.getLogger(__name__)

APP_NAME = "De-escalation Simulator"


# The window's usual size, and the room a window manager's title bar and borders take around it.
USUAL_SIZE = (1280, 720)
_DECORATION = (16, 48)


def opens_maximised(available_width: int, available_height: int) -> bool:
    """Whether the window should open maximised on a screen with this much room: at 1280x720 the
    usual size plus a title bar does not fit, and the sidebar's foot and the bottom of every page
    were pushed off screen (seen under Xvfb with openbox)."""
    return (available_width < USUAL_SIZE[0] + _DECORATION[0]
            or available_height < USUAL_SIZE[1] + _DECORATION[1])


def place(window: QMainWindow, settings: Settings, room: QRect | None) -> None:
    """Show the window as it was when the app last closed (size, place, maximised), else at its usual
    size, maximised where that size and a title bar do not fit `room` (the screen's available area).
    A saved place Qt cannot use (another screen, a damaged value) falls back to the usual one."""
    saved = settings.window_geometry
    if saved and window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
        window.show()  # maximised again if it was closed maximised
    elif room is not None and opens_maximised(room.width(), room.height()):
        window.showMaximized()
    else:
        window.show()


def remember_place(window: QMainWindow, settings: Settings, settings_file: Path | None) -> None:
    """Keep the window's size, place and maximised state for the next start (see place)."""
    settings.window_geometry = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    try:
        save_settings(settings, settings_file)
    except OSError as exc:  # a read-only data folder: the window opens at its usual size next time
        log.warning("could not keep the window's size and place in %s: %s", settings_file or "settings.json", exc)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(1024, 640)
        self.resize(*USUAL_SIZE)

        central = QWidget()
        self.setCentralWidget(central)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # Across every screen, the conversation included: practice that is not being saved.
        self.storage_banner = Banner("danger")
        self.choose_folder_button = self.storage_banner.add_action("Choose another folder…")
        self.choose_folder_button.clicked.connect(self._choose_data_folder)
        column.addWidget(self.storage_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        column.addLayout(row, 1)
        self.sidebar = self._build_sidebar()
        row.addWidget(self.sidebar)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)

        # Each screen is built the first time it is wanted (the properties below): building them all,
        # and importing what they need, delayed the first frame on a 2-core machine (issue 18).
        self._pages: dict[str, QWidget] = {}
        self._listening: ListeningService | None = None
        self._rubric_problem: str | None = None  # phrases.yaml could not be reloaded (the Authoring screen says so)
        self.classroom: Classroom | None = None  # classroom mode's two windows, while they are open

        # After the first frame (AppContext.startup), in order, each off the GUI thread: the records
        # database is opened; the library's scenarios are read (show_library, below); the audio
        # devices' modules are imported and a recogniser that needs its model folder (Vosk, Whisper)
        # is built; the file watcher starts.
        self.outbox_sender: OutboxSender | None = None
        context.startup.later(self._open_records)

        for keys, slot in (("Ctrl+1", self.show_library), ("Ctrl+2", self.show_calibration),
                           ("Ctrl+3", self.show_settings), ("Ctrl+4", self.show_authoring),
                           ("Ctrl+5", self.show_history), ("Ctrl+6", self.show_roster),
                           ("Ctrl+7", self.open_classroom), ("Ctrl+Q", self.close)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda s=slot: self._navigate(s))

        # Scenario files and phrases.yaml edited on disk are picked up without a restart.
        self.watcher = FileWatcher(parent=self)
        self.watcher.changed.connect(self._on_watcher_changed)

        self._update_storage_banner()
        if context.settings.first_run_done:
            self.show_library()  # its scenarios load after the first frame too
        else:
            self._show(self.welcome, None)
        context.startup.later(lambda: context.prepare_devices(lambda: self.listening.apply_settings()))
        context.startup.later(lambda: self.watcher.set_paths(default_paths()))

    # -- the screens, each built when first wanted ------------------------------------------------
    def _built(self, name: str) -> QWidget | None:
        """The screen called `name` if it has been built (never builds it)."""
        return self._pages.get(name)

    def _current(self, name: str) -> bool:
        page = self._pages.get(name)
        return page is not None and self.stack.currentWidget() is page

    def _add(self, name: str, page: QWidget) -> None:
        self._pages[name] = page
        self.stack.addWidget(page)

    @property
    def welcome(self) -> WelcomePage:
        if "welcome" not in self._pages:
            from simulator.ui.welcome.view import WelcomePage

            welcome = WelcomePage(self.ctx)
            welcome.check_microphone.connect(self.show_calibration)
            welcome.skip.connect(self.show_library)
            self._add("welcome", welcome)
        return cast("WelcomePage", self._pages["welcome"])

    @property
    def library(self) -> LibraryPage:
        if "library" not in self._pages:
            from simulator.ui.library.view import LibraryPage

            library = LibraryPage(self.ctx)
            library.start_requested.connect(self.start_scenario)
            library.resume_requested.connect(self.resume_session)
            library.review_requested.connect(self.review_session)
            library.microphone_requested.connect(self.show_calibration)
            self._add("library", library)
        return cast("LibraryPage", self._pages["library"])

    @property
    def calibration(self) -> CalibrationPage:
        if "calibration" not in self._pages:
            from simulator.ui.calibration.view import CalibrationPage

            calibration = CalibrationPage(self.ctx)
            calibration.done.connect(self.show_library)
            calibration.calibrated.connect(self._on_calibration_calibrated)
            self._add("calibration", calibration)
        return cast("CalibrationPage", self._pages["calibration"])

    @property
    def settings_page(self) -> SettingsPage:
        if "settings" not in self._pages:
            from simulator.ui.settings.view import SettingsPage

            settings_page = SettingsPage(self.ctx)
            settings_page.saved.connect(self._on_settings_page_saved)
            self._add("settings", settings_page)
            if self.listening.problem:  # the recogniser failed before this screen was first shown
                settings_page.show_listening_status(self.listening.problem)
        return cast("SettingsPage", self._pages["settings"])

    @property
    def conversation(self) -> ConversationPage:
        if "conversation" not in self._pages:
            from simulator.ui.conversation.view import ConversationPage

            conversation = ConversationPage(self.ctx, listening=self.listening)
            conversation.presenter.finished.connect(self.review_session)
            conversation.presenter.left.connect(self.show_library)
            self._add("conversation", conversation)
        return cast("ConversationPage", self._pages["conversation"])

    @property
    def debrief(self) -> DebriefPage:
        if "debrief" not in self._pages:
            from simulator.ui.classroom.debrief_notes import mark_classroom_turns
            from simulator.ui.debrief.view import DebriefPage

            debrief = DebriefPage(self.ctx)
            debrief.back_requested.connect(self.show_library)
            debrief.again_requested.connect(self.start_scenario)
            debrief.retry_requested.connect(self.retry_from_turn)
            # Who answered each classroom turn and the trainer's overrides, also after a correction.
            debrief.shown.connect(lambda: mark_classroom_turns(debrief))
            self._add("debrief", debrief)
        return cast("DebriefPage", self._pages["debrief"])

    @property
    def authoring(self) -> AuthoringPage:
        if "authoring" not in self._pages:
            from simulator.ui.authoring.view import AuthoringPage

            authoring = AuthoringPage(self.ctx)
            authoring.show_rubric_problem(self._rubric_problem)
            self._add("authoring", authoring)
        return cast("AuthoringPage", self._pages["authoring"])

    @property
    def history(self) -> HistoryPage:
        if "history" not in self._pages:
            from simulator.ui.history.view import HistoryPage

            history = HistoryPage(self.ctx)
            history.presenter.library_source = lambda: self.library.library
            history.review_requested.connect(self.review_session)
            self._add("history", history)
        return cast("HistoryPage", self._pages["history"])

    @property
    def roster(self) -> RosterPage:
        if "roster" not in self._pages:
            from simulator.ui.roster.view import RosterPage

            roster = RosterPage(self.ctx)
            roster.history_requested.connect(self.show_history)
            roster.classroom_requested.connect(self.open_classroom)
            self._add("roster", roster)
        return cast("RosterPage", self._pages["roster"])

    @property
    def listening(self) -> ListeningService:
        """The shared listener kept fit for Settings; the conversation screen follows the same one."""
        if self._listening is None:
            from simulator.ui.listening import ListeningService

            self._listening = ListeningService(self.ctx, self)
            self._listening.changed.connect(self._on_listening_changed)
        return self._listening

    def _on_listening_changed(self, problem: str) -> None:
        if "settings" in self._pages:
            self.settings_page.show_listening_status(problem)

    # -- the records database, opened after the first frame ----------------------------------------
    def _open_records(self) -> None:
        """Open the records database off the GUI thread (SQLAlchemy and its migration check take a
        third of a second or more); anything that needs it before then waits for it."""
        self.ctx.tasks.submit(self.ctx.open_store, on_done=lambda _: self._on_records_opened(),
                              on_error=self._on_records_failed)

    def _on_records_failed(self, exc: BaseException) -> None:
        # open_store falls back to a local or in-memory store for every storage problem it knows;
        # anything else is tried again by whatever needs the store next, and is raised there.
        log.error("opening the records database failed", exc_info=exc)

    def _on_records_opened(self) -> None:
        from simulator.records.retention import apply_retention
        from simulator.ui.outbox_sender import OutboxSender

        self._update_storage_banner()
        self._update_who()
        # Once at start: recordings older than the retention setting are deleted (off the GUI thread).
        apply_retention(self.ctx)
        # Sessions kept here while the shared database was down are sent at start and every minute.
        if self.outbox_sender is None:
            self.outbox_sender = OutboxSender(self.ctx, self)
            self.outbox_sender.status_changed.connect(self._on_outbox_status)
            self.outbox_sender.store_changed.connect(self._update_who)
            self.outbox_sender.start()
        for notice in self.ctx.startup_notices:  # e.g. the shared database is down: records are kept here
            dialogs.tell(self, "Records kept on this computer", notice, warning=True)

    def _build_sidebar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("sidebar")
        bar.setFixedWidth(round(230 * self.ctx.settings.text_scale))
        col = QVBoxLayout(bar)
        col.setContentsMargins(14, 22, 14, 18)
        col.setSpacing(6)
        brand = label("De-escalation", "brand")
        col.addWidget(brand)
        col.addWidget(label("Simulator · practice mode", "brandSub"))
        col.addSpacing(22)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_library = self._nav_button("Scenarios", "Ctrl+1", self.show_library)
        self.nav_microphone = self._nav_button("Microphone check", "Ctrl+2", self.show_calibration)
        self.nav_settings = self._nav_button("Settings", "Ctrl+3", self.show_settings)
        self.nav_authoring = self._nav_button("Authoring", "Ctrl+4", self.show_authoring)
        for b in (self.nav_library, self.nav_microphone, self.nav_settings, self.nav_authoring):
            col.addWidget(b)
        col.addSpacing(14)
        col.addWidget(label("For trainers", "brandSub"))
        self.nav_history = self._nav_button("History", "Ctrl+5", self.show_history)
        self.nav_roster = self._nav_button("Classes", "Ctrl+6", self.show_roster)
        self.nav_classroom = button("Classroom mode", "nav", "Projector and trainer windows (Ctrl+7)")
        self.nav_classroom.clicked.connect(lambda: self._navigate(self.open_classroom))
        for b in (self.nav_history, self.nav_roster, self.nav_classroom):
            col.addWidget(b)
        col.addStretch(1)
        self.who = label("", "sidebarFoot")
        self.who.setWordWrap(True)
        col.addWidget(self.who)
        self.where = label("", "sidebarFoot")
        self.where.setWordWrap(True)
        col.addWidget(self.where)
        self.outbox_status = label("", "sidebarFoot")
        self.outbox_status.setWordWrap(True)
        self.outbox_status.setVisible(False)
        col.addWidget(self.outbox_status)
        self._update_who()
        return bar

    def _update_storage_banner(self) -> None:
        problem = None if self.ctx.saving else (self.ctx.storage_problem or "Your practice is not saved.")
        self.storage_banner.set_text("Not saved" if problem else "", problem or "")
        self.storage_banner.setVisible(problem is not None)

    def _choose_data_folder(self) -> None:
        """The storage banner's button: keep records in another folder from now on."""
        folder = dialogs.choose_folder(self, "Choose a folder for your records", str(Path.home()))
        if not folder:
            return
        previous = self.ctx.settings.data_dir
        self.ctx.settings.data_dir = folder
        try:
            self.ctx.save_settings()
        except StorageError as exc:
            if not self.ctx.saving or self.ctx.store.root != Path(folder):
                # The new folder cannot be used either: nothing changed.
                self.ctx.settings.data_dir = previous
                dialogs.tell(self, "That folder cannot be used", f"{folder} cannot be used: {exc}", warning=True)
                return
            # Records go to the new folder; only the settings file (in the old folder) is not written.
            dialogs.tell(self, "Folder not remembered",
                         f"Your practice is saved in {folder} from now on, but this choice could not be "
                         f"remembered for the next start ({exc}).", warning=True)
        self._update_storage_banner()
        self._update_who()

    def _nav_button(self, text: str, keys: str, slot: Callable[[], None]) -> QPushButton:
        b = button(text, "nav", f"{text} ({keys})")
        b.setCheckable(True)
        b.clicked.connect(lambda: self._navigate(slot))
        self.nav.addButton(b)
        return b

    def _update_who(self) -> None:
        name = self.ctx.settings.trainee_name.strip()
        self.who.setText(f"Practising as {name}" if name else "")
        self.who.setVisible(bool(name))
        # Nothing leaves the computer, unless a training centre's shared database holds the records.
        store = self.ctx.opened_store  # said once the records database is open (after the first frame)
        self.where.setVisible(store is not None)
        if store is None:
            return
        shared = not str(getattr(store, "url", "sqlite")).startswith("sqlite")
        self.where.setText("Nothing is being saved (see the banner above)." if not self.ctx.saving
                           else "The shared database cannot be reached: records are kept on this computer "
                                "until it is back." if getattr(store, "standing_in_for", None)
                           else "Records go to your training centre's shared database." if shared
                           else "Everything stays on this computer.")

    def _on_outbox_status(self, text: str) -> None:
        self.outbox_status.setText(text)
        self.outbox_status.setVisible(bool(text))

    # -- navigation ------------------------------------------------------------------------------
    def _navigate(self, slot) -> None:
        """Sidebar and shortcuts: leaving a conversation goes through its own (safe) leave question."""
        if self._current("conversation"):
            presenter = self.conversation.presenter
            if presenter.phase not in ("ended", "briefing", "idle") and presenter.runner is not None \
                    and presenter.runner.state.turns:
                answer = presenter.request_leave()
                if answer in ("later", "end"):
                    slot()
                return
        slot()

    def _show(self, page: QWidget, nav) -> None:
        self.sidebar.setVisible(page not in (self._built("conversation"), self._built("welcome")))
        self.stack.setCurrentWidget(page)
        # A sidebar item keeps its focus ring after its screen is left (Continue, a shortcut), and
        # looked as active as the checked one: the focus follows the screen shown.
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and focus.group() is self.nav and focus is not nav:
            (nav or page).setFocus()
        if nav is not None:
            nav.setChecked(True)
        else:
            checked = self.nav.checkedButton()
            if checked is not None:
                self.nav.setExclusive(False)
                checked.setChecked(False)
                self.nav.setExclusive(True)

    def show_library(self) -> None:
        self.library.refresh()
        self._show(self.library, self.nav_library)

    def show_calibration(self) -> None:
        self._show(self.calibration, self.nav_microphone)

    def show_settings(self) -> None:
        self.settings_page.load()
        self._show(self.settings_page, self.nav_settings)

    def show_authoring(self) -> None:
        if self.authoring.inspection is None:
            self.authoring.refresh()
        self._show(self.authoring, self.nav_authoring)

    def show_history(self, trainee: str | None = None) -> None:
        self.history.refresh(select=trainee or None)
        self._show(self.history, self.nav_history)

    def show_roster(self) -> None:
        self.roster.refresh()
        self._show(self.roster, self.nav_roster)

    def open_classroom(self, class_name: str = "") -> None:
        """Classroom mode: the projector view and the trainer's window (brought forward if open), with
        `class_name`, else the class chosen on the Classes screen."""
        class_name = class_name or self.roster.current_class()
        if self.classroom is None:
            from simulator.ui.classroom.view import Classroom

            self.classroom = Classroom(self.ctx, self)
            self.classroom.debrief_requested.connect(self._on_classroom_debrief_requested)
            self.classroom.closed.connect(self._on_classroom_closed)
            self.classroom.show(class_name or None, self.library.library)
        else:
            self.classroom.choose_class(class_name)
            self.classroom.trainer.raise_()
            self.classroom.trainer.activateWindow()

    def _on_classroom_debrief_requested(self, session_id: str) -> None:
        self.review_session(session_id)
        self.raise_()
        self.activateWindow()

    def _on_classroom_closed(self) -> None:
        if self.classroom is not None:
            self.classroom.deleteLater()
        self.classroom = None

    def reload_rubric(self, path: Path) -> None:
        """phrases.yaml changed: judge with the new phrases, or keep the old ones and say what is wrong."""
        from simulator.analysis.wording import reload_rubric

        self.ctx.tasks.submit(lambda: reload_rubric(path), on_done=self._on_rubric_loaded, on_error=self._on_rubric_failed)

    def _on_rubric_loaded(self, rubric) -> None:
        from simulator.analysis.judge import RubricJudge
        from simulator.ui.context import default_judge

        self._rubric_problem = None
        if "authoring" in self._pages:
            self.authoring.show_rubric_problem(None)
        # Tests and demos that judge with something else keep their own judge.
        if self.ctx.judge_factory is default_judge or self.ctx.judges_with(RubricJudge):
            self.ctx.use_judge(lambda: RubricJudge(rubric))
        log.info("phrases reloaded")

    def _on_rubric_failed(self, exc: BaseException) -> None:
        log.warning("phrases.yaml not reloaded: %s", exc)
        self._rubric_problem = str(exc)
        if "authoring" in self._pages:
            self.authoring.show_rubric_problem(self._rubric_problem)

    def _scenario(self, scenario_id: str) -> Scenario | None:
        lib = self.library.library or self.ctx.library_loader()
        scenario = lib.scenarios.get(scenario_id)
        if scenario is None:
            dialogs.tell(self, "Scenario not found",
                         f"The scenario “{scenario_id}” is no longer in the library. It may have been renamed "
                         "or removed.", warning=True)
        return scenario

    def start_scenario(self, scenario_id: str) -> None:
        scenario = self._scenario(scenario_id)
        if scenario is not None:
            if self.conversation.open(scenario):
                self._show(self.conversation, None)

    def _load_record(self, session_id: str) -> SessionRecord | None:
        try:
            return self.ctx.store.load(session_id)
        except (OSError, ValueError) as exc:
            dialogs.tell(self, "Session unavailable", f"That session could not be opened: {exc}", warning=True)
            return None

    def resume_session(self, session_id: str) -> None:
        record = self._load_record(session_id)
        if record is None:
            return
        scenario = self._scenario(record.state.scenario_id)
        if scenario is not None:
            if self.conversation.open(scenario, record.state):
                self._show(self.conversation, None)

    def review_session(self, session_id: str) -> None:
        record = self._load_record(session_id)
        if record is None:
            return
        scenario = self._scenario(record.state.scenario_id)
        if scenario is not None:
            self.debrief.show_record(record, scenario)  # shown: the classroom's notes (below)
            self._show(self.debrief, None)

    def retry_from_turn(self, session_id: str, turn_index: int) -> None:
        record = self._load_record(session_id)
        if record is None:
            return
        scenario = self._scenario(record.state.scenario_id)
        if scenario is None:
            return
        from simulator.conversation import rewound_state

        if self.conversation.open(scenario, rewound_state(scenario, record.state, turn_index)):
            self._show(self.conversation, None)

    # -- slots -----------------------------------------------------------------------------------
    def _on_settings_page_saved(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.ctx.settings.text_scale)
        # Widths that hold text grow with it, so a projector's large text is never clipped.
        self.sidebar.setFixedWidth(round(230 * self.ctx.settings.text_scale))
        self._update_who()
        self._update_storage_banner()
        # Another microphone, recogniser or listen mode: the listener follows.
        self.listening.apply_settings()

    def _on_watcher_changed(self, changed: list) -> None:
        phrases = [Path(p) for p in changed if Path(p).name == paths.PHRASES_FILE.name]
        if phrases:
            self.reload_rubric(phrases[0])
        if len(phrases) < len(changed):
            if self._current("library"):
                self.library.refresh()
            if "authoring" in self._pages and (self.authoring.inspection is not None or self._current("authoring")):
                self.authoring.refresh()

    def _on_calibration_calibrated(self) -> None:
        self.library.refresh()
        self.listening.warm()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self._current("conversation"):
            presenter = self.conversation.presenter
            if presenter.runner is not None and presenter.phase not in ("ended", "briefing") \
                    and presenter.runner.state.turns:
                # Every turn is already saved; closing just leaves the session resumable.
                presenter.leave_for_later()
        if self.classroom is not None:
            self.classroom.close()
        self.ctx.tasks.wait(3000)
        listener = self.ctx.devices.listener if self.ctx.devices_made else None
        if listener is not None and hasattr(listener, "close"):
            listener.close()  # the microphone and the recogniser's worker thread
        remember_place(self, self.ctx.settings, self.ctx.settings_file)
        super().closeEvent(event)


def focus_first(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
