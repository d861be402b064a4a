"""Listener: replies from the microphone, by push-to-talk and hands-free, with their timings."""

from __future__ import annotations

import itertools
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.devices import listener as listener_module
from simulator.devices.listener import Listener, ReplyResult
from simulator.devices.signals import safe_emit
from simulator.devices.workers import InlineWorker
from simulator.records.recordings import Recordings
from simulator.speech.adaptation import build_adaptation
from simulator.speech.recognizer import StreamingRecognizer
from tests.support.listening import CountingRecognizer, FeedMicrophone
from tests.support.speech import espeak_wav

REPLY = "I'm sorry you've been kept waiting"


def speak(text: str, out: Path, pad: tuple[float, float] = (0.5, 1.0)) -> Path:
    return espeak_wav(text, out, "en-us", pad)


@pytest.fixture(scope="module")
def recognizer() -> StreamingRecognizer:
    rec = StreamingRecognizer(build_adaptation([REPLY, "Thank you for waiting"], ["Dana"]))
    rec.prepare()
    return rec


def test_push_to_talk_recognises_the_reply_between_press_and_release(qtbot, tmp_path, recognizer):
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.2, 0.3))
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    results: list[ReplyResult] = []
    listener.reply_ready.connect(results.append)
    assert listener.press()
    mic.play(wav)
    listener.release()
    assert len(results) == 1
    result = results[0]
    assert len({"sorry", "kept", "waiting"} & set(result.text.split())) >= 2, result.text
    assert not result.low_confidence
    assert result.wav_path is not None and result.wav_path.exists()
    assert result.result_time >= result.speech_end_time


def test_hands_free_needs_no_key_and_ignores_audio_after_the_reply(qtbot, tmp_path, recognizer):
    wav = speak(REPLY, tmp_path / "reply.wav")
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="hands_free", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    results: list[ReplyResult] = []
    started: list[bool] = []
    listener.reply_ready.connect(results.append)
    listener.speech_started.connect(lambda: started.append(True))
    assert listener.start()
    mic.play(wav)
    mic.play(wav)  # the customer talking after the reply is not a second reply
    assert started == [True]
    assert len(results) == 1
    assert "waiting" in results[0].text.split()


def test_hands_free_a_reply_begun_with_the_talk_key_goes_on_past_a_pause(qtbot, tmp_path, recognizer):
    """A long reply in hands-free mode: holding the key keeps a pause between sentences from ending it."""
    first = speak(REPLY, tmp_path / "first.wav", pad=(0.2, 0.0))
    second = speak("Thank you for waiting", tmp_path / "second.wav", pad=(0.8, 0.3))
    listener, mic, results, _ = hands_free(recognizer, tmp_path)
    assert listener.press()
    mic.play(first)
    mic.play(second)  # after 0.8 s of silence, which ends a hands-free reply begun by speaking
    assert results == []
    listener.release()
    assert len(results) == 1
    assert results[0].text.split().count("waiting") == 2, results[0].text  # both sentences end "waiting"
    with wave.open(str(results[0].wav_path)) as w, wave.open(str(second)) as s:
        assert w.getnframes() / w.getframerate() > s.getnframes() / s.getframerate() + 1.0
    # The next reply, not begun with the key, ends at a pause again.
    assert listener.start()
    mic.play(speak(REPLY, tmp_path / "again.wav"))
    assert len(results) == 2


@pytest.mark.parametrize(("complete", "silence"), [(True, 0.2), (False, 0.7)])
def test_hands_free_ends_a_finished_sounding_reply_after_a_short_pause(qtbot, tmp_path, recognizer,
                                                                       monkeypatch, complete,
                                                                       silence):
    """The worker judges each pause from the recogniser's partial and the speech before it; the
    turn ends after a short pause when that sounds finished, else after the long hangover."""
    asked: list[tuple[str, bytes]] = []

    def judge(partial: str, tail: bytes) -> bool:
        asked.append((partial, tail))
        return complete
    monkeypatch.setattr(listener_module.endpoint, "sounds_complete", judge)
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.5, 1.5))
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="hands_free", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path), end_on_cue=True)
    heard: list[int] = []  # bytes of audio played when the reply came
    played = [0]
    mic.chunk.connect(lambda pcm: played.__setitem__(0, played[0] + len(pcm)))
    listener.reply_ready.connect(lambda result: heard.append(played[0]))
    assert listener.start()
    mic.play(wav)
    assert len(heard) == 1
    assert asked and "waiting" in asked[-1][0].split()
    tail = np.frombuffer(asked[-1][1], dtype="<i2")
    assert len(tail) == int(listener_module.endpoint.TAIL * 16000)
    assert np.abs(tail[-800:]).max() > 300  # the tail ends in speech, not in the pause
    with wave.open(str(wav)) as w:
        samples = np.abs(np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float))
    end = np.nonzero(samples > 0.02 * samples.max())[0][-1] * 2
    # Give or take the VAD's frames and one 50 ms chunk.
    assert -0.05 < (heard[0] - end) / 32000 - silence < 0.2


