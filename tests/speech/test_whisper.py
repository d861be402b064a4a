"""Whisper tiny.en (the bundled model, really run): features, decoding with word probabilities, no
reply made up from silence or noise, and the recogniser the app and `assess` use by default."""

from __future__ import annotations

import re
import wave

import numpy as np
import pytest

from simulator.engine.loader import load_scenario
from simulator.paths import SCENARIOS_DIR
from simulator.speech import engines
from simulator.speech import whisper as whisper_module
from simulator.speech.adaptation import adaptation_for_scenario, build_adaptation
from simulator.speech.engines import WhisperRecognizer
from simulator.speech.recognizer import is_low_confidence
from simulator.speech.whisper import MODEL_FILES, bundled_model_dir, load_model, log_mel
from tests.speech.test_recognizer import pcm_of, speak
from tests.support.speech import espeak_wav

REPLY = "I'm really sorry you've been kept waiting"


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    recognizer = WhisperRecognizer()
    recognizer.prepare()
    return recognizer


def test_the_bundled_model_is_the_pinned_package_with_its_four_files():
    folder = bundled_model_dir()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(MODEL_FILES)
    model = load_model()
    assert model.bundled and model is load_model()  # loaded once per process


def test_log_mel_has_whispers_shape_and_range():
    samples = np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000).astype(np.float32) * 0.5
    features = log_mel(samples, 10.0)
    assert features.shape == (80, 1000) and features.dtype == np.float32
    # Whisper's scaling: at most 8 (log10 units) below the loudest, then (x + 4) / 4.
    assert features.max() - features.min() <= 2.0 + 1e-6


