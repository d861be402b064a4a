"""What every screen shares: the settings, the session store, the task runner, the judge and the devices.

The app builds one `AppContext` with the real services; tests build one with a synchronous runner,
a scripted judge and an inline scenario library, and drive the very same window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.devices.workers import Submit, TaskPool
from simulator.fileio import StorageError
from simulator.settings import Settings, data_root, load_settings, save_settings

if TYPE_CHECKING:
    from simulator.engine.judgement import Judge
    from simulator.engine.loader import Library
    from simulator.records.store import SessionStore

log = logging.getLogger(__name__)


def default_judge() -> Judge:
    """The rubric judge from simulator.analysis (wording and tone)."""
    from simulator.analysis.judge import RubricJudge

    return RubricJudge()


def default_library() -> Library:
    from simulator.scenario_folders import library

    return library()


def scenario_signature() -> tuple[tuple[str, int, int], ...]:
    """What the scenario folders hold now (names, times, sizes): the library reloads only when it changes."""
    from simulator.scenario_folders import scenario_folders

    found: list[tuple[str, int, int]] = []
    for folder in scenario_folders():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def open_store(root: Path, database_url: str | None) -> tuple[SessionStore, list[str], str | None]:
    """The records store for start-up, whatever happens: (store, notices to show, storage problem).

    A shared database that cannot be reached falls back to the data folder's SQLite file; a data
    folder that cannot be written (read-only, full) falls back to a store in memory, so the
    trainee can still practise, and the storage problem says why nothing is saved.
    """
    from simulator.records.db import MEMORY_URL, resolve_url, sqlite_url
    from simulator.records.store import SessionStore

    url = resolve_url(root, database_url)
    local = sqlite_url(root / "simulator.db")
    shared_problem = ""
    if url != local:
        try:
            return SessionStore(root, url=url), [], None
        except StorageError as exc:
            log.warning("shared database unavailable, keeping records locally: %s", exc)
            shared_problem = str(exc)
    try:
        store = SessionStore(root, url=local, standing_in_for=url if shared_problem else None)
    except StorageError as exc:
        log.error("the data folder %s cannot be used, nothing will be saved: %s", root, exc)
        problem = (f"Your practice is not saved: {shared_problem + '; and ' if shared_problem else ''}{exc}. "
                   "You can still practise with typed replies, but nothing is kept when the app closes.")
        return SessionStore(root, url=MEMORY_URL), [], problem
    notices = []
    if shared_problem:
        # Training goes on: sessions are kept on this computer, and the trainee is told so.
        notices.append(f"{shared_problem}\n\nUntil it is back, sessions are kept on this computer ({root}) and "
                       "sent to it as soon as it can be reached. Check the shared database setting under "
                       "Settings, or ask your trainer.")
    return store, notices, None


@dataclass
class Devices:
    """The audio services, each None when it is missing (no package yet, no device, no sound server)."""

    voice: Any = None
    microphone: Any = None
    listener: Any = None
    problems: list[str] = field(default_factory=list)

    @property
    def can_listen(self) -> bool:
        return self.listener is not None and _available(self.listener)

    @property
    def can_speak(self) -> bool:
        return self.voice is not None and _available(self.voice)

    def warm_up(self, settings: Settings) -> None:
        """Load the voices' and the recogniser's models on their workers and open the speaker once,
        before the first line needs them (the first stream is slow to open)."""
        if self.voice is not None and _available(self.voice):
            self.voice.warm_up()
        listener = self.listener
        # A stand-in listener (no signature) is about to be replaced by the chosen recogniser's,
        # which warms itself when it is made (ui/listening.py, make_listener).
        if listener is not None and listener.settings_signature is not None:
            from simulator.ui.listening import warm_listener

            warm_listener(listener, settings)


def _available(service: Any) -> bool:
    check = getattr(service, "is_available", None)
    try:
        return bool(check()) if callable(check) else True
    except Exception:  # a device that cannot even say whether it works does not work
        log.exception("device availability check failed")
        return False


def create_devices(settings: Settings) -> Devices:
    """The real audio services, with whichever of them can be made to work on this machine.

    Their models load later, off the GUI thread, when `Devices.warm_up` asks (the app: once its
    first screen is painted)."""
    devices = Devices()
    try:
        from simulator.devices.voice_out import VoiceOut

        devices.voice = VoiceOut()
        if settings.output_device:
            devices.voice.set_device(settings.output_device.encode())
        devices.voice.set_speed(settings.customer_speaking_speed)
        devices.voice.set_voice_choices(dict(settings.customer_voice_engines))
    except Exception as exc:
        log.warning("the customer's voice is unavailable: %s", exc)
        devices.problems.append("The customer's voice is unavailable, so their lines are shown as subtitles.")
        devices.voice = None
    try:
        from simulator.devices.microphone import Microphone

        devices.microphone = Microphone()
    except Exception as exc:
        log.warning("the microphone is unavailable: %s", exc)
        devices.microphone = None
    try:
        from simulator.devices.listener import Listener

        devices.listener = _make_listener(Listener, settings, devices.microphone)
    except Exception as exc:
        log.warning("speech recognition is unavailable: %s", exc)
        devices.listener = None
    return devices


def import_device_modules() -> None:
    """Import what `create_devices` needs (numpy, QtMultimedia, the speech engines), off the GUI thread."""
    import importlib

    for name in ("simulator.devices.voice_out", "simulator.devices.microphone", "simulator.devices.listener",
                 "simulator.ui.listening"):
        try:
            importlib.import_module(name)
        except ImportError as exc:  # create_devices says which service is missing
            log.info("not imported ahead: %s (%s)", name, exc)


def _make_listener(cls: Any, settings: Settings, microphone: Any) -> Any:
    """The Listener for these settings around the shared microphone. A recogniser that needs a
    model folder (Vosk, Whisper) is built later off the GUI thread: see
    ConversationPresenter.apply_listening_settings."""
    from simulator.ui.listening import listening_signature, make_listener

    listener = make_listener(settings, microphone, warm=False)  # Devices.warm_up, later
    # Any other recogniser is a stand-in until then: no signature matches None, so it is rebuilt.
    listener.settings_signature = listening_signature(settings) if settings.recognizer == "pocketsphinx" else None
    return listener


class Startup:
    """Work the first screen does not need, held until the window's first frame is painted.

    Loading the scenarios, the recognisers' and voices' models and the retention purge all run off the
    GUI thread, but in Python they take turns with it: started while the window is being built, they
    delayed its first frame by a second or more on a 2-core machine (bench/startup.py). The app holds
    them (`hold`) until its window is painted (`release`, simulator/ui/app.py); elsewhere (tests,
    scripts) nothing is held and `later(fn)` runs `fn` at once.
    """

    def __init__(self) -> None:
        self._held: list[Callable[[], object]] | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self) -> None:
        if self._held is None:
            self._held = []

    def later(self, fn: Callable[[], object]) -> None:
        """Run `fn` now, or when the first frame is painted if that has not happened yet (in order)."""
        if self._held is None:
            fn()
        else:
            self._held.append(fn)

    def release(self) -> None:
        held, self._held = self._held or [], None
        for fn in held:
            try:
                fn()
            except Exception:  # one failed start-up job must not stop the others
                log.exception("a start-up job failed")


StoreOpener = Callable[[], "tuple[SessionStore, list[str], str | None]"]


class AppContext:
    """What every screen shares. The app's records database and audio devices are opened when first
    wanted, or just after the first frame (MainWindow), whichever comes first; tests hand both in."""

    def __init__(self, settings: Settings, *, tasks: Submit, store: SessionStore | None = None,
                 judge_factory: Callable[[], Judge] = default_judge,
                 library_loader: Callable[[], Library] = default_library,
                 library_signature: Callable[[], tuple] = scenario_signature,
                 devices: Devices | None = None, settings_file: Path | None = None,
                 startup_notices: list[str] | None = None, storage_problem: str | None = None,
                 startup: Startup | None = None, store_opener: StoreOpener | None = None,
                 devices_maker: Callable[[Settings], Devices] | None = None) -> None:
        if store is None and store_opener is None:
            raise ValueError("an AppContext needs a store or a way to open one")
        self.settings = settings
        self.tasks = tasks
        self.judge_factory = judge_factory
        self.library_loader = library_loader
        self.library_signature = library_signature
        self.settings_file = settings_file
        # What the trainee must be told once the window is up (e.g. the shared database is down).
        self.startup_notices: list[str] = list(startup_notices or [])
        # Why sessions are kept in memory only (the data folder cannot be written), or None.
        self.storage_problem = storage_problem
        # What waits for the first frame (the app holds it until its window is painted).
        self.startup = startup or Startup()
        self._store = store
        self._store_opener = store_opener
        # Opened once, by whichever thread asks first; another that asks meanwhile waits for it.
        self._store_lock = threading.Lock()
        self._devices = devices
        self._devices_maker = devices_maker
        # Who waits for `prepare_devices` while the device modules are imported (None: not importing).
        self._devices_waiting: list[Callable[[], object]] | None = None
        self._judge: Judge | None = None

    @classmethod
    def for_app(cls) -> AppContext:
        settings = load_settings()
        root = data_root(settings)
        # Neither the records database nor the audio devices are opened here: see `store`, `devices`.
        return cls(settings=settings, tasks=TaskPool(), store_opener=lambda: open_store(root, settings.database_url),
                   devices_maker=lambda s: create_devices(s))

    # -- the records database --------------------------------------------------------------------
    @property
    def store(self) -> SessionStore:
        """The records store, opened now if it has not been yet (the app opens it off the GUI thread
        just after its first frame; a caller that comes first opens it, or waits for that)."""
        store = self._store
        if store is None:
            store = self.open_store()
        return store

    @store.setter
    def store(self, store: SessionStore) -> None:
        with self._store_lock:
            self._store = store

    @property
    def opened_store(self) -> SessionStore | None:
        """The records store if it is open; never opens it."""
        return self._store

    def open_store(self) -> SessionStore:
        """Open the records store if it is not open yet (any thread); the notices and the storage
        problem are set by then."""
        with self._store_lock:
            if self._store is None:
                assert self._store_opener is not None
                store, notices, problem = self._store_opener()
                self.startup_notices.extend(notices)
                self.storage_problem = problem
                self._store = store
            return self._store

    @property
    def saving(self) -> bool:
        """Whether sessions are being saved (False: kept in memory, see `storage_problem`). True until
        the records database is open: nothing has been saved or lost by then."""
        return bool(getattr(self._store, "saving", True))

    # -- the audio devices -----------------------------------------------------------------------
    @property
    def devices(self) -> Devices:
        """The audio services, made now if they have not been yet (the app: just after its first frame)."""
        if self._devices is None:
            maker = self._devices_maker
            self._devices = maker(self.settings) if maker is not None else Devices()
        return self._devices

    @devices.setter
    def devices(self, devices: Devices) -> None:
        self._devices = devices

    @property
    def devices_made(self) -> bool:
        return self._devices is not None

    def prepare_devices(self, then: Callable[[], object]) -> None:
        """Make the audio services, then call `then` (on the GUI thread). Their modules (numpy,
        QtMultimedia, the speech engines) are imported on the task runner first, once, so the GUI
        thread only makes the objects; a caller that comes meanwhile is called after them too."""
        if self._devices is not None or self._devices_maker is None:
            then()
            return
        if self._devices_waiting is not None:  # the modules are being imported already
            self._devices_waiting.append(then)
            return
        self._devices_waiting = [then]

        def made(_: object) -> None:
            waiting, self._devices_waiting = self._devices_waiting or [], None
            self.devices  # noqa: B018 - made now, on the GUI thread
            for call in waiting:
                call()

        self.tasks.submit(import_device_modules, on_done=made, on_error=made)

    def save_settings(self) -> None:
        """Save the settings; another data folder or shared database is opened first, so a server that
        cannot be reached raises DatabaseUnavailable (an OSError) and nothing changes."""
        from simulator.records.db import resolve_url
        from simulator.records.store import SessionStore

        root = data_root(self.settings)
        url = resolve_url(root, self.settings.database_url)
        if root != self.store.root or url != self.store.url:
            # Another records database; open it (and migrate it) once.
            old, self.store = self.store, SessionStore(root, url=url)
            close = getattr(old, "close", None)
            if callable(close):
                close()
            self.storage_problem = None
        save_settings(self.settings, self.settings_file)

    def make_judge(self) -> Judge:
        """The judge, made once: loading the rubric takes a moment, and a judge keeps no per-session state."""
        if self._judge is None:
            self._judge = self.judge_factory()
        return self._judge

    def use_judge(self, factory: Callable[[], Judge]) -> None:
        """Judge with what `factory` makes from the next reply on (after phrases.yaml was reloaded)."""
        self.judge_factory = factory
        self._judge = None

    def judges_with(self, kind: type) -> bool:
        """Whether the judge already made is a `kind` (False before the first reply)."""
        return isinstance(self._judge, kind)
