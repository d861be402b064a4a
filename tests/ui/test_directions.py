"""Stage directions: shown as a caption under the customer's line, never handed to the voice."""

from __future__ import annotations

import pytest

from simulator.engine.loader import load_library
from simulator.settings import Settings
from simulator.ui.context import Devices
from tests.ui.conversation.test_speaking import devices, spoken_window  # noqa: F401 (fixtures: a window with a voice, subtitles off)
from tests.ui.fakes import FakeVoice

pytestmark = pytest.mark.gui

DIRECTION = "Sam slaps the counter; the queue behind goes quiet."


@pytest.fixture
def directed(scenario_dir):
    """The inline parcel scenario with a direction on its first line."""
    path = scenario_dir / "parcel.yaml"
    text = path.read_text(encoding="utf-8")
    opening = "    say: I was promised this parcel today. Where is it?\n"
    assert opening in text
    path.write_text(text.replace(opening, opening + f"    direction: {DIRECTION}\n"), encoding="utf-8")
    return scenario_dir


def test_the_conversation_shows_the_direction_and_the_voice_does_not_say_it(directed, spoken_window, devices):  # noqa: F811
    # `directed` comes first: the scenario file is edited before the window loads the library.
    win, voice = spoken_window, devices.voice
    bubble = win.conversation.bubbles[-1]
    assert voice.spoken[-1][1] == "I was promised this parcel today. Where is it?"
    assert all(DIRECTION not in text for _, text in voice.spoken)
    # Subtitles are off (the trainee listens), but a direction is never spoken, so it is always shown.
    assert bubble.direction is not None and bubble.direction.text() == DIRECTION
    assert bubble.direction.isVisibleTo(bubble)
    assert DIRECTION not in bubble.text_value


def test_the_projector_shows_the_direction_and_the_voice_does_not_say_it(qtbot, make_context, directed):
    from simulator.ui.classroom.view import Classroom

    voice = FakeVoice()
    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True), Devices(voice=voice))
    ctx.store.add_trainee("Ana", "Tuesday")
    room = Classroom(ctx)
    qtbot.addWidget(room.trainer)
    qtbot.addWidget(room.projector)
    room.show(class_name="Tuesday", library=load_library([directed]))
    room.trainer.select_scenario("parcel")
    assert room.trainer.start()
    assert room.projector.direction.text() == DIRECTION
    assert room.projector.direction.isVisibleTo(room.projector)
    assert DIRECTION not in room.projector.subtitle.text()
    assert voice.spoken and all(DIRECTION not in text for _, text in voice.spoken)