@pytest.mark.parametrize("length", [0, 100, 3 * 16000 + 77, 10 * 16000 - 300, 10 * 16000, 12 * 16000])
def test_log_mel_transforms_only_the_frames_that_reach_the_reply_and_gives_the_same(length):
    """Frames of the silence added after a reply are not transformed (their value is known);
    the result matches every frame transformed, as Whisper does it."""
    samples = (np.random.default_rng(length).standard_normal(length) * 0.1).astype(np.float32)
    n = 10 * 16000
    audio = np.zeros(n, np.float32)
    audio[:min(n, length)] = samples[:n]
    padded = np.pad(audio, 200, mode="reflect")
    frames = np.stack([padded[i * 160:i * 160 + 400] for i in range(n // 160)])
    power = np.abs(np.fft.rfft(frames * np.hanning(401)[:-1], axis=-1)) ** 2
    logs = np.log10(np.maximum(whisper_module._FILTERS.astype(np.float64) @ power.T, 1e-10))
    expected = (np.maximum(logs, logs.max() - 8.0) + 4.0) / 4.0
    assert np.abs(log_mel(samples, 10.0) - expected).max() < 1e-5


def test_a_spoken_reply_comes_back_with_a_probability_per_word(tmp_path, whisper):
    result = whisper.transcribe_pcm(pcm_of(speak(REPLY, tmp_path / "reply.wav")))
    assert {"sorry", "kept", "waiting"} <= {w.text for w in result.words}, result.text
    assert result.engine == "whisper" and not is_low_confidence(result)
    assert all(0.0 <= w.confidence <= 1.0 and w.start <= w.end for w in result.words)
    assert result.confidence == pytest.approx(np.mean([w.confidence for w in result.words]))


@pytest.fixture(scope="module")
def prompted() -> WhisperRecognizer:
    """Whisper with a scenario's prompt (its customers' names)."""
    recognizer = WhisperRecognizer(adaptation=build_adaptation(["Where is my order?"], ["Dana Whitfield"]))
    recognizer.prepare()
    return recognizer


def test_a_prompt_is_encoded_with_the_models_own_tokens():
    model = load_model()
    text = "Kayleigh Dawson, Dana Whitfield, Mr Okafor. I'm sorry you've waited 20 minutes!"
    tokens = model.prompt_tokens(text)
    assert model._text(list(tokens)) == " " + text
    # GPT-2's ids for common words, which Whisper's English vocabulary shares.
    assert model.prompt_tokens("the") == (262,) and model.prompt_tokens("") == ()


def test_the_scenarios_prompt_makes_whisper_spell_the_customers_name(tmp_path, whisper, prompted):
    assert prompted.adaptation is not None and prompted.adaptation.prompt == "Dana Whitfield."
    pcm = pcm_of(speak("Thank you for your patience, Dana.", tmp_path / "dana.wav", voice="en-gb"))
    assert "dana" not in whisper.transcribe_pcm(pcm).text.lower()  # "Maynard" without the prompt
    assert "dana" in prompted.transcribe_pcm(pcm).text.lower()


@pytest.mark.parametrize("sentence", ["I hear you, Dana."])
def test_the_customers_name_survives_the_decode(tmp_path, prompted, sentence):
    """Beam search (5 beams) dropped the name here in every run, where greedy decoding keeps it:
    using the customer's name is a technique the judge rewards. (Both drop it from "Dana, thank you
    for your patience." in this voice, so that one is not asserted.)"""
    pcm = pcm_of(speak(sentence, tmp_path / "dana.wav", voice="en-gb"))
    assert "dana" in prompted.transcribe_pcm(pcm).text.lower()


@pytest.mark.parametrize(("scenario", "voice", "sentence", "words"), [
    ("late-pickup.yaml", "en-us", "I'm sorry your order was misplaced", "your order was misplaced"),
    # "Please calm down so I can help you" was on the edge with the 10 s window: "come down" in
    # 2 of 5 runs (CTranslate2's sums differ a little from run to run).
    ("late-pickup.yaml", "en-gb-x-rp", "There's no need to shout, just calm down", "calm down"),
    ("door-no-id.yaml", "en-gb-x-rp", "I can't let you in without ID", "in without id"),
])
def test_the_scenarios_language_model_picks_its_words_over_near_misses(tmp_path, scenario, voice,
                                                                       sentence, words):
    """Greedy decoding heard "I'm sorry you're ordered when displaced", "just come down",
    "I can't let you win out I need"; the scenario's language model ranks the beam's candidates."""
    from simulator.engine.loader import load_scenario
    from simulator.paths import SCENARIOS_DIR
    from simulator.speech.adaptation import adaptation_for_scenario

    recognizer = WhisperRecognizer(adaptation=adaptation_for_scenario(load_scenario(SCENARIOS_DIR / scenario)))
    result = recognizer.transcribe_pcm(pcm_of(speak(sentence, tmp_path / "reply.wav", voice=voice)))
    assert words in " ".join(re.findall(r"[a-z']+", result.text.lower())), result.text
    assert [w.text for w in result.words] == re.findall(r"[a-z']+", result.text.lower())


def test_a_reply_whisper_is_sure_of_costs_no_beam_search(tmp_path, prompted, monkeypatch):
    model = load_model()
    searched: list[str] = []
    rescored = model._rescored
    monkeypatch.setattr(model, "_rescored", lambda *a: searched.append("beam") or rescored(*a))
    result = prompted.transcribe_pcm(pcm_of(speak(REPLY, tmp_path / "reply.wav")))
    assert min(w.confidence for w in result.words) >= 0.5 and searched == [], result.words
    pcm = pcm_of(speak("I can't let you in without ID", tmp_path / "id.wav", voice="en-gb-x-rp"))
    prompted.transcribe_pcm(pcm)  # "I can't let you win out I need": "I" at 0.19
    assert searched == ["beam"]


@pytest.mark.parametrize(("decoded", "kept"), [
    ("I'm really sorry you've been kept waiting, Dana. I can see how frustrating it is. "
     "I'm really sorry you've been kept waiting, Dana. I can see how frustrating it is.",
     "I'm really sorry you've been kept waiting, Dana. I can see how frustrating it is."),
    ("by a similar process, by a similar process, by a similar process and then some",
     "by a similar process, and then some"),
    ("Let me check that for you. let me check that for you", "Let me check that for you."),
    ("I'm sorry, I'm sorry, I hear you, I hear you.", "I'm sorry, I'm sorry, I hear you, I hear you."),
    ("No, no, no, no, no. You can come in.", "No, no, no, no, no. You can come in."),
])
def test_a_decoder_loop_is_written_once_and_a_short_repeat_stays(decoded, kept):
    """Whisper tiny.en can write a short reply twice over (the decoder stuck in a loop); four
    words or more said again straight after themselves are a loop, fewer are how people talk."""
    model = load_model()
    tokens = list(model.prompt_tokens(decoded))
    assert model._text(model._without_repeats(tokens)).strip() == kept


def test_a_reply_whisper_heard_twice_over_comes_back_once(tmp_path):
    """The reading that looped in a full test run's hands-free turn, found again among 60 noisy
    readings (the 25th of a seeded sequence: gain 0.48, noise at -36 dBFS, 1.5 s of noise after)."""
    reply = "I'm really sorry you've been kept waiting, Dana. I can see how frustrating that is."
    pcm = np.frombuffer(pcm_of(espeak_wav(reply, tmp_path / "reply.wav", "en-us", (0.3, 1.0))),
                        "<i2").astype(np.float32)
    rng = np.random.default_rng(0)
    for _ in range(25):
        gain, noise = rng.uniform(0.2, 1.5), rng.uniform(0, 600)
        x = pcm * gain + rng.normal(0, noise, len(pcm))
        tail, lead = int(rng.uniform(0, 3) * 16000), int(rng.uniform(0, 0.3) * 16000)
        x = np.concatenate([x[lead:], rng.normal(0, noise, tail)])
    recognizer = WhisperRecognizer(adaptation=adaptation_for_scenario(
        load_scenario(SCENARIOS_DIR / "late-pickup.yaml")))
    result = recognizer.transcribe_pcm(np.clip(x, -32768, 32767).astype("<i2").tobytes())
    assert result.text.count("Dana") == 1 and result.text.endswith("frustrating it is."), result.text


def test_a_prompt_as_long_as_whisper_allows_still_leaves_room_for_the_reply(tmp_path):
    """The prompt counts against the decoder's length limit: with a limit of 224 tokens a full
    prompt (223) left no room and the reply came back empty (or with nothing decoded at all)."""
    model = load_model()
    prompt = model.prompt_tokens(" ".join(["Kayleigh Brennan, Dana Whitfield, Marcus Okafor."] * 40))
    assert len(prompt) == 223
    pcm = pcm_of(speak(REPLY, tmp_path / "reply.wav"))
    result = model.transcribe(np.frombuffer(pcm, "<i2").astype(np.float32) / 32768.0, prompt=prompt)
    assert {"sorry", "kept", "waiting"} <= {w.text for w in result.words}, result.text


@pytest.mark.parametrize("prompt", [False, True], ids=["no prompt", "scenario prompt"])
@pytest.mark.parametrize("kind", ["silence", "white noise at -55 dBFS", "loud white noise", "breath"])
def test_silence_and_noise_give_no_transcript(whisper, prompted, kind, prompt):
    """Whisper alone answers "you" or "." to all of these (and, prompted, could repeat the prompt)."""
    rng = np.random.default_rng(7)
    n = 3 * 16000
    x = {"silence": np.zeros(n),
         "white noise at -55 dBFS": rng.standard_normal(n) * 10 ** (-55 / 20),
         "loud white noise": rng.standard_normal(n) * 10 ** (-30 / 20),
         "breath": np.convolve(rng.standard_normal(n), np.ones(30) / 30, "same") * 0.05
         * np.sin(np.linspace(0, 3 * np.pi, n)) ** 2}[kind]
    recognizer = prompted if prompt else whisper
    result = recognizer.transcribe_pcm((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    assert result.text == "" and is_low_confidence(result)


def test_the_live_transcript_streams_while_whisper_waits_for_the_end(tmp_path, whisper):
    pcm = pcm_of(speak(REPLY, tmp_path / "reply.wav"))
    whisper.start()
    for offset in range(0, len(pcm), 3200):
        whisper.feed(pcm[offset:offset + 3200])
    assert whisper.partial()  # PocketSphinx's words so far
    result = whisper.finish()
    assert {"sorry", "kept", "waiting"} <= set(re.findall(r"[a-z']+", result.text.lower()))
    assert whisper.partial() == ""
    whisper.cancel()  # nothing in progress: fine


def test_assess_transcribes_files_with_the_apps_default_recogniser(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "_file_recognizers", {})
    wav = speak(REPLY, tmp_path / "reply.wav")
    # At 8 kHz, as a phone recorder may give it: converted on the way in.
    slow = tmp_path / "slow.wav"
    with wave.open(str(wav)) as src, wave.open(str(slow), "wb") as dst:
        pcm = np.frombuffer(src.readframes(src.getnframes()), "<i2")[::2]
        dst.setnchannels(1)
        dst.setsampwidth(2)
        dst.setframerate(8000)
        dst.writeframes(pcm.tobytes())
    for path in (wav, slow):
        result = engines.transcribe_file(path)
        assert result.engine == "whisper"
        assert {"sorry", "waiting"} <= {w.text for w in result.words}, result.text
