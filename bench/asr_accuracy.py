"""Recognition accuracy and speed of the default recogniser, with and without scenario adaptation.

    .venv/bin/python bench/asr_accuracy.py [--data PATH] [--quick] [--sets SETS] [--show-errors]
                                           [--listener | --word-confidence]

Prints, for the real read speech in ../shared/data/speech-asr (per speaker and overall) and for
the in-scenario replies in bench/data/inscenario_replies.tsv (spoken at bench time into a
temporary folder by every installed voice family: flite, Festival, espeak-ng with MBROLA voices,
plain espeak-ng; several voices per family, cycled over the replies), the word error rate of the
unadapted engine and of the engine adapted to the scenarios, per speaker and per voice family;
the real-time factor; the time left after the last chunk (streaming); and the end-of-turn
detection delay and sentence splits of the VAD at several hangovers. Voice families that are not
installed are named, with the apt line that installs them.

Every word error rate is printed under two scorings (bench/_scoring.py), the same for every
engine, split and set: "plain" (case and punctuation dropped, digits spelt out: how every figure
before session 8 was scored, so "I am" for "I'm" is two errors) and "standard" (OpenAI Whisper's
English text normaliser, as Whisper's own evaluation scores: contractions expanded, British
spellings made American, numbers as digits, fillers dropped; then a compound written as one word
on one side and two on the other, "stockroom" / "stock room", joined).

    --sets read,in-scenario,ravdess   run only some of the three sets (faster while iterating;
                                      PocketSphinx's figures move a little with what it heard first)
    --show-errors                     print each transcript with an error under the standard scoring

With --listener, instead of the figures above: every in-scenario reply (and the read speech) goes
through the real hands-free Listener (simulator.devices.listener) on the adapted recogniser, fed
in 2048-byte chunks as the microphone would, padded with 0.4 s of silence before and 1.0 s after;
once with the speculative final pass off (`_SPECULATE_AFTER = None`) and once at 0.15 s, where
speech after a pause is decoded as a new utterance and the transcripts joined. Prints per voice
family (per speaker for the read speech) and overall: WER off and on, the utterances the VAD split
into several replies (their texts are joined), the utterances where speech resumed after a
speculation (decoded in more than one utterance, the ones the joining is about; their WER is
also printed apart), and the utterances whose transcript differs (one not resumed can differ too:
its reply is the pass made 0.15 s into the final silence, not after the hangover).

With --word-confidence, instead of the figures above: how well the per-word posterior
(Transcript.words, Word.confidence) of the adapted recogniser separates the hypothesis words it
got right from the wrong ones (substitutions and insertions, from a Levenshtein alignment with what
was said): their quantiles, and at several thresholds the share of wrong and of correct words
under it, per set (natural voices, espeak-ng, read speech) and overall. Then the grave triggers
(simulator.analysis.unsure.GRAVE_TRIGGERS) the rubric finds in a transcript but not in what was
said, and whether the guard (every evidence word under the threshold) would ask again.

The replies are unseen by the adaptation: the bench checks that none of them is, after
normalisation, a sentence of the adaptation corpus (reply_corpus.txt, the rubric's phrases, the
scenarios' texts) and says so.

Goals: in-scenario WER under 10% with the adaptation, general speech no worse than unadapted.
The goal is read on the natural-sounding families (flite, Festival, MBROLA); espeak-ng's formant
voice is far from the human speech pocketsphinx's model learnt from, so its figure is printed as
a stress case.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# As the app runs (simulator/__init__.py sets it, but numpy is loaded here first): numpy's BLAS
# on one thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._data import find_data, looked_at, say_absent  # noqa: E402

REPLIES = Path(__file__).resolve().parent / "data" / "inscenario_replies.tsv"


@dataclass(frozen=True)
class Voice:
    family: str
    name: str
    command: tuple[str, ...]  # "{text}" and "{out}" are filled in
    stdin: bool = False  # the text goes to standard input instead


def _espeak(voice: str, rate: int, pitch: int) -> tuple[str, ...]:
    return ("espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", "{out}", "{text}")


def _festival(voice: str) -> tuple[str, ...]:
    return ("text2wave", "-eval", f"({voice})", "-o", "{out}")


# Voice families, most natural first: (family, apt packages, voices, how to tell it is installed).
# flite's and Festival's voices are statistical or diphone voices made from recordings of real
# speakers; espeak-ng's own voice is a formant synthesiser, the hardest case for the recogniser.
FAMILIES: list[tuple[str, str, list[Voice], Callable[[Voice], bool]]] = [
    ("flite", "flite", [Voice("flite", v, ("flite", "-voice", v, "-t", "{text}", "-o", "{out}"))
                        for v in ("slt", "rms", "awb", "kal16")],
     lambda v: shutil.which("flite") is not None and v.name in _flite_voices()),
    ("festival", "festival festvox-us-slt-hts festvox-kallpc16k",
     [Voice("festival", "slt-hts", _festival("voice_cmu_us_slt_arctic_hts"), stdin=True),
      Voice("festival", "kal", _festival("voice_kal_diphone"), stdin=True)],
     lambda v: shutil.which("text2wave") is not None and any(
         Path("/usr/share/festival/voices").glob(
             "*/cmu_us_slt_arctic_hts" if v.name == "slt-hts" else "*/kal_diphone"))),
    ("mbrola", "mbrola mbrola-us1 mbrola-us2 mbrola-en1",
     [Voice("mbrola", v, _espeak(v, 150, 50)) for v in ("mb-us1", "mb-us2", "mb-en1")],
     lambda v: shutil.which("mbrola") is not None and any(
         Path("/usr/share/mbrola").glob(f"{v.name[3:]}/{v.name[3:]}"))),
    ("espeak-ng", "espeak-ng",
     [Voice("espeak-ng", v, _espeak(v, r, p)) for v, r, p in (
         ("en-us", 160, 50), ("en-gb", 150, 40), ("en-gb-x-rp", 175, 60), ("en-us+f3", 165, 70),
         ("en-gb-scotland", 150, 45))],
     lambda v: shutil.which("espeak-ng") is not None),
]
# The families whose WER the goal is read on.
NATURAL = ("flite", "festival", "mbrola")
CHUNK = 3200  # 100 ms, about what the microphone delivers


def read_pcm(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def load_replies() -> list[tuple[str, str, str]]:
    rows = [r for r in csv.reader(REPLIES.open(encoding="utf-8"), delimiter="\t")
            if r and not r[0].startswith("#")]
    return [(name, setting, text) for name, setting, text in rows[1:]]


@cache
def _flite_voices() -> frozenset[str]:
    out = subprocess.run(["flite", "-lv"], capture_output=True, text=True).stdout
    return frozenset(out.partition(":")[2].split())


def installed_voices() -> tuple[list[Voice], list[tuple[str, str, list[str]]]]:
    """The voices that can speak here, and the (family, apt line, voices) that cannot."""
    found: list[Voice] = []
    missing: list[tuple[str, str, list[str]]] = []
    for family, packages, voices, present in FAMILIES:
        have = [v for v in voices if present(v)]
        found += have
        if len(have) < len(voices):
            missing.append((family, packages, [v.name for v in voices if v not in have]))
    return found, missing


def render(voice: Voice, text: str, wav: Path) -> None:
    raw = wav.with_suffix(".raw.wav")
    command = [part.replace("{text}", text).replace("{out}", str(raw)) for part in voice.command]
    subprocess.run(command, check=True, input=text.encode() if voice.stdin else None,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # 0.3 s either side, as the listener's pre-roll and hangover give the recogniser; sox also
    # brings every voice to 16 kHz mono (Festival's HTS voice speaks at 32 kHz).
    subprocess.run(["sox", "-q", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav),
                    "pad", "0.3", "0.3"], check=True, stderr=subprocess.DEVNULL)
    raw.unlink()


def render_replies(replies: list[tuple[str, str, str]], voices: list[Voice],
                   folder: Path) -> list[tuple[str, str, Path]]:
    """Every reply once per voice family, the family's voices taking turns: (speaker, text, wav)."""
    out: list[tuple[str, str, Path]] = []
    families = list(dict.fromkeys(v.family for v in voices))
    for family in families:
        mine = [v for v in voices if v.family == family]
        for i, (_, _, text) in enumerate(replies):
            voice = mine[i % len(mine)]
            wav = folder / f"{family}-{i:02d}.wav"
            render(voice, text, wav)
            out.append((f"{family}/{voice.name}", text, wav))
    return out