@pytest.mark.parametrize(("mode", "end_on_cue"), [("hands_free", None), ("push_to_talk", True)])
def test_the_cue_is_not_asked_by_default_nor_in_push_to_talk(qtbot, tmp_path, recognizer,
                                                            monkeypatch, mode, end_on_cue):
    asked: list[str] = []
    monkeypatch.setattr(listener_module.endpoint, "sounds_complete",
                        lambda partial, tail: asked.append(partial) or True)
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.5, 1.0))
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode=mode, worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path), end_on_cue=end_on_cue)
    results: list[ReplyResult] = []
    listener.reply_ready.connect(results.append)
    assert (listener.start() if mode == "hands_free" else listener.press())
    mic.play(wav)
    if mode == "push_to_talk":
        listener.release()
    assert len(results) == 1 and asked == []


def hands_free(recognizer, folder: Path) -> tuple[Listener, FeedMicrophone, list[ReplyResult], list[ReplyResult]]:
    """A started hands-free Listener on a fed microphone, with its replies and its likely replies."""
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="hands_free", worker=InlineWorker(), microphone=mic, recordings=Recordings(folder))
    results: list[ReplyResult] = []
    likely: list[ReplyResult] = []
    listener.reply_ready.connect(results.append)
    listener.reply_likely.connect(likely.append)
    assert listener.start()
    return listener, mic, results, likely


def two_sentences(folder: Path) -> tuple[Path, Path]:
    """A reply of two sentences: espeak-ng ends the first with about 0.3 s that the VAD calls
    silence, a pause past the speculation point and short of the hangover."""
    return (speak(REPLY, folder / "first.wav", pad=(0.5, 0.0)),
            speak("Thank you for waiting", folder / "second.wav", pad=(0.0, 1.0)))


def test_hands_free_speculates_at_a_pause_and_recovers_when_the_trainee_goes_on(qtbot, tmp_path,
                                                                              recognizer, monkeypatch):
    """With speculation on, the final pass starts at a short pause; speech after it is recognised
    with what came before, and the pass made during the hangover at the end is the reply (not a
    third one)."""
    monkeypatch.setattr(listener_module, "_SPECULATE_AFTER", 0.12)
    counting = CountingRecognizer(recognizer)
    _, mic, results, likely = hands_free(counting, tmp_path)
    for part in two_sentences(tmp_path):
        mic.play(part)
    assert len(results) == 1
    # Both sentences are in it (the second alone is four words); which words, espeak-ng's speech
    # and the test run decide (the first sentence came back as "are you it waiting" once).
    assert len(results[0].text.split()) > 4, results[0].text
    # begin + a new utterance after the pause (nothing decoded twice); the pause's pass and the one
    # during the hangover, which is the reply.
    assert (counting.starts, counting.finishes) == (2, 2)
    # Each pass was offered as the likely reply; the second is the one confirmed, with its
    # recording (the whole reply), and the first's recording is gone.
    assert [r.speculation for r in likely] == [1, 2]
    assert results[0].speculation == 2 and results[0].text == likely[1].text
    assert results[0].wav_path == likely[1].wav_path and not likely[0].wav_path.exists()
    assert likely[0].text.split() == results[0].text.split()[:len(likely[0].text.split())]
    with wave.open(str(results[0].wav_path)) as w:  # the recording holds the whole reply
        assert w.getnframes() > 16000 * 2
    # The words after the pause keep their time in the reply.
    words = results[0].transcript.words
    assert all(a.start <= b.start for a, b in itertools.pairwise(words)), words


