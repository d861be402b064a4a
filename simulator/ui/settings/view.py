"""The settings screen: voice and its speed, listening, recogniser, subtitles, text size, data and the trainee's name.

Changes apply when the trainee presses Save (saved with simulator.settings.save_settings);
Revert puts the form back to what is saved.

Signals (SettingsPage):
    saved(): the settings were saved (the window re-applies the text size and reloads what depends on them).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from simulator.settings import Settings, data_root
from simulator.speech.catalogue import AUTO, ENGINES
from simulator.ui import dialogs
from simulator.ui.common import Banner, Page, button, fit_columns, label, scrolled_column
from simulator.ui.context import AppContext
from simulator.ui.settings.diagnostics import DiagnosticsBox
from simulator.ui.settings.presenter import VOICE_KINDS, Options, SettingsPresenter

log = logging.getLogger(__name__)

TEXT_SIZES = [0.75, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5]
# The engine choices per kind of customer: (Settings value, shown name, what it adds to the install).
VOICE_ENGINES = [(AUTO, "Automatic", "A natural voice where one is installed for the customer, else the system voice"),
                 *((key, info.label, f"{info.adds}; licence {info.licence}") for key, info in ENGINES.items())]
RECOGNISERS = [
    ("whisper", "Whisper tiny.en (built in)"),
    ("pocketsphinx", "PocketSphinx (lighter)"),
    ("vosk", "Vosk (model folder)"),
]


def noted(field: QWidget | QLayout, note: str | QLabel | QLayout) -> QVBoxLayout:
    """A form field with its explanation directly beneath it."""
    box = QVBoxLayout()
    box.setSpacing(4)
    if isinstance(field, QWidget):
        box.addWidget(field)
    else:
        box.addLayout(field)
    if isinstance(note, QLayout):
        box.addLayout(note)
    else:
        box.addWidget(note if isinstance(note, QLabel) else label(note, "small", wrap=True))
    return box


def folder_field(name: str) -> QLineEdit:
    """A folder's path, given the whole width of the form's field column (Browse sits under it: beside
    it, a path or the placeholder was cut off at 1280x720); the full path is its tooltip."""
    field = QLineEdit()
    field.setAccessibleName(name)
    field.textChanged.connect(field.setToolTip)
    return field


def browsed(note: QLabel, browse: QWidget) -> QHBoxLayout:
    """A folder field's explanation with its Browse button beside it."""
    row = QHBoxLayout()
    row.setSpacing(8)
    row.addWidget(note, 1)
    row.addWidget(browse, 0, Qt.AlignmentFlag.AlignTop)
    return row