def unseen_check(replies: list[tuple[str, str, str]], adaptation_sentences: list[str]) -> list[str]:
    """The bench replies that are, after normalisation, a sentence the adaptation learnt from."""
    from simulator.speech.adaptation import normalise

    seen = {tuple(normalise(s)) for s in adaptation_sentences}
    return [text for _, _, text in replies if tuple(normalise(text)) in seen]


def shipped_scenarios() -> list:
    """The shipped scenarios that load, in file-name order (the project's loader; one that does not
    load is named, and must not stop the bench)."""
    from simulator.engine.loader import load_library
    from simulator.paths import SCENARIOS_DIR

    library = load_library([SCENARIOS_DIR])
    for problem in library.problems:
        if problem.severity == "error":
            print(f"  (skipped: {problem})")
    return [library.scenarios[sid] for sid, _ in sorted(library.files.items(), key=lambda item: item[1])]


def scenario_adaptation(replies: list[tuple[str, str, str]], scenarios: list):
    """The adaptation for the shipped `scenarios` plus the customers the replies address, its
    build time, and the sentences it learnt from."""
    from simulator.speech.adaptation import (
        adaptation_sentences,
        build_adaptation,
        phrases_for_scenario,
    )

    phrases: list[str] = []
    names = sorted({name for name, _, _ in replies})
    for scenario in scenarios:
        p, n = phrases_for_scenario(scenario)
        phrases += p
        names += n
    t0 = time.perf_counter()
    built = build_adaptation(phrases, sorted(set(names)))
    return built, time.perf_counter() - t0, adaptation_sentences(phrases, sorted(set(names)))