def test_a_recogniser_that_decodes_only_at_the_end_is_never_finished_early(qtbot, tmp_path, recognizer):
    """A recogniser that asks not to be (`streaming = False`) is never finished at a pause: once, at the end."""
    counting = CountingRecognizer(recognizer)
    counting.streaming = False  # type: ignore[attr-defined]
    _, mic, results, likely = hands_free(counting, tmp_path)
    for part in two_sentences(tmp_path):
        mic.play(part)
    assert len(results) == 1 and not likely and results[0].speculation is None
    assert (counting.starts, counting.finishes) == (1, 1)


@pytest.mark.audio
def test_hands_free_reply_from_the_real_microphone_on_a_worker_thread(pulse, qtbot, tmp_path,
                                                                      recognizer):
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.5, 1.5))
    listener = Listener(recognizer, mode="hands_free", recordings=Recordings(tmp_path))
    partials: list[str] = []
    listener.partial.connect(partials.append)
    with qtbot.waitSignal(listener.listening, timeout=5000):
        assert listener.start()
    with qtbot.waitSignal(listener.reply_ready, timeout=20000) as blocker:
        pulse.play_into_mic(wav, wait=False)
    result: ReplyResult = blocker.args[0]
    listener.close()
    assert "waiting" in result.text.split(), result.text
    assert partials, "a live transcript should appear while speaking"
    with wave.open(str(wav)) as w:
        samples = np.abs(np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float))
    loud = np.nonzero(samples > 0.02 * samples.max())[0]
    spoken = (loud[-1] - loud[0]) / 16000
    # Playback start-up delay is unknown, so compare the reply's length as the VAD timed it
    # with the speech in the file: the end lands within a few hundred ms of the real end.
    assert result.speech_start_time is not None
    timed = result.speech_end_time - result.speech_start_time
    # Chunks are stamped when the GUI thread sees them, so a busy machine adds some slack.
    assert spoken - 0.25 < timed < spoken + 0.6, (timed, spoken)
    assert result.latency < 2.0
    with wave.open(str(result.wav_path)) as w:
        assert w.getnframes() > 16000 * 1.0


@pytest.mark.audio
def test_fails_with_a_message_when_the_device_does_not_exist(pulse, qtbot, tmp_path, recognizer):
    listener = Listener(recognizer, worker=InlineWorker(), recordings=Recordings(tmp_path))
    with qtbot.waitSignal(listener.failed, timeout=2000) as blocker:
        assert not listener.start(b"unplugged-usb-mic")
    assert "unplugged-usb-mic" in blocker.args[0]


class _SilentRecognizer:
    """A recogniser that hears nothing: these tests are about the audio, not the words."""

    def prepare(self) -> None:
        pass

    def start(self) -> None:
        pass

    def feed(self, pcm: bytes) -> None:
        pass

    def partial(self) -> str:
        return ""

    def cancel(self) -> None:
        pass


