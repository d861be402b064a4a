"""The settings screen's presenter against a plain fake view (no window): the inputs and outputs offered (an
unplugged choice kept), a sample heard with the form's unsaved choices and put back on Revert, what Save
refuses and why, a failed save changing nothing, a shortened retention applied, the defaults."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.settings import Settings, load_settings
from simulator.ui.context import Devices
from simulator.ui.settings.presenter import SAMPLE_LINE, SettingsPresenter
from tests.ui.fakes import FakeMicrophone, FakeSpeakers

pytestmark = pytest.mark.gui  # the device stand-ins are QObjects with signals


class FakeView:
    """Records what the presenter shows (SettingsView); `values` is the form as the trainee left it."""

    def __init__(self) -> None:
        self.form: Settings | None = None
        self.values: dict[str, Any] = {}
        self.microphones: tuple[list, str | None] = ([], None)
        self.speakers: tuple[list, str | None, bool] = ([], None, False)
        self.status: list[str] = []
        self.focused: list[str] = []
        self.in_use = ""
        self.told: list[str] = []
        self.saved = 0

    def show_form(self, settings):
        self.form = settings
        self.values = {name: getattr(settings, name) for name in (
            "trainee_name", "voice_enabled", "customer_speaking_speed", "customer_voice_engines", "subtitles",
            "listen_mode", "input_device", "output_device", "recognizer", "recognizer_model_dir", "text_scale",
            "data_dir", "recording_retention_days", "database_url")}
    def show_microphones(self, options, chosen): self.microphones = (list(options), chosen)
    def show_speakers(self, options, chosen, can_speak): self.speakers = (list(options), chosen, can_speak)
    def form_values(self): return dict(self.values)
    def show_status(self, text): self.status.append(text)
    def focus_field(self, name): self.focused.append(name)
    def show_recognizer_in_use(self, text): self.in_use = text
    def tell(self, title, text, warning=False): self.told.append(text)
    def announce_saved(self): self.saved += 1


@pytest.fixture
def form(qapp, make_context):
    view = FakeView()
    voice = FakeSpeakers()
    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, input_device="gone"),
                       Devices(voice=voice, microphone=FakeMicrophone()))
    presenter = SettingsPresenter(view, ctx)
    presenter.load()
    return presenter, view, ctx, voice


def test_the_inputs_and_outputs_offered_keep_an_unplugged_choice(form):
    presenter, view, ctx, _ = form
    assert view.microphones == ([(None, "System default"), ("mic", "Virtual microphone"), ("usb", "USB headset"),
                                 ("gone", "gone (not connected)")], "gone")
    assert view.speakers == ([(None, "System default"), ("hdmi", "Projector (HDMI)"), ("jack", "Headphones")],
                             None, True)
    assert view.in_use == "None: replies are typed" and view.status == [""]


def test_a_sample_is_heard_with_the_forms_choices_and_revert_puts_the_saved_ones_back(form):
    presenter, view, ctx, voice = form
    view.values.update(output_device="jack", customer_speaking_speed=80)
    presenter.play_sample()
    assert voice.chosen[-1] == b"jack" and voice.speeds[-1] == 80
    assert voice.spoken[-1] == ("settings/sample", SAMPLE_LINE)
    assert view.status[-1] == "Playing a sample of the customer's voice…"
    presenter.play_preview("male")
    assert voice.spoken[-1] == ("settings/preview-male", SAMPLE_LINE)
    assert view.status[-1] == "Playing the voice for men…"
    presenter.load()  # Revert
    assert voice.chosen[-1] is None and voice.speeds[-1] == ctx.settings.customer_speaking_speed
    presenter.load()
    assert len(voice.chosen) == 3  # put back once, not on every load


def test_save_refuses_vosk_without_its_folder_and_a_bad_database_address(form):
    presenter, view, ctx, _ = form
    view.values.update(recognizer="vosk", recognizer_model_dir=None)
    assert not presenter.save()
    assert view.status[-1] == "Choose the model folder for this recogniser, or pick PocketSphinx."
    assert view.focused == ["model_dir"]
    view.values.update(recognizer="whisper", database_url="postgresql+psycopg://trainer@server:abc/records")
    assert not presenter.save()
    assert view.status[-1].startswith("Not saved: ") and view.focused == ["model_dir", "database"]
    assert view.saved == 0 and ctx.settings.recognizer == "whisper"


def test_a_save_that_cannot_be_written_changes_nothing(form, monkeypatch):
    presenter, view, ctx, _ = form
    before = ctx.settings

    def full_disk():
        raise OSError("No space left on device")

    monkeypatch.setattr(ctx, "save_settings", full_disk)
    view.values.update(trainee_name="Jordan")
    assert not presenter.save()
    assert ctx.settings is before and view.told == ["No space left on device"] and view.saved == 0


def test_saving_applies_the_speaker_and_a_shortened_retention_at_once(form):
    presenter, view, ctx, voice = form
    view.values.update(trainee_name="Jordan", output_device="hdmi", recording_retention_days=30)
    assert presenter.save()
    assert load_settings(ctx.settings_file).trainee_name == "Jordan" and voice.chosen[-1] == b"hdmi"
    assert view.saved == 1
    assert view.status[-3:] == ["Saved.", "Saved. Deleting the recordings older than 30 days…",
                                "Saved. No recordings older than 30 days were found, so none were deleted."]


def test_the_defaults_keep_who_the_trainee_is_and_where_their_data_is(form):
    presenter, view, ctx, _ = form
    ctx.settings = ctx.settings.model_copy(update={"data_dir": "/srv/sessions", "subtitles": False})
    presenter.restore_defaults()
    assert view.form.trainee_name == "Alex" and view.form.data_dir == "/srv/sessions" and view.form.subtitles
    assert view.status[-1] == "Defaults restored in the form; press Save to keep them."
