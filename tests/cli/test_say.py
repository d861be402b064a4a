"""`simulator say`: a line in a scenario customer's voice, rendered by the real engines."""

from __future__ import annotations

import subprocess
import sys
import wave

import pytest

from simulator.cli import main


def seconds(path) -> float:
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.getnframes() / wav.getframerate()


def test_a_line_in_the_customer_s_natural_voice(tmp_path, capsys, private_data_dir):
    out = tmp_path / "dana.wav"
    assert main(["say", "--scenario", "late-pickup", "Where is my order?", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Dana Whitfield, " in printed and "agitation 55" in printed
    assert "hibari's voice heart" in printed or "flite's voice slt" in printed
    assert 0.5 < seconds(out) < 3.0


def test_agitation_and_engine_are_chosen_on_the_command_line(tmp_path, capsys, private_data_dir):
    calm, hot = tmp_path / "calm.wav", tmp_path / "hot.wav"
    line = "I have been waiting here for forty minutes and nobody has told me anything."
    for agitation, out in (("5", calm), ("95", hot)):
        assert main(["say", "--scenario", "late-pickup", "--engine", "pyttsx3", "--agitation", agitation,
                     line, "--out", str(out)]) == 0
    assert "the system voice gmw/en" in capsys.readouterr().out
    assert seconds(hot) < seconds(calm) * 0.75


def test_without_engine_the_line_is_said_as_settings_would_have_it(tmp_path, capsys, private_data_dir):
    """An author who chose the system voice for women, and a slower customer, in Settings hears that."""
    from simulator.settings import Settings, save_settings

    line = "I have been waiting here for forty minutes."
    default, chosen = tmp_path / "default.wav", tmp_path / "chosen.wav"
    assert main(["say", "--scenario", "late-pickup", "--engine", "pyttsx3", line, "--out", str(default)]) == 0
    save_settings(Settings(customer_voice_engines={"female": "pyttsx3"}, customer_speaking_speed=80))
    assert main(["say", "--scenario", "late-pickup", line, "--out", str(chosen)]) == 0
    assert "the system voice gmw/en" in capsys.readouterr().out.splitlines()[-1]
    assert seconds(chosen) > seconds(default) * 1.1  # 80% speed


@pytest.mark.parametrize("engine, said", [("auto", "voice"), ("pyttsx3", "the system voice"),
                                          ("hibari", "hibari's voice heart"), ("flite", "flite's voice")])
def test_every_engine_says_a_line_at_any_agitation(engine, said, tmp_path, capsys, private_data_dir):
    from simulator.speech.flite_voice import FliteEngine

    if engine == "flite" and not FliteEngine().available:
        pytest.skip("flite is not installed")
    for agitation in ("10", "90"):
        out = tmp_path / f"{engine}-{agitation}.wav"
        assert main(["say", "--scenario", "asked-to-leave" if engine == "flite" else "late-pickup", "--engine",
                     engine, "--agitation", agitation, "Then who is in charge here?", "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        assert said in printed and f"agitation {agitation}" in printed
        assert 0.5 < seconds(out) < 4.0


@pytest.mark.parametrize("argv, message", [
    (["--scenario", "no-such-scenario", "Hello"], "no scenario with id or file 'no-such-scenario'"),
    (["--scenario", "late-pickup", "  "], "TEXT is empty"),
    (["--scenario", "late-pickup", "--agitation", "140", "Hello"], "between 0 and 100"),
])
def test_bad_input_is_said_plainly(argv, message, tmp_path, capsys, private_data_dir):
    assert main(["say", *argv, "--out", str(tmp_path / "x.wav")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()


def test_a_missing_folder_is_named(tmp_path, capsys, private_data_dir):
    out = tmp_path / "nowhere" / "x.wav"
    assert main(["say", "--scenario", "late-pickup", "Hello", "--out", str(out)]) == 2
    assert f"the folder {out.parent} does not exist" in capsys.readouterr().err


def test_as_a_real_command(tmp_path, private_data_dir):
    out = tmp_path / "frank.wav"
    result = subprocess.run([sys.executable, "-m", "simulator", "say", "--scenario", "asked-to-leave",
                             "I'm not going anywhere.", "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Frank Doyle" in result.stdout and seconds(out) > 0.5
