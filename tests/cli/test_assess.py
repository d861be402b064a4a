"""`simulator assess`: typed replies, recordings and batches, and clear errors for bad input."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from tests.support.speech import espeak_wav

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"intent", "confidence", "techniques", "triggers", "tone", "agitation_delta"}
TONE_KEYS = {"label", "loudness_db", "pitch_hz", "pitch_range_semitones", "rate_wps", "cues"}
needs_tts = pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("sox")),
                               reason="needs espeak-ng and sox")


def simulator(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", "assess", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def speak(tmp_path: Path, text: str, name: str = "reply.wav") -> Path:
    wav = espeak_wav(text, tmp_path / name)
    return wav


# -- typed replies -------------------------------------------------------------------------------------------

def test_text_json_through_the_real_command():
    done = simulator("--text", "I understand, but calm down", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert KEYS <= set(out) and "transcript" not in out
    assert out["intent"] == "escalate"
    assert out["tone"] is None
    assert {"name": "calm_down", "evidence": "calm down"} in out["triggers"]
    assert {"name": "empathy", "evidence": "I understand"} in out["techniques"]
    assert 0 < out["agitation_delta"] <= 30
    assert any("Calm down" in s for s in out["explanation"])


def test_text_with_name_and_customer_line(capsys):
    code = main(["assess", "--text", "So you've been waiting forty minutes, Mrs Okoye. I'm sorry.",
                 "--name", "Grace Okoye", "--customer-line", "I've been waiting forty minutes!", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["intent"] == "deescalate"
    assert {"reflect", "use_name", "apologise"} <= {t["name"] for t in out["techniques"]}
    assert out["agitation_delta"] < 0


def test_readable_output_without_json(capsys):
    assert main(["assess", "--text", "I can see you're frustrated."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("De-escalating")
    assert "You named the feeling: 'I can see you're frustrated'." in out


def test_a_broken_rubric_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "phrases.yaml"
    bad.write_text("techniques:\n  empathy: [\n", encoding="utf-8")
    done = simulator("--text", "hello", "--rubric", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:") and "Traceback" not in done.stderr


# -- batches -------------------------------------------------------------------------------------------------

def test_batch_of_typed_replies_keeps_order(tmp_path):
    tsv = tmp_path / "replies.tsv"
    tsv.write_text("id\treply\tnote\n1\tWhatever.\tx\n2\tI'm so sorry about that.\ty\n3\tID please.\tz\n",
                   encoding="utf-8")
    done = simulator("--batch", str(tsv), "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["intent"] for o in lines] == ["escalate", "deescalate", "neutral"]
    assert all(KEYS <= set(o) for o in lines)


def test_a_csv_batch_as_a_spreadsheet_saves_it(tmp_path):
    csv_file = tmp_path / "replies.csv"
    csv_file.write_text('id,reply\n1,"Calm down, mate."\n2,"I\'m so sorry, that\'s a long wait."\n', encoding="utf-8")
    done = simulator("--batch", str(csv_file), "--json")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["intent"] for line in done.stdout.splitlines()] == ["escalate", "deescalate"]


def test_a_comma_separated_header_in_a_tsv_named_file_is_read_as_csv(tmp_path):
    tsv = tmp_path / "replies.tsv"
    tsv.write_text("reply,note\nWhatever.,x\n", encoding="utf-8")
    done = simulator("--batch", str(tsv), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["intent"] == "escalate"


def test_a_thousand_typed_replies_in_under_five_seconds(tmp_path):
    replies = ["I can see you're frustrated, let me check.", "Calm down.", "Can I see your receipt?",
               "i hear you mate but rules are rules", "So you've been waiting an hour? I'm sorry."]
    tsv = tmp_path / "many.tsv"
    tsv.write_text("reply\n" + "\n".join(replies[i % len(replies)] + f" ({i})" for i in range(1000)) + "\n",
                   encoding="utf-8")
    # The child's CPU time, not wall time: the suite shares the machine, and other processes' load
    # is not ours (bench/wording_accuracy.py --batch-speed reports the wall time).
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = simulator("--batch", str(tsv), "--json")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1000
    assert elapsed < 5.0, f"{elapsed:.2f} s of CPU"


def test_a_tsv_without_reply_or_audio_column(tmp_path):
    tsv = tmp_path / "bad.tsv"
    tsv.write_text("text\tintent\nhello\tneutral\n", encoding="utf-8")
    done = simulator("--batch", str(tsv), "--json")
    assert done.returncode == 2
    assert str(tsv) in done.stderr and "'reply'" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_missing_tsv(tmp_path):
    done = simulator("--batch", str(tmp_path / "nope.tsv"))
    assert done.returncode == 2 and "no such file" in done.stderr


@needs_tts
def test_batch_with_audio_rows_and_a_bad_row(tmp_path):
    speak(tmp_path, "thank you for waiting", "a.wav")
    tsv = tmp_path / "audio.tsv"
    tsv.write_text("audio\tbaseline\na.wav\ta.wav\nmissing.wav\t\n" + f"{tmp_path / 'a.wav'}\t\n",
                   encoding="utf-8")
    done = simulator("--batch", str(tsv), "--json", timeout=300)
    assert done.returncode == 2
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["tone"] is not None and "transcript" in lines[0]
    assert lines[1]["row"] == 3 and "missing.wav" in lines[1]["error"] and "no such file" in lines[1]["error"]
    assert "transcript" in lines[2]
    assert "Traceback" not in done.stderr and "row 3" in done.stderr


# -- recordings ------------------------------------------------------------------------------------------------

@needs_tts
def test_audio_with_baseline(tmp_path):
    reply = speak(tmp_path, "I can see you are frustrated, let me check that for you")
    baseline = speak(tmp_path, "The quick brown fox jumps over the lazy dog", "baseline.wav")
    done = simulator("--audio", str(reply), "--baseline", str(baseline), "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert KEYS <= set(out) and isinstance(out["transcript"], str)
    assert out["unsure_words"] == []  # no grave trigger was heard
    assert TONE_KEYS <= set(out["tone"])
    assert out["tone"]["label"] in ("calm", "raised", "shouting", "flat")


@needs_tts
def test_recordings_are_recognised_as_the_app_would_with_the_replies_and_the_customers_name(tmp_path):
    """The app ranks Whisper's candidates with a model of what trainees say (speech/rescoring.py);
    assess does too, with the shared corpus and the row's customer name. Without it Whisper heard
    "I'm sorry, I've been waiting so long, may not." and "I can see your frustrated and not want
    to help." in espeak-ng's voice."""
    speak(tmp_path, "I'm sorry you've been waiting so long, Dana", "a.wav")
    speak(tmp_path, "I can see you're frustrated and I want to help", "b.wav")
    tsv = tmp_path / "replies.tsv"
    tsv.write_text("audio\tcustomer_name\na.wav\tDana Whitfield\nb.wav\t\n", encoding="utf-8")
    done = simulator("--batch", str(tsv), "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    heard = [json.loads(line)["transcript"].lower() for line in done.stdout.splitlines()]
    assert "waiting so long, dana" in heard[0]
    assert "i want to help" in heard[1]


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: None, "no such file"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_text("not audio at all"), "not a WAV file"),
    (lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt "), ""),
    (lambda p: p.mkdir(), "folder"),
])
def test_bad_audio_is_one_line_and_exit_2(tmp_path, make, expected):
    path = tmp_path / "reply.wav"
    make(path)
    done = simulator("--audio", str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and expected in lines[0]
    assert "Traceback" not in done.stderr


def test_a_bad_baseline_is_reported_by_name(tmp_path, capsys):
    reply = tmp_path / "reply.wav"
    reply.write_text("nope")
    assert main(["assess", "--audio", str(tmp_path / "missing.wav"), "--baseline", str(reply)]) == 2
    assert "missing.wav" in capsys.readouterr().err


def test_exactly_one_source_is_required():
    done = simulator("--text", "hi", "--batch", "x.tsv")
    assert done.returncode == 2 and "not allowed with" in done.stderr


def test_a_recording_whose_insult_rests_on_an_unsure_word_says_so(tmp_path, monkeypatch, capsys):
    from simulator.cli import assess
    from simulator.engine.judgement import HeardWord, ToneReading

    said = "that was a dick"
    words = tuple(HeardWord(w, 0.2 if w == "dick" else 0.9) for w in said.split())
    monkeypatch.setattr(assess, "_transcriber", lambda: lambda path, name: (said, 0.8, words))
    monkeypatch.setattr(assess, "_check_wav", lambda path, what: None)
    monkeypatch.setattr("simulator.analysis.judge._default_tone",
                        lambda: (lambda audio, baseline=None: ToneReading(label="calm"), lambda path: None))
    assert main(["assess", "--audio", str(tmp_path / "reply.wav"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unsure_words"] == ["dick"] and [t["name"] for t in out["triggers"]] == ["insult"]
    assert any("hear it again" in line for line in out["explanation"])