class SettingsPage(Page):
    saved = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.presenter = SettingsPresenter(self, context)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroller, body, col = scrolled_column(outer)
        col.addWidget(label("Settings", "h1"))
        col.addWidget(label("Changes take effect when you press Save (Ctrl+S), at the bottom of the window.",
                            "muted", wrap=True))

        self.columns = columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(16)
        right = QVBoxLayout()
        right.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        col.addLayout(columns)

        you = QGroupBox("You")
        form = self._form(you)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Sam Taylor")
        self.name.setAccessibleName("Your name")
        form.addRow("Your name", noted(self.name, "Shown on your debriefs and used to keep your best results."))
        left.addWidget(you)

        customer = QGroupBox("The customer")
        form = self._form(customer)
        self.voice = QCheckBox("The customer speaks aloud")
        form.addRow(self.voice)
        speaker_row = QHBoxLayout()
        speaker_row.setSpacing(8)
        self.speaker = QComboBox()
        self.speaker.setAccessibleName("Speaker")
        speaker_row.addWidget(self.speaker, 1)
        self.sample_button = button("Play a sample", None, "Hear the customer's voice through this speaker")
        self.sample_button.clicked.connect(self._on_sample_clicked)
        speaker_row.addWidget(self.sample_button)
        self.speaker_note = label("", "small", wrap=True)
        form.addRow("Speaker", noted(speaker_row, self.speaker_note))
        self.speed = QSpinBox()
        self.speed.setRange(80, 130)
        self.speed.setSingleStep(5)
        self.speed.setSuffix("%")
        self.speed.setAccessibleName("Customer speaking speed")
        form.addRow("Speaking speed", noted(self.speed, "Lower it if the customer talks too fast for you to follow. "
                                                        "They still speed up as they get upset and slow down as "
                                                        "they calm. Play a sample to hear it."))
        self.voice_engines: dict[str, QComboBox] = {}
        self.voice_previews: dict[str, QWidget] = {}
        for kind, title in VOICE_KINDS:
            row = QHBoxLayout()
            row.setSpacing(8)
            combo = QComboBox()
            combo.setAccessibleName(f"Voice for {title.lower()}")
            # The engine names are long; at large text sizes the box narrows instead of widening the page.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            for key, text, tip in VOICE_ENGINES:
                combo.addItem(text, key)
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            row.addWidget(combo, 1)
            preview = button("Hear it", None, f"Hear a customer ({title.lower()}) with this voice")
            preview.clicked.connect(lambda _=False, k=kind: self._on_voice_preview_clicked(k))
            row.addWidget(preview)
            self.voice_engines[kind], self.voice_previews[kind] = combo, preview
            form.addRow(f"Voice: {title.lower()}", row)
        form.addRow(label("Others: customers described as neither a woman nor a man. Natural voices sound like "
                          "people; where none is installed for a customer, or one fails, the system voice speaks "
                          "instead.", "small", wrap=True))
        self.subtitles = QCheckBox("Show subtitles of what they say")
        form.addRow(self.subtitles)
        form.addRow(label("You can also switch subtitles on and off during a conversation (Ctrl+T).", "small",
                          wrap=True))
        left.addWidget(customer)

        display = QGroupBox("Display")
        form = self._form(display)
        self.text_size = QComboBox()
        for size in TEXT_SIZES:
            self.text_size.addItem(f"{size:.0%}", size)
        self.text_size.setAccessibleName("Text size")
        form.addRow("Text size", noted(self.text_size, "Larger sizes suit a projector or a large classroom screen."))
        left.addWidget(display)
        left.addStretch(1)

        listening = QGroupBox("Listening")
        form = self._form(listening)
        self.mode_group = QButtonGroup(self)
        # Short choices with the explanation beneath, so large text wraps instead of widening the page.
        self.push_to_talk = QRadioButton("Push to talk")
        self.hands_free = QRadioButton("Hands-free")
        self.mode_group.addButton(self.push_to_talk)
        self.mode_group.addButton(self.hands_free)
        form.addRow(noted(self.push_to_talk, "Hold the Space bar (or the button on screen) while you speak."))
        form.addRow(noted(self.hands_free, "The simulator listens whenever it's your turn, and a pause of about a "
                                           "third of a second ends your reply: for a reply of several "
                                           "sentences, hold Space."))
        self.microphone = QComboBox()
        self.microphone.setAccessibleName("Microphone")
        form.addRow("Microphone", noted(self.microphone, "Check it and record your voice under Microphone check."))
        self.recognizer = QComboBox()
        # Long choices: at large text sizes the box narrows instead of widening the page.
        self.recognizer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.recognizer.setMinimumContentsLength(12)
        for key, text in RECOGNISERS:
            self.recognizer.addItem(text, key)
        self.recognizer.setAccessibleName("Speech recogniser")
        self.recognizer.currentIndexChanged.connect(self._on_recognizer_current_index_changed)
        form.addRow("Recogniser", self.recognizer)
        self.model_dir = folder_field("Recogniser model folder")
        self.model_dir.setPlaceholderText("Folder with the downloaded model")
        self.model_browse = button("Browse…")
        self.model_browse.clicked.connect(self._on_model_browse_clicked)
        self.model_note = label("", "small", wrap=True)
        form.addRow("Model folder", noted(self.model_dir, browsed(self.model_note, self.model_browse)))
        self.recognizer_in_use = label("", "small", wrap=True)
        self.recognizer_in_use.setAccessibleName("Recogniser in use")
        form.addRow("In use", self.recognizer_in_use)
        self.listening_status = Banner("warning")
        self.listening_status.setVisible(False)
        form.addRow(self.listening_status)
        right.addWidget(listening)

        data = QGroupBox("Your data")
        form = self._form(data)
        # Labels above the fields: paths and the database address need the panel's whole width.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.data_dir = folder_field("Data folder")
        self.data_browse = button("Browse…")
        self.data_browse.clicked.connect(self._on_data_browse_clicked)
        form.addRow("Data folder", noted(self.data_dir, browsed(
            label("Your sessions and recordings are kept here. Leave it empty for the standard place.",
                  "small", wrap=True), self.data_browse)))
        self.retention = QSpinBox()
        self.retention.setRange(0, 3650)
        self.retention.setSuffix(" days")
        self.retention.setSpecialValueText("For ever")
        self.retention.setAccessibleName("Keep voice recordings for")
        form.addRow("Keep recordings", noted(self.retention, "Voice recordings older than this are deleted when the "
                                                            "app starts and when you shorten this; a session not yet "
                                                            "finished keeps its recordings until it is. Sessions and "
                                                            "scores are kept. Delete a trainee's data under History."))
        self.database = QLineEdit()
        self.database.setAccessibleName("Shared database")
        self.database.setPlaceholderText("postgresql+psycopg://user:password@server/simulator")
        form.addRow("Shared database", noted(self.database, "A training centre's PostgreSQL server, so the trainer "
                                                            "sees every station's sessions. Leave it empty to keep "
                                                            "records on this computer."))
        right.addWidget(data)
        self.diagnostics = DiagnosticsBox()
        right.addWidget(self.diagnostics)
        right.addStretch(1)

        # Save stays in view below the scrolling form: at 1280x720 the form is taller than the window.
        footer = QFrame()
        footer.setObjectName("footbar")
        buttons = QHBoxLayout(footer)
        buttons.setContentsMargins(36, 10, 36, 10)
        self.status = label("", "muted", wrap=True)
        buttons.addWidget(self.status, 1)
        self.defaults_button = button("Restore defaults")
        self.defaults_button.clicked.connect(self._on_defaults_clicked)
        buttons.addWidget(self.defaults_button)
        self.revert_button = button("Revert")
        self.revert_button.clicked.connect(self._on_revert_clicked)
        buttons.addWidget(self.revert_button)
        self.save_button = button("Save", "primary")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.save_button)
        col.addStretch(1)
        outer.addWidget(footer)
        self.load()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        fit_columns(self.columns, self.scroller.viewport().width() - 72)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        fit_columns(self.columns, self.scroller.viewport().width() - 72)

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        return form

    # -- the view (SettingsView) -----------------------------------------------------------------
    def load(self, settings: Settings | None = None) -> None:
        self.presenter.load(settings)

    def save(self) -> bool:
        return self.presenter.save()

    def show_form(self, settings: Settings) -> None:
        s = settings
        self.name.setText(s.trainee_name)
        self.voice.setChecked(s.voice_enabled)
        self.subtitles.setChecked(s.subtitles)
        self.push_to_talk.setChecked(s.listen_mode == "push_to_talk")
        self.hands_free.setChecked(s.listen_mode == "hands_free")
        self.speed.setValue(s.customer_speaking_speed)
        for kind, combo in self.voice_engines.items():
            combo.setCurrentIndex(max(0, combo.findData(s.customer_voice_engines.get(kind, AUTO))))  # type: ignore[call-overload]
        self.recognizer.setCurrentIndex(max(0, self.recognizer.findData(s.recognizer)))
        self.model_dir.setText(s.recognizer_model_dir or "")
        index = min(range(len(TEXT_SIZES)), key=lambda i: abs(TEXT_SIZES[i] - s.text_scale))
        self.text_size.setCurrentIndex(index)
        self.data_dir.setText(s.data_dir or "")
        self.retention.setValue(s.recording_retention_days)
        self.database.setText(s.database_url or "")
        self.data_dir.setPlaceholderText(str(data_root(Settings())))
        self._on_recognizer_current_index_changed()

    def show_microphones(self, options: Options, chosen: str | None) -> None:
        self.microphone.clear()
        for ident, name in options:
            self.microphone.addItem(name, ident)
        self.microphone.setCurrentIndex(max(0, self.microphone.findData(chosen)) if chosen else 0)

    def show_speakers(self, options: Options, chosen: str | None, can_speak: bool) -> None:
        self.speaker.clear()
        for ident, name in options:
            self.speaker.addItem(name, ident)
        self.speaker.setCurrentIndex(max(0, self.speaker.findData(chosen)) if chosen else 0)
        self.sample_button.setEnabled(can_speak)
        for preview in self.voice_previews.values():
            preview.setEnabled(can_speak)
        self.speaker_note.setText(
            "Choose where the customer's voice comes from, then press Play a sample to hear it." if can_speak
            else "No speakers or speech engine found: the customer's lines are shown as subtitles instead.")

    def form_values(self) -> dict:
        return {
            "trainee_name": self.name.text().strip(),
            "voice_enabled": self.voice.isChecked(),
            "customer_speaking_speed": self.speed.value(),
            "customer_voice_engines": self._chosen_voice_engines(),
            "subtitles": self.subtitles.isChecked(),
            "listen_mode": "hands_free" if self.hands_free.isChecked() else "push_to_talk",
            "input_device": self.microphone.currentData(),
            "output_device": self.speaker.currentData(),
            "recognizer": self.recognizer.currentData(),
            "recognizer_model_dir": self.model_dir.text().strip() or None,
            "text_scale": float(self.text_size.currentData()),
            "data_dir": self.data_dir.text().strip() or None,
            "recording_retention_days": self.retention.value(),
            "database_url": self.database.text().strip() or None,
        }

    def _chosen_voice_engines(self) -> dict[str, str]:
        """The form's engine per kind of customer; "auto" is the default and is not stored."""
        return {kind: combo.currentData() for kind, combo in self.voice_engines.items() if combo.currentData() != AUTO}

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def focus_field(self, name: str) -> None:
        {"model_dir": self.model_dir, "database": self.database}[name].setFocus()

    def show_recognizer_in_use(self, text: str | None = None) -> None:
        """Which recogniser listens now, and why when it is not the one chosen."""
        self.recognizer_in_use.setText(self.presenter.recognizer_in_use() if text is None else text)

    def tell(self, title: str, text: str, warning: bool = False) -> None:
        dialogs.tell(self, title, text, warning=warning)

    def announce_saved(self) -> None:
        self.saved.emit()

    def show_listening_status(self, problem: str) -> None:
        """After a save: why the chosen recogniser can't listen ("" when it can)."""
        self.listening_status.set_text("Speech recognition is off" if problem else "",
                                       f"{problem.rstrip('.')}. Until then replies are typed." if problem else "")
        self.listening_status.setVisible(bool(problem))
        self.show_recognizer_in_use()

    # -- slots -----------------------------------------------------------------------------------
    def _on_recognizer_current_index_changed(self, *_: object) -> None:
        choice = self.recognizer.currentData()
        takes_folder = choice != "pocketsphinx"
        self.model_dir.setEnabled(takes_folder)
        self.model_browse.setEnabled(takes_folder)
        self.model_note.setText({
            "whisper": "Whisper tiny.en is included, works offline and hears real, upset voices best; "
                       "leave the folder empty to use it, or choose another English-only (.en) "
                       "CTranslate2 Whisper model's folder.",
            "vosk": "Vosk models are not included: download one on a connected computer and choose its folder.",
        }.get(choice, "PocketSphinx is included, works offline and needs less memory and processor time, but "
                     "mishears more words of real voices."))

    def _on_sample_clicked(self) -> None:
        self.presenter.play_sample()

    def _on_voice_preview_clicked(self, kind: str) -> None:
        self.presenter.play_preview(kind)

    def _on_save_clicked(self) -> None:
        self.save()

    def _on_revert_clicked(self) -> None:
        self.presenter.load()

    def _on_model_browse_clicked(self) -> None:
        folder = dialogs.choose_folder(self, "Choose the recogniser's model folder", self.model_dir.text())
        if folder:
            self.model_dir.setText(folder)

    def _on_data_browse_clicked(self) -> None:
        folder = dialogs.choose_folder(self, "Choose where to keep your sessions", self.data_dir.text())
        if folder:
            self.data_dir.setText(folder)

    def _on_defaults_clicked(self) -> None:
        self.presenter.restore_defaults()