def test_a_microphone_failing_mid_reply_keeps_what_was_captured(qtbot, tmp_path, caplog):
    mic = FeedMicrophone()
    listener = Listener(_SilentRecognizer(), mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    events: list[tuple[str, object]] = []
    listener.interrupted.connect(lambda path: events.append(("interrupted", path)))
    listener.failed.connect(lambda message: events.append(("failed", message)))
    listener.reply_ready.connect(lambda result: events.append(("reply", result)))
    assert listener.press()
    pcm = (np.sin(np.arange(8000) / 5) * 8000).astype("<i2").tobytes()  # half a second
    safe_emit(mic.chunk, pcm)
    with caplog.at_level("WARNING", logger="simulator.devices.listener"):
        safe_emit(mic.failed, "The microphone was unplugged.")
    assert [kind for kind, _ in events] == ["interrupted", "failed"]
    path = events[0][1]
    assert path.parent == Recordings(tmp_path).incoming
    assert path.name.startswith("reply-") and path.stem.endswith("-interrupted")
    with wave.open(str(path)) as w:
        assert w.getframerate() == 16000 and w.readframes(w.getnframes()) == pcm
    assert str(path) in caplog.text
    listener.release()  # the turn is over: nothing more is judged
    assert [kind for kind, _ in events] == ["interrupted", "failed"]


def test_a_microphone_failing_between_replies_saves_nothing(qtbot, tmp_path):
    mic = FeedMicrophone()
    listener = Listener(_SilentRecognizer(), mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    kept: list[object] = []
    listener.interrupted.connect(kept.append)
    assert listener.open()
    safe_emit(mic.chunk, b"\0\0" * 1600)
    safe_emit(mic.failed, "The microphone was unplugged.")
    assert kept == [] and list(tmp_path.rglob("*.wav")) == []


def test_closing_during_a_pause_leaves_no_recording_behind(qtbot, tmp_path, recognizer):
    spoken = speak(REPLY, tmp_path / "spoken.wav", pad=(0.5, 0.0))
    first = tmp_path / "first.wav"  # without espeak-ng's own trailing silence
    subprocess.run(["sox", "-R", str(spoken), str(first), "reverse", "silence", "1", "0.02", "1%", "reverse"], check=True)
    listener, mic, ready, likely = hands_free(recognizer, tmp_path / "incoming")
    mic.play(first)
    mic.feed(b"\x00\x00" * int(16000 * 0.25))  # a pause past 0.15 s, short of the hangover
    assert len(likely) == 1 and likely[0].wav_path.exists() and not ready
    listener.close()  # the app quits mid-reply
    assert not likely[0].wav_path.exists()


def test_an_adaptation_delivered_between_press_and_release_waits_for_the_next_reply(qtbot, tmp_path):
    """The scenario's adaptation is built on the task pool and may arrive while the trainee
    holds the talk key: the reply in progress keeps its decoders, the next reply gets the new one."""
    first = build_adaptation([REPLY], ["Dana"])
    second = build_adaptation(["Thank you for waiting", REPLY], ["Evelyn"])
    recognizer = StreamingRecognizer(first)
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.2, 0.3))
    with wave.open(str(wav)) as w:
        pcm = w.readframes(w.getnframes())
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    results: list[ReplyResult] = []
    failures: list[str] = []
    listener.reply_ready.connect(results.append)
    listener.failed.connect(failures.append)
    assert listener.press()
    half = len(pcm) // 2 - len(pcm) // 2 % 2
    mic.feed(pcm[:half])
    listener.set_adaptation(second)  # InlineWorker: applied on the spot, mid-utterance
    assert recognizer.adaptation is first
    mic.feed(pcm[half:])
    listener.release()
    assert failures == [] and len(results) == 1
    assert len({"sorry", "kept", "waiting"} & set(results[0].text.split())) >= 2, results[0].text
    assert listener.press()
    mic.play(wav)
    listener.release()
    assert failures == [] and len(results) == 2 and recognizer.adaptation is second
    assert len({"sorry", "kept", "waiting"} & set(results[1].text.split())) >= 2, results[1].text