def app_adaptations(replies: list[tuple[str, str, str]], scenarios: list, shared):
    """Per reply, the adaptation the app would give its recogniser: that of the one of `scenarios`
    whose customer the reply addresses (by first name: the replies speak first names only), else
    `shared`; and how many replies found no scenario."""
    from simulator.speech.adaptation import adaptation_for_scenario

    by_first_name = {scenario.customer.first_name.lower(): scenario for scenario in scenarios}
    chosen, missing = [], 0
    for customer, _, _ in replies:
        scenario = by_first_name.get(customer.split()[0].lower())
        missing += scenario is None
        chosen.append(adaptation_for_scenario(scenario) if scenario is not None else shared)
    return chosen, missing


class AsTheApp:
    """A recogniser adapted, before each reply, to that reply's scenario (`adaptations`, in the
    order the replies are decoded), as the app adapts its recogniser to the scenario played."""

    def __init__(self, recognizer, adaptations) -> None:
        self.recognizer = recognizer
        self._next = iter(adaptations)

    def start(self) -> None:
        self.recognizer.set_adaptation(next(self._next))
        self.recognizer.start()

    def feed(self, pcm: bytes) -> None:
        self.recognizer.feed(pcm)

    def finish(self):
        return self.recognizer.finish()


def decode(recognizer, pcm: bytes) -> tuple[str, float, float, str]:
    """(text, processing seconds, seconds left after the last chunk, source)."""
    t0 = time.perf_counter()
    recognizer.start()
    for offset in range(0, len(pcm), CHUNK):
        recognizer.feed(pcm[offset:offset + CHUNK])
    t1 = time.perf_counter()
    result = recognizer.finish()
    t2 = time.perf_counter()
    return result.text, t2 - t0, t2 - t1, result.source


def is_blind(index: int) -> bool:
    """The blind split, never tuned on: every third utterance of a set (by its order in the
    manifest or the replies file), or a RAVDESS actor from 19 on (see `ravdess_items`)."""
    return index % 3 == 2


def evaluate(label: str, items: list[tuple[str, str, bytes]], recognizers: dict,
             by_family: bool = False, blind: Callable[[int, str], bool] | None = None,
             show: bool = False) -> dict:
    """A Tally (both scorings, bench/_scoring.py) per recogniser (key: its name) and, with
    `by_family`, per voice family (key: (name, family)); speakers are "family/voice" then. The
    blind split is tallied apart (keys (name, "tuned") and (name, "blind")). With `show`, every
    transcript that is not word-perfect under the standard scoring is printed."""
    from bench._scoring import Tally, score

    blind = blind or (lambda i, speaker: is_blind(i))
    print(f"\n== {label}: {len(items)} utterances, "
          f"{sum(len(p) for _, _, p in items) / 32000:.0f} s of audio")
    totals: dict = {}
    for name, recognizer in recognizers.items():
        per_speaker: dict[str, Tally] = defaultdict(Tally)
        split: dict[str, Tally] = defaultdict(Tally)
        busy = audio = cpu = 0.0
        tails: list[float] = []
        sources: dict[str, int] = defaultdict(int)
        for index, (speaker, reference, pcm) in enumerate(items):
            c0 = time.process_time()
            text, seconds, tail, source = decode(recognizer, pcm)
            cpu += time.process_time() - c0
            one = score(reference, text)
            per_speaker[speaker] += one
            split["blind" if blind(index, speaker) else "tuned"] += one
            if show and one.standard[0]:
                print(f"      [{index}{' blind' if blind(index, speaker) else ''}] {speaker}: "
                      f"{reference!r}\n          heard {text!r}")
            busy += seconds
            audio += len(pcm) / 32000
            tails.append(tail)
            sources[source] += 1
        whole = Tally()
        for tally in per_speaker.values():
            whole += tally
        totals[name] = whole
        for part, tally in split.items():
            totals[(name, part)] = tally
        print(f"  {name:10s} WER {whole}")
        print("             " + "; ".join(f"{part} {tally}" for part, tally in sorted(split.items())))
        print(f"             RTF {busy / audio:.2f}, CPU {cpu / len(items) * 1000:.0f} ms a reply "
              f"(all threads; Whisper's includes the live PocketSphinx beside it)  after last chunk: median {statistics.median(tails) * 1000:.0f} ms, "
              f"max {max(tails) * 1000:.0f} ms  (picked: {dict(sources)})")
        families: dict[str, Tally] = defaultdict(Tally)
        for speaker, tally in sorted(per_speaker.items()):
            print(f"      {speaker:40s} {tally}")
            families[speaker.partition("/")[0] if by_family else ""] += tally
        if by_family:
            for family, tally in families.items():
                totals[(name, family)] = tally
                print(f"    family {family:33s} {tally}")
    return totals


# RAVDESS actors from this number on are the blind split of the tone set.
RAVDESS_BLIND_FROM = 19