def test_the_listener_recovers_on_the_next_press_after_a_recogniser_error(qtbot, tmp_path, monkeypatch):
    """A recogniser error fails that reply with a message, never every later one."""
    # No pass at the pause before the release: the failing one is the release's.
    monkeypatch.setattr(listener_module, "_SPECULATE_AFTER", None)
    recognizer = StreamingRecognizer(build_adaptation([REPLY], ["Dana"]))
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.2, 0.3))
    mic = FeedMicrophone()
    listener = Listener(recognizer, mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    results: list[ReplyResult] = []
    failures: list[str] = []
    listener.reply_ready.connect(results.append)
    listener.failed.connect(failures.append)
    assert listener.press()
    mic.play(wav)
    # Force the real decoder's "Failed to stop utterance processing": its utterance is ended
    # behind the recogniser's back, so the final pass's end_utt fails.
    recognizer._general.end_utt()  # type: ignore[union-attr]
    listener.release()
    assert results == [] and len(failures) == 1 and "Speech recognition failed" in failures[0]
    for attempt in (2, 3):
        assert listener.press()
        mic.play(wav)
        listener.release()
        assert len(failures) == 1 and len(results) == attempt - 1
        assert len({"sorry", "kept", "waiting"} & set(results[-1].text.split())) >= 2, results[-1].text


@pytest.fixture(scope="module")
def whisper():
    from simulator.speech.engines import WhisperRecognizer

    recognizer = WhisperRecognizer(adaptation=build_adaptation([REPLY, "Thank you for waiting"], ["Dana"]))
    recognizer.prepare()
    return recognizer


def test_whisper_hears_a_push_to_talk_reply_and_streams_the_live_transcript(qtbot, tmp_path, whisper,
                                                                           monkeypatch):
    monkeypatch.setattr(listener_module, "_PARTIAL_INTERVAL", 0.0)  # audio is fed faster than real time
    wav = speak(REPLY, tmp_path / "reply.wav", pad=(0.2, 0.3))
    mic = FeedMicrophone()
    listener = Listener(whisper, mode="push_to_talk", worker=InlineWorker(), microphone=mic,
                        recordings=Recordings(tmp_path))
    results: list[ReplyResult] = []
    partials: list[str] = []
    listener.reply_ready.connect(results.append)
    listener.partial.connect(partials.append)
    assert listener.press()
    mic.play(wav)
    listener.release()
    assert len(results) == 1 and results[0].transcript.engine == "whisper"
    assert {"sorry", "kept", "waiting"} <= {w.text for w in results[0].transcript.words}, results[0].text
    assert partials and not results[0].low_confidence
    # Decoded at the pause before the release (0.3 s of silence ends the file), while the key was held.
    assert results[0].speculation == 1


def test_whisper_is_finished_early_at_a_pause_and_hears_the_whole_reply_again(qtbot, tmp_path, whisper,
                                                                             monkeypatch):
    """Whisper's decode runs during the hangover; when the trainee goes on after a pause, it goes
    on with the same reply (`resume`), and the next pass decodes the reply from its start."""
    monkeypatch.setattr(listener_module, "_SPECULATE_AFTER", 0.12)
    # The live transcript is sent at most every 0.25 s of wall time; the test feeds audio faster
    # than real time, so whether one fell after the pause depended on the machine's speed.
    monkeypatch.setattr(listener_module, "_PARTIAL_INTERVAL", 0.0)
    counting = CountingRecognizer(whisper)
    listener, mic, results, likely = hands_free(counting, tmp_path)
    partials: list[str] = []
    listener.partial.connect(partials.append)
    for part in two_sentences(tmp_path):
        mic.play(part)
    assert len(results) == 1 and [r.speculation for r in likely] == [1, 2]
    assert (counting.starts, counting.finishes) == (1, 2)
    words = [w.text for w in results[0].transcript.words]
    assert {"sorry", "waiting", "thank"} <= set(words), results[0].text
    assert words[:len(likely[0].transcript.words)] == [w.text for w in likely[0].transcript.words]
    # Word times are from the start of the reply, in order.
    assert all(a.start <= b.start for a, b in itertools.pairwise(results[0].transcript.words))
    # The live words after the pause follow the ones before it.
    assert any(p.startswith(likely[0].text) and len(p) > len(likely[0].text) for p in partials), partials


class _BehindWorker:
    """A worker that has fallen behind (the `Submit` protocol): tasks wait for `catch_up`."""

    def __init__(self) -> None:
        self._held: list[tuple[Callable[[], Any], Callable[[Any], None] | None,
                               Callable[[BaseException], None] | None]] = []

    @property
    def pending(self) -> int:
        return len(self._held)

    def submit(self, fn, on_done=None, on_error=None) -> None:
        self._held.append((fn, on_done, on_error))

    def wait(self, msecs: int = 10000) -> bool:
        return not self._held

    def catch_up(self) -> None:
        while self._held:
            InlineWorker().submit(*self._held.pop(0))


def test_a_pass_the_trainee_has_already_spoken_past_is_not_made(qtbot, tmp_path, whisper):
    """With a worker behind (a busy machine), a pause's Whisper pass that has not begun when speech
    resumes is skipped: the utterance goes on and only the passes that can still matter run."""
    listener, mic, results, likely = hands_free(CountingRecognizer(whisper), tmp_path)
    listener.worker = behind = _BehindWorker()
    for part in two_sentences(tmp_path):
        mic.play(part)
    behind.catch_up()  # only now: the first pause's pass is stale
    assert len(results) == 1 and [r.speculation for r in likely] == []
    assert listener.recognizer.finishes == 1
    assert {"sorry", "waiting", "thank"} <= {w.text for w in results[0].transcript.words}, results[0].text