def ravdess_items(folder: Path, per_actor: int) -> list[tuple[str, str, bytes]]:
    """Up to `per_actor` angry (strong intensity first) and as many neutral/calm clips per actor,
    as (group/actor, sentence, pcm); groups: "angry-strong", "angry-normal", "neutral"."""
    chosen: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: (r["speaker"], r["label"],
                                                      r["intensity"] != "strong", r["file"]))
    for row in rows:
        mine = chosen[(row["speaker"], row["label"])]
        if len(mine) < per_actor:
            mine.append(row)
    items = []
    for (speaker, label), rows_ in sorted(chosen.items()):
        for row in rows_:
            group = f"angry-{row['intensity']}" if label == "angry" else "neutral"
            items.append((f"{group}/{speaker}", row["sentence"], read_pcm(folder / row["file"])))
    return items


def ravdess_blind(index: int, speaker: str) -> bool:
    return int(speaker.rsplit("actor", 1)[1]) >= RAVDESS_BLIND_FROM


def resident_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def make_engine(engine: str, adaptation):
    """The recogniser `--engine` names, loaded: Whisper tiny.en (the app's default, with the
    adapted PocketSphinx beside it for the live transcript) or the adapted PocketSphinx alone."""
    from simulator.speech.engines import WhisperRecognizer
    from simulator.speech.recognizer import StreamingRecognizer

    recognizer = WhisperRecognizer(adaptation=adaptation) if engine == "whisper" else StreamingRecognizer(adaptation)
    recognizer.prepare()
    return recognizer


def vad_figures(general: list[tuple[str, str, bytes]], synthetic: list[bytes]) -> None:
    from simulator.speech.vad import TurnDetector

    print("\n== End of turn (VAD, loose mode)")
    print("   delay = when the turn end is reported - last sample above 2% of peak, on the synthetic")
    print("   replies padded with 0.5 s / 1 s of silence; splits = real sentences ended early")
    padded = []
    for speech in synthetic:
        pcm = bytes(16000) + speech + bytes(32000)
        samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(float))
        padded.append((pcm, np.nonzero(samples > 0.02 * samples.max())[0][-1] / 16000))
    for hangover in (0.25, 0.3, 0.35, 0.4, 0.5, 0.8):
        splits = 0
        for _, _, pcm in general:
            detector = TurnDetector(hangover)
            ends = sum(e.kind == "turn_end" for o in range(0, len(pcm), 960)
                       for e in detector.feed(pcm[o:o + 960]))
            ends += len(detector.flush())
            splits += max(0, ends - 1)
        delays = []
        for pcm, true_end in padded:
            detector = TurnDetector(hangover)
            reported = None
            for o in range(0, len(pcm), 960):
                if any(e.kind == "turn_end" for e in detector.feed(pcm[o:o + 960])):
                    reported = detector.time
            if reported is not None:
                delays.append(reported - true_end)
        print(f"  hangover {hangover:.2f} s: delay median {statistics.median(delays) * 1000:.0f} ms, "
              f"max {max(delays) * 1000:.0f} ms; splits {splits}/{len(general)}")


# --listener: the replies through the real hands-free Listener, speculation off and on.
LISTENER_CHUNK = 2048  # bytes: a 64 ms block, as Qt hands microphone audio over
LISTENER_PAD = (0.4, 1.0)  # seconds of silence before and after each utterance
SPECULATE_AT = 0.15


def listen(recognizer, pcm: bytes, speculate: float | None, folder: Path) -> tuple[str, int, int]:
    """(the replies' texts joined, how many replies, how many utterances the recogniser decoded)
    for `pcm` played into a hands-free Listener with `_SPECULATE_AFTER = speculate`."""
    from simulator.devices import listener as listener_module
    from simulator.devices.workers import InlineWorker
    from simulator.records.recordings import Recordings
    from tests.support.listening import CountingRecognizer, FeedMicrophone

    saved = listener_module._SPECULATE_AFTER
    listener_module._SPECULATE_AFTER = speculate  # read when the Listener is built
    try:
        counting = CountingRecognizer(recognizer)
        mic = FeedMicrophone()
        listener = listener_module.Listener(counting, mode="hands_free",
                                            worker=InlineWorker(),
                                            microphone=mic, recordings=Recordings(folder))
    finally:
        listener_module._SPECULATE_AFTER = saved
    texts: list[str] = []
    listener.reply_ready.connect(lambda result: texts.append(result.text))
    assert listener.start()
    audio = bytes(int(LISTENER_PAD[0] * 16000) * 2) + pcm + bytes(int(LISTENER_PAD[1] * 16000) * 2)
    heard = 0
    for offset in range(0, len(audio), LISTENER_CHUNK):
        mic.feed(audio[offset:offset + LISTENER_CHUNK])
        if len(texts) > heard:  # a reply ended early (a VAD split): listen for the rest
            heard = len(texts)
            listener.start()
    unfinished = listener._in_turn
    listener.close()
    if unfinished:
        print("      (a reply was still open when the audio ended)")
    return " ".join(t for t in texts if t), len(texts), counting.starts


def listener_figures(label: str, items: list[tuple[str, str, bytes]], make_recognizer,
                     warm_up: list[bytes], by_family: bool) -> tuple[list[int], ...]:
    """Each utterance through the Listener with speculation off and at SPECULATE_AT, on a
    recogniser of its own per setting (warmed up on the same audio); prints per speaker or voice
    family and overall. Returns (errors, words) off and on, plain then standard scoring
    (bench/_scoring.py)."""
    from bench._scoring import standard_pair
    from simulator.speech.recognizer import word_error_rate

    print(f"\n== {label}: {len(items)} utterances, "
          f"{sum(len(p) for _, _, p in items) / 32000:.0f} s of audio, through the hands-free "
          f"Listener (+{LISTENER_PAD[0]:.1f} s / {LISTENER_PAD[1]:.1f} s of silence), "
          f"speculation off vs at {SPECULATE_AT:.2f} s")
    settings = {"off": None, "on": SPECULATE_AT}
    outcome: dict[str, list[tuple[str, int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="asr-listener-") as tmp:
        for name, speculate in settings.items():
            recognizer = make_recognizer()
            for pcm in warm_up:
                decode(recognizer, pcm)
            t0 = time.perf_counter()
            outcome[name] = [listen(recognizer, pcm, speculate, Path(tmp)) for _, _, pcm in items]
            print(f"  speculation {name:3s}: {time.perf_counter() - t0:.0f} s")
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    differing: list[tuple[str, str, str, str]] = []
    for i, (speaker, reference, _) in enumerate(items):
        group = speaker.partition("/")[0] if by_family else speaker
        counts = groups[group]
        for name in settings:
            text, replies, starts = outcome[name][i]
            errors, words = word_error_rate(reference, text)
            counts[f"e {name}"][0] += errors
            counts[f"e {name}"][1] += words
            errors, words = word_error_rate(*standard_pair(reference, text))
            counts[f"s {name}"][0] += errors
            counts[f"s {name}"][1] += words
            counts[f"split {name}"][0] += replies > 1
            counts[f"resumed {name}"][0] += starts > max(1, replies)
        counts["n"][0] += 1
        _, replies, starts = outcome["on"][i]
        resumed = starts > max(1, replies)
        if resumed:  # the utterances the joining is about: their WER apart
            for name in settings:
                errors, words = word_error_rate(reference, outcome[name][i][0])
                counts[f"resumed e {name}"][0] += errors
                counts[f"resumed e {name}"][1] += words
        if outcome["off"][i][0] != outcome["on"][i][0]:
            counts["differs"][0] += 1
            counts["differs resumed"][0] += resumed
            differing.append((speaker + (" [resumed]" if resumed else ""), reference,
                              outcome["off"][i][0], outcome["on"][i][0]))

    def line(name: str, c: dict[str, list[int]]) -> str:
        n = c["n"][0]
        (e0, w0), (e1, w1) = c["e off"], c["e on"]
        (s0, v0), (s1, v1) = c["s off"], c["s on"]
        return (f"  {name:22s} WER off {e0 / w0:6.1%} ({e0}/{w0}), on {e1 / w1:6.1%} ({e1}/{w1}) "
                f"plain; off {s0 / v0:6.1%}, on {s1 / v1:6.1%} standard;  "
                f"split {c['split off'][0]}/{n} off, {c['split on'][0]}/{n} on;  "
                f"resumed after a pause (on) {c['resumed on'][0]}/{n};  "
                f"transcript differs {c['differs'][0]}/{n} ({c['differs resumed'][0]} resumed)")

    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, counts in groups.items():
        print(line(("family " if by_family else "") + group, counts))
        for key, (a, b) in counts.items():
            total[key][0] += a
            total[key][1] += b
    print(line("all", total))
    (e0, w0), (e1, w1) = total["resumed e off"], total["resumed e on"]
    if w0:
        print(f"  {'resumed ones only':22s} WER off {e0 / w0:6.1%} ({e0}/{w0}), "
              f"on {e1 / w1:6.1%} ({e1}/{w1})  ({total['resumed on'][0]} utterances)")
    for speaker, reference, off, on in differing:
        print(f"      {speaker}: {reference!r}\n          off: {off!r}\n          on:  {on!r}")
    return total["e off"], total["e on"], total["s off"], total["s on"]


# --word-confidence: does a word's posterior tell a misrecognised word from a right one?
CONFIDENCE_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9)


def align(reference: list[str], hypothesis: list[str]) -> list[bool]:
    """For each hypothesis word, whether a minimum-edit (Levenshtein) alignment with `reference`
    matches it; False marks a substitution or an insertion. Ties are broken towards matches."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]))
    correct = [False] * m
    i, j = n, m
    while j > 0:
        if i > 0 and reference[i - 1] == hypothesis[j - 1] and cost[i][j] == cost[i - 1][j - 1]:
            correct[j - 1] = True
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j - 1] + 1:
            i, j = i - 1, j - 1  # substitution
        elif cost[i][j] == cost[i][j - 1] + 1:
            j -= 1  # insertion
        else:
            i -= 1  # deletion
    return correct


def transcribe(recognizer, pcm: bytes):
    """The recogniser's Transcript of `pcm`, fed in CHUNK-byte pieces."""
    recognizer.start()
    for offset in range(0, len(pcm), CHUNK):
        recognizer.feed(pcm[offset:offset + CHUNK])
    return recognizer.finish()


def word_confidence_main(adaptation, in_scenario: list[tuple[str, str, bytes]],
                         general: list[tuple[str, str, bytes]], engine: str = "whisper") -> int:
    from simulator.analysis.unsure import GRAVE_TRIGGERS, unsure_grave_triggers
    from simulator.analysis.wording import analyse, load_rubric
    from simulator.engine.judgement import HeardWord
    from simulator.speech.adaptation import normalise

    rubric = load_rubric()
    recognizer = make_engine(engine, adaptation)
    for _, _, pcm in in_scenario[:3] + general[:3]:  # warmed up as the main figures' decoders are
        decode(recognizer, pcm)
    sets = {"natural voices": [u for u in in_scenario if u[0].partition("/")[0] in NATURAL],
            "espeak-ng": [u for u in in_scenario if u[0].partition("/")[0] == "espeak-ng"],
            "read speech": general}
    from simulator.speech.recognizer import word_error_rate

    labelled: dict[str, list[tuple[float, bool]]] = {}
    whole: list[tuple[float, tuple[int, int]]] = []  # a reply's confidence, its (errors, words)
    grave: list[tuple[str, str, str, str, list[tuple[str, float]]]] = []
    heard: list[tuple[str, str, list[HeardWord]]] = []
    for name, items in sets.items():
        labelled[name] = []
        for speaker, reference, pcm in items:
            transcript = transcribe(recognizer, pcm)
            words = [HeardWord(w.text, w.confidence) for w in transcript.words]
            # Whisper's words keep their apostrophes and may be digits; compared as the WER is.
            spoken = [" ".join(normalise(w.text)) for w in words]
            marks = align(normalise(reference), spoken)
            labelled[name] += [(w.confidence, ok) for w, ok in zip(words, marks, strict=True)]
            heard.append((speaker, reference, words))
            whole.append((transcript.confidence, word_error_rate(reference, transcript.text)))

    def quantiles(values: list[float]) -> str:
        if not values:
            return "(none)"
        cut = np.quantile(values, QUANTILES)
        return "  ".join(f"p{q * 100:.0f} {v:.2f}" for q, v in zip(QUANTILES, cut, strict=True))

    print(f"\n== Word confidence ({engine}): correct vs wrong hypothesis words "
          "(wrong = substituted or inserted)")
    everything = [x for values in labelled.values() for x in values]
    for name, values in [*labelled.items(), ("all", everything)]:
        right = [c for c, ok in values if ok]
        wrong = [c for c, ok in values if not ok]
        print(f"  {name}: {len(right)} correct, {len(wrong)} wrong hypothesis words")
        print(f"    correct: {quantiles(right)}")
        print(f"    wrong:   {quantiles(wrong)}")
        for t in CONFIDENCE_THRESHOLDS:
            w = sum(c < t for c in wrong)
            r = sum(c < t for c in right)
            print(f"    under {t:.1f}: wrong {w / max(1, len(wrong)):6.1%} ({w}/{len(wrong)}), "
                  f"correct {r / max(1, len(right)):6.1%} ({r}/{len(right)})")

    print(f"\n== Reply confidence ({engine}; the app asks again under LOW_CONFIDENCE): replies "
          "under each threshold, and the WER of those kept")
    for t in CONFIDENCE_THRESHOLDS:
        kept = [(e, n) for c, (e, n) in whole if c >= t]
        e, n = sum(e for e, _ in kept), sum(n for _, n in kept)
        print(f"    under {t:.1f}: {len(whole) - len(kept)}/{len(whole)} asked again; WER of the rest "
              f"{e / max(1, n):.1%}")

    print(f"\n== Grave triggers ({', '.join(sorted(GRAVE_TRIGGERS))}) in a transcript but not in what "
          "was said; evidence words with their confidence")
    for speaker, reference, words in heard:
        text = " ".join(w.text for w in words)
        said = {h.name for h in analyse(reference).triggers}
        for hit in analyse(text).triggers:
            if hit.name in GRAVE_TRIGGERS and hit.name not in said:
                evidence = [(w.text, w.confidence) for w in words
                            if w.text.lower() in hit.evidence.lower().split()]
                grave.append((speaker, reference, text, f"{hit.name} '{hit.evidence}'", evidence))
                caught = [t for t in CONFIDENCE_THRESHOLDS
                          if unsure_grave_triggers(rubric, text, [hit.name], words, t)]
                print(f"  {speaker}: {reference!r}\n      heard {text!r}: {hit.name} '{hit.evidence}' "
                      f"({', '.join(f'{w} {c:.2f}' for w, c in evidence)}); asked again from threshold "
                      f"{min(caught) if caught else 'none'}")
    if not grave:
        print("  none")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the speech-asr folder or the data root above it")
    parser.add_argument("--quick", action="store_true", help="the first 10 of each set only")
    parser.add_argument("--listener", action="store_true",
                        help="instead: WER through the hands-free Listener, speculation off vs on")
    parser.add_argument("--word-confidence", action="store_true",
                        help="instead: how word probabilities separate right from wrong words")
    parser.add_argument("--engine", choices=("whisper", "pocketsphinx"), default="whisper",
                        help="the recogniser for --listener and --word-confidence (default: "
                             "Whisper tiny.en, the app's)")
    parser.add_argument("--ravdess-per-actor", type=int, default=2,
                        help="angry and as many neutral RAVDESS clips per actor (0: none)")
    parser.add_argument("--min-window", type=float, default=None,
                        help="WHAT-IF: Whisper's shortest encoder window in seconds (30: always "
                             "the full window; default: simulator/speech/whisper.py's)")
    parser.add_argument("--no-pocketsphinx", action="store_true",
                        help="Whisper only in the main figures (faster)")
    parser.add_argument("--sets", default="read,in-scenario,ravdess",
                        help="which sets to run, comma-separated (default: all three)")
    parser.add_argument("--show-errors", action="store_true",
                        help="print every transcript with an error under the standard scoring")
    args = parser.parse_args(argv)
    sets = {part.strip() for part in args.sets.split(",") if part.strip()}
    unknown = sets - {"read", "in-scenario", "ravdess"}
    if unknown:
        parser.error(f"unknown sets {sorted(unknown)}: choose among read, in-scenario, ravdess")
    if args.min_window is not None:
        from simulator.speech import whisper as whisper_module

        whisper_module._MIN_WINDOW = args.min_window
    os.environ.setdefault("SIMULATOR_DATA_DIR", tempfile.mkdtemp(prefix="asr-bench-"))

    from simulator.speech.recognizer import StreamingRecognizer

    replies = load_replies()
    scenarios = shipped_scenarios()
    adaptation, build_seconds, sentences = scenario_adaptation(replies, scenarios)
    print(f"Adaptation: {adaptation.sentences} sentences, {len(adaptation.vocabulary)} words, "
          f"{len(adaptation.extra_words)} pronunciations guessed "
          f"({', '.join(w for w, _ in adaptation.extra_words)}); built in {build_seconds * 1000:.0f} ms")
    leaked = unseen_check(replies, sentences)
    if leaked:
        print(f"WARNING: {len(leaked)} of the {len(replies)} bench replies are sentences of the "
              f"adaptation corpus, so the in-scenario figures flatter it: {leaked}")
    else:
        print(f"None of the {len(replies)} bench replies is a sentence of the adaptation corpus "
              "(reply_corpus.txt, phrases.yaml, the scenarios' texts): they are unseen.")
    voices, missing = installed_voices()
    for family, packages, names in missing:
        print(f"Voices missing: {family} ({', '.join(names)}); "
              f"install with: sudo apt-get install -y {packages}")
    print("Voices used: " + ", ".join(f"{v.family}/{v.name}" for v in voices))
    if not args.listener and not args.word_confidence:
        from simulator.speech.whisper import load_model

        before = resident_mb()
        t0 = time.perf_counter()
        model = load_model()
        loaded = time.perf_counter() - t0
        whisper = make_engine("whisper", adaptation)
        print(f"Whisper tiny.en: loaded in {loaded:.2f} s (of which SHA-256 check "
              f"{model.verify_seconds:.2f} s), ready with PocketSphinx beside it and a first decode "
              f"in {time.perf_counter() - t0:.2f} s; resident memory +{resident_mb() - before:.0f} MB "
              f"(process {resident_mb():.0f} MB)")
        recognizers = {"whisper": whisper}
        if not args.no_pocketsphinx:
            t0 = time.perf_counter()
            recognizers |= {"unadapted": StreamingRecognizer(), "adapted": StreamingRecognizer(adaptation)}
            recognizers["unadapted"].prepare()
            recognizers["adapted"].prepare()
            print(f"PocketSphinx decoders loaded in {time.perf_counter() - t0:.2f} s")

    general: list[tuple[str, str, bytes]] = []
    folder = find_data("speech-asr", args.data) if "read" in sets else None
    if "read" not in sets:
        pass
    elif folder is None:
        say_absent("speech-asr", looked_at("speech-asr", args.data))
    else:
        with (folder / "manifest.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                general.append((row["speaker"], row["transcript"], read_pcm(folder / row["file"])))

    ravdess: list[tuple[str, str, bytes]] = []
    with_tone = args.ravdess_per_actor and "ravdess" in sets
    tone = find_data("speech-tone", args.data) if with_tone else None
    if with_tone and tone is None:
        say_absent("speech-tone", looked_at("speech-tone", args.data))
    elif tone is not None:
        ravdess = ravdess_items(tone, args.ravdess_per_actor)
    if args.quick:
        general, replies, ravdess = general[:10], replies[:10], ravdess[::8]
    with tempfile.TemporaryDirectory(prefix="asr-replies-") as tmp:
        t0 = time.perf_counter()
        in_scenario = [(speaker, text, read_pcm(wav)) for speaker, text, wav
                       in render_replies(replies if "in-scenario" in sets else [], voices, Path(tmp))]
        print(f"Rendered {len(in_scenario)} replies in {time.perf_counter() - t0:.1f} s")
    if args.listener:
        return listener_main(adaptation, in_scenario, general, args.engine)
    if args.word_confidence:
        return word_confidence_main(adaptation, in_scenario, general, args.engine)
    # Each decoder normalises its input level from what it heard before, so warm both up on
    # the same audio before measuring, as a session's first replies would.
    for recognizer in recognizers.values():
        for _, _, pcm in in_scenario[:3] + general[:3]:
            decode(recognizer, pcm)
    shown = args.show_errors
    if general:
        g = evaluate("General read speech (speech-asr)", general, recognizers, show=shown)
    scen = evaluate("In-scenario replies (synthetic voices, unseen by the adaptation)",
                    in_scenario, recognizers, by_family=True, show=shown) if in_scenario else {}
    app_figures: dict = {}
    if in_scenario and "whisper" in recognizers:
        per_reply, unmatched = app_adaptations(replies, scenarios, adaptation)
        # render_replies speaks every reply once per family, the replies in order within each.
        order = [per_reply[i % len(replies)] for i in range(len(in_scenario))]
        print("\nAs the app: each reply decoded by Whisper adapted to the one scenario whose customer it "
              "addresses (prompt: that scenario's names; its language model ranks the candidates)"
              + (f"; {unmatched} replies address no shipped customer and keep the shared adaptation"
                 if unmatched else ""))
        app_figures = evaluate("In-scenario replies, as the app adapts", in_scenario,
                               {"whisper": AsTheApp(recognizers["whisper"], order)}, by_family=True, show=shown)
        recognizers["whisper"].set_adaptation(adaptation)
    tone_figures = evaluate("RAVDESS actors, angry and neutral (speech-tone; actors from "
                            f"{RAVDESS_BLIND_FROM} on are the blind split)", ravdess, recognizers,
                            by_family=True, blind=ravdess_blind, show=shown) if ravdess else {}
    if general and in_scenario and not args.no_pocketsphinx:
        vad_figures(general, [pcm for _, _, pcm in in_scenario])

    from bench._scoring import Tally

    def both(tally: Tally | None) -> str:
        if tally is None or not tally.plain[1]:
            return "-"
        return f"{tally.rate('plain'):.1%} plain / {tally.rate('standard'):.1%} standard"

    def splits(figures: dict, name: str) -> str:
        return (f"tuned {both(figures.get((name, 'tuned')))}; "
                f"blind {both(figures.get((name, 'blind')))}")

    print("\n== Summary (goals for the app's recogniser: read speech and angry speech under 8%, "
          "in-scenario under 6%). Word error rates under both scorings (bench/_scoring.py): "
          "plain (case, punctuation, digits; every figure before session 8) and standard "
          "(Whisper's English normaliser: contractions, spellings, numbers; compounds joined)")
    families = list(dict.fromkeys(v.family for v in voices))
    natural = [f for f in families if f in NATURAL]

    def among(name: str, chosen: list[str]) -> Tally:
        total = Tally()
        for family in chosen:
            total += scen[(name, family)]
        return total

    for name in recognizers:
        print(f"  {name}:")
        if general:
            print(f"    read speech WER {both(g[name])}\n      ({splits(g, name)})")
        for group in ("angry-strong", "angry-normal", "neutral"):
            if (name, group) in tone_figures:
                print(f"    RAVDESS {group:13s} WER {both(tone_figures[(name, group)])}")
        if tone_figures:
            print(f"    RAVDESS all: {splits(tone_figures, name)}")
        if not scen:
            continue
        for family in families:
            print(f"    in-scenario WER, {family + ':':10s} {both(among(name, [family]))}")
        if natural:
            print(f"    in-scenario WER, natural-sounding voices ({', '.join(natural)}): "
                  f"{both(among(name, natural))}")
        print(f"    in-scenario WER, all voices: {both(scen[name])}\n      ({splits(scen, name)})")
        if name in app_figures:
            print(f"    in-scenario WER, as the app adapts (one scenario's names and model): "
                  f"{both(app_figures[name])}\n      ({splits(app_figures, name)})")
    if scen and not natural:
        print("  no natural-sounding voice is installed, so the in-scenario goal cannot be read; "
              "install flite (see above)")
    return 0


def listener_main(adaptation, in_scenario: list[tuple[str, str, bytes]],
                  general: list[tuple[str, str, bytes]], engine: str = "whisper") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (the Listener's signals)

    def make():
        return make_engine(engine, adaptation)

    # Warmed up as the main figures' decoders are, on the same audio.
    warm_up = [pcm for _, _, pcm in in_scenario[:3] + general[:3]]
    scen = listener_figures("In-scenario replies (synthetic voices, adapted recogniser)",
                            in_scenario, make, warm_up, by_family=True)
    if general:
        g = listener_figures("General read speech (speech-asr, adapted recogniser)", general,
                             make, warm_up, by_family=False)
    print("\n== Summary (hands-free Listener, adapted recogniser)")
    for label, (off, on, s_off, s_on) in [("in-scenario, all voices", scen)] + (
            [("general speech", g)] if general else []):
        print(f"  {label} WER: speculation off {off[0] / off[1]:.1%} plain / "
              f"{s_off[0] / s_off[1]:.1%} standard, at {SPECULATE_AT:.2f} s {on[0] / on[1]:.1%} "
              f"plain / {s_on[0] / s_on[1]:.1%} standard")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
