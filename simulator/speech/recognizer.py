"""Speech recognition with PocketSphinx: a streaming recogniser that decodes while the trainee is
still speaking, whole-file transcription, and the confidence that flags "say that again".

SpeechRecognition is the front end the project chose, and whole files go through it:
`sr.AudioFile` reads WAV/AIFF/FLAC and `AudioData.get_raw_data` converts any rate and width to
the 16 kHz PCM16 the model needs. Its `recognize_sphinx`, though, builds a new decoder on every
call (about 0.3-0.6 s here), decodes only once the whole utterance has arrived, and gives no
confidence. The streaming path therefore drives pocketsphinx's `Decoder` directly: the decoders
are built once per recogniser and reused, `process_raw` runs on each chunk as it arrives, so when
the trainee stops only the final pass (`end_utt`, 0.05-0.3 s; ~20 ms without the fwdflat pass, see
`_SEARCH`) is left.

With a scenario adaptation (`simulator.speech.adaptation`) two decoders run side by side on the
same audio: the general en-us model and the scenario's small language model (whose dictionary
holds only its own vocabulary, so it builds in ~40 ms instead of the ~1 s that adding an LM to
the full dictionary takes). At the end the two hypotheses are rescored with a sentence-level
mixture of both language models plus the acoustic fit of their whole path, and the scenario's
wins only by a margin (see `_rescore` and the measured what-ifs by `_SCENARIO_MARGIN`). Measured
on bench/asr_accuracy.py this keeps general speech exactly where the unadapted engine has it
(27.0% WER both, every speaker the same; the word-level mixture before gave 28.1-28.6%) while
in-scenario replies improve a lot (flite+Festival 13.8% -> 7.3%, espeak-ng 66.3% -> 56.7%);
picking by confidence or acoustic score alone did worse on one side or the other.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, NGramModel, Vad

from simulator.speech.adaptation import Adaptation, dictionary_words, normalise

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
ENGINE = "pocketsphinx"

# Below this mean word posterior the app asks the trainee to repeat. Measured with
# bench/asr_accuracy.py: noise and mumbles mostly score under 0.35, clear in-scenario replies
# mostly above 0.5; erring low means fewer needless "say that again"s, and the judge sees the
# confidence anyway. Whisper's (the mean word probability; silence and noise give no transcript at
# all, see simulator.speech.engines.WhisperRecognizer) keeps it: `bench/asr_accuracy.py
# --word-confidence` asked again for 4 of 131 replies under 0.4 (WER of the rest 11.3%), 11 under
# 0.7 (10.6%), 31 under 0.8 (9.0%): a higher bar mostly repeats replies heard right.
LOW_CONFIDENCE = 0.4

# Words must account for this share of what the VAD heard as speech for the posteriors to be
# trusted in full: on loud noise pocketsphinx finds one confident short word ("thigh") in two
# seconds of "speech"; real replies cover 0.7-1 of it.
_FULL_COVERAGE = 0.6
# Less speech than this (seconds, per the VAD) is no reply at all.
MIN_SPEECH = 0.2
# Spoken words rarely last longer than this; on noise the decoder stretches one word over
# seconds with a posterior of 1.0, so a word's posterior is scaled down beyond it.
_LONGEST_WORD = 0.7

# Hesitation sounds. A transcript of nothing else is no reply, and on noise the decoder often finds
# one long, confident "ah": its confidence is halved so that the app asks again.
_FILLERS = frozenset({"ah", "uh", "um", "er", "erm", "hmm", "mm", "oh", "huh"})

# Rescoring between the general and the scenario hypotheses (see `_rescore`): the prior that a
# reply is in-scenario in the sentence-level mixture of the two LMs, the language weight against
# acoustic log scores, the per-frame log score given to frames outside the hypothesis's path (its
# final </s>, whose acoustic score pocketsphinx misreports), and how much better the scenario
# hypothesis must score to be taken. Measured on bench/asr_accuracy.py (51 read utterances, where
# the unadapted engine has 27.0% WER; 40 unseen replies x flite/Festival ("natural") and
# espeak-ng), the two hypotheses decoded once and rescored each way, adapted WER:
#   before: word-level mixture 0.7, words' acoustic only, silence 5/frame, no margin:
#           general 28.1%, natural 6.7%, espeak-ng 58.1%
#   word-level mixture 0.3-0.5, language weight 9-12:    general 27.2%, natural 6.3-6.5%
#   word-level, margin 45-80:                            general 27.0-27.2%, natural 6.3-6.6%,
#                                                        espeak-ng 59.8-61.5%
#   no scenario hypothesis when the general one has a word outside the scenario vocabulary
#   (at any posterior / over 0.9):                       general 27.0% / 27.9%, natural 12.4% / 7.7%
#   sentence-level mixture (prior 0.5-0.9, weight 12-15): general 27.2%, natural 6.7-7.3%
#   + whole-path acoustic score (silences and fillers):  general 27.0-27.1%, natural 6.9-7.2%
#   + margin 20 / 40 / 60 / 80 (now 40):                 general 27.0% throughout, natural 6.7 /
#                                                        6.7 / 6.5 / 6.2%, espeak-ng 58.4 / 58.1 /
#                                                        60.1 / 64.6%
# The full bench with it (live decoding, so a reply or two differs from the offline rescoring):
# general 27.0% adapted and unadapted, every speaker the same (28.1% adapted before); in-scenario
# flite 9.0% (9.0% before), Festival 5.6% (4.8%), espeak-ng 56.7% (57.0%).
# Not tried: a scenario LM interpolated with general English unigrams (its dictionary would need
# thousands more words, and the general hypothesis is already the best on general speech: an
# oracle picking the better of the two per utterance gives 27.0% there too).
# Only ~6 of the 51 general utterances are close calls, so the margin sits mid-plateau rather than
# at its best point: wrongly taking the scenario's hypothesis for general speech costs 2-7 words
# (its vocabulary cannot say them), wrongly keeping the general one on a reply costs 1-3.
_SCENARIO_PRIOR = 0.5
_LANGUAGE_WEIGHT = 12.0
_SILENCE_CREDIT = 5.0
_SCENARIO_MARGIN = 40.0
# Underflow floor for per-word acoustic scores, which pocketsphinx hands back as probabilities.
_MIN_LOG = -700.0


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    confidence: float


@dataclass(frozen=True)
class Transcript:
    """What the recogniser heard. `confidence` is 0..1 (mean word posterior); 0 when nothing."""

    text: str
    confidence: float
    words: tuple[Word, ...] = ()
    engine: str = ENGINE
    # Time spent producing it after the last audio arrived (streaming) or in all (files).
    seconds: float = 0.0
    # Which model's hypothesis won: "general" or "scenario" ("mixed" when joined from both).
    source: str = field(default="general", compare=False)


def is_low_confidence(transcript: Transcript, threshold: float = LOW_CONFIDENCE) -> bool:
    """True when the app should ask "Sorry, could you say that again?": nothing heard, or a
    mean word posterior under `threshold` (see LOW_CONFIDENCE for how it was chosen)."""
    return not transcript.text.strip() or transcript.confidence < threshold


def join_transcripts(first: Transcript, second: Transcript, offset: float) -> Transcript:
    """One reply recognised in two utterances, the second starting `offset` seconds into it (the
    listener's speculation ends an utterance at a pause; speech after the pause is a new one).
    Words keep their times in the reply; the confidence is the mean over all the words, so a few
    unsure words after a pause weigh as much as their share."""
    later = tuple(Word(w.text, w.start + offset, w.end + offset, w.confidence) for w in second.words)
    words = first.words + later
    if not later and not second.text:
        return first
    if not first.words and not first.text:
        return Transcript(second.text, second.confidence, later, second.engine, second.seconds, second.source)
    counts = (max(1, len(first.words)), max(1, len(second.words)))
    confidence = (first.confidence * counts[0] + second.confidence * counts[1]) / sum(counts)
    text = " ".join(t for t in (first.text, second.text) if t)
    source = second.source if second.source == first.source else "mixed"
    return Transcript(text, confidence, words, second.engine, second.seconds, source)


_dict_lock = threading.Lock()

# PocketSphinx's search passes for both decoders. Its second pass (fwdflat, the flat-lexicon
# re-search) is most of `end_utt`. Measured on bench/asr_accuracy.py (51 read utterances; 40
# unseen replies x flite/Festival/espeak-ng), warmed-up decoders:
#   fwdflat on (now):  general unadapted 29.9%, adapted 30.5%; in-scenario adapted flite 8.4%,
#                      Festival 4.8%, espeak-ng 59.8%; end_utt (both decoders) median 231 ms,
#                      p95 713 ms
#   fwdflat off:       general unadapted 27.1%, adapted 28.6% (rescoring of then); in-scenario adapted flite 8.4%,
#                      Festival 4.8%, espeak-ng 54.2%; end_utt median 22 ms, p95 95 ms
# Off on one decoder only did worse on one side (the rescoring compares acoustic scores, which
# differ by pass); bestpath off as well saved ~5 ms but gave general adapted 31.3%. So it is off.
# Without fwdflat a decoder's FIRST utterance, before its live cepstral mean has adapted to the
# voice, can go badly wrong (espeak-ng's "I'm sorry you've been kept waiting" came back "are you
# you will eat", right on the second try), so that utterance is decoded twice (see `finish`)
# unless `warm_up` or a warm general decoder gave the decoder a mean first.
_SEARCH = {"fwdflat": False, "bestpath": True}
# Audio of the trainee's calibration reading decoded to set the cepstral mean (`warm_up`).
_WARM_UP_SECONDS = 3.0


def _general_decoder() -> Decoder:
    return Decoder(loglevel="FATAL", **_SEARCH)


def _scenario_decoder(adaptation: Adaptation) -> Decoder:
    """A decoder whose dictionary holds only the adaptation's words, so it builds in ~40 ms."""
    path = adaptation.arpa_path.with_suffix(".dict")
    with _dict_lock:
        if not path.exists():
            known = dictionary_words()
            extra = dict(adaptation.extra_words)
            lines = [f"{w} {known.get(w) or extra[w]}\n" for w in sorted(adaptation.vocabulary)]
            tmp = path.with_suffix(".dict.tmp")
            tmp.write_text("".join(lines), encoding="utf-8")
            tmp.replace(path)
    return Decoder(loglevel="FATAL", dict=str(path), lm=str(adaptation.arpa_path), **_SEARCH)


@dataclass
class _Result:
    words: list[tuple[str, int, int, float]]  # word, first frame, last frame, posterior
    acoustic: float  # log acoustic score of the whole path but its final </s>
    word_frames: int
    path_frames: int  # frames the acoustic score covers

    @property
    def tokens(self) -> list[str]:
        return [w for w, *_ in self.words]


def _read(decoder: Decoder) -> _Result:
    words: list[tuple[str, int, int, float]] = []
    acoustic = 0.0
    frames = path = 0
    if decoder.hyp() is None:
        return _Result([], 0.0, 0, 0)
    for seg in decoder.seg():
        if seg.word == "</s>":  # its ascore repeats the previous segment's
            continue
        length = seg.end_frame - seg.start_frame + 1
        acoustic += max(math.log(seg.ascore), _MIN_LOG) if seg.ascore > 0 else _MIN_LOG
        path += length
        if seg.word.startswith(("<", "[")):
            continue
        words.append((seg.word.split("(")[0], seg.start_frame, seg.end_frame, seg.prob))
        frames += length
    return _Result(words, acoustic, frames, path)


def speech_seconds(pcm16: bytes) -> float:
    """Seconds of 16 kHz PCM16 audio that PocketSphinx's VAD (the loose one the recogniser uses)
    calls speech."""
    vad = Vad(Vad.LOOSE, SAMPLE_RATE)
    step = vad.frame_bytes
    frames = sum(vad.is_speech(pcm16[offset:offset + step])
                 for offset in range(0, len(pcm16) - len(pcm16) % step, step))
    return frames * vad.frame_length


class StreamingRecognizer:
    """Incremental recognition of one utterance at a time; reuse it for every utterance.

    Not thread-safe: one thread drives it (the listener's worker). Building it is cheap; the
    decoders load on first use or when `prepare()` is called (about 0.5 s for the general one).
    """

    engine = ENGINE

    def __init__(self, adaptation: Adaptation | None = None, description: str = "PocketSphinx") -> None:
        self.adaptation = adaptation
        # What Settings shows as the recogniser in use, and why when it is a fallback.
        self.description = description
        self._general: Decoder | None = None
        self._scenario: Decoder | None = None
        self._general_lm: NGramModel | None = None
        self._scenario_lm: NGramModel | None = None
        self._active = False
        self._frames_fed = 0
        self._vad = Vad(Vad.LOOSE, SAMPLE_RATE)
        self._vad_pending = b""
        self._vad_speech_frames = 0
        # Decoders that have not finished an utterance yet, and the audio kept for them.
        self._cold: set[int] = set()
        self._cold_audio: list[bytes] = []
        # An adaptation handed over mid-utterance, applied when the next one starts (a 1-tuple so
        # that "back to no adaptation" can wait too).
        self._pending: tuple[Adaptation | None] | None = None

    def prepare(self) -> None:
        """Load the decoders now rather than at the first `start()`."""
        if self._general is None:
            self._general = _general_decoder()
            self._general_lm = self._general.get_lm()
            self._cold.add(id(self._general))
        if self.adaptation is not None and self._scenario is None:
            self._scenario = _scenario_decoder(self.adaptation)
            self._scenario_lm = self._scenario.get_lm()
            if self._general is None or id(self._general) in self._cold:
                self._cold.add(id(self._scenario))
            else:  # same acoustic model and features: the general decoder's mean fits it too
                self._scenario.set_cmn(self._general.get_cmn())

    @property
    def speech_seconds(self) -> float:
        """How much of the utterance so far the VAD heard as speech."""
        return self._vad_speech_frames * self._vad.frame_length

    @property
    def warm(self) -> bool:
        """Whether the decoders are loaded and have a cepstral mean from real audio, so the next
        utterance is decoded once."""
        return self._general is not None and not self._cold

    def warm_up(self, pcm16: bytes) -> None:
        """Set the decoders' cepstral mean from audio of this microphone (the trainee's calibration
        reading) so that their first reply is decoded once, not twice (that second decode of both
        decoders made the first turn of bench/turn_latency.py ~1.9 s slower). It decodes up to
        `_WARM_UP_SECONDS` of the audio on the general decoder (~0.3-0.5 s of work per second of
        audio) and gives the scenario decoder the same mean. Call it before the first utterance,
        on the thread that drives the recogniser; under half a second of audio does nothing."""
        self.prepare()
        if self._active or len(pcm16) < SAMPLE_RATE:  # bytes: under half a second
            return
        assert self._general is not None
        if id(self._general) in self._cold:
            audio = pcm16[:int(_WARM_UP_SECONDS * SAMPLE_RATE) * 2]
            self._general.start_utt()
            self._general.process_raw(audio[:len(audio) - len(audio) % 2], full_utt=True)
            self._general.end_utt()
            self._cold.discard(id(self._general))
        if self._scenario is not None and id(self._scenario) in self._cold:
            self._scenario.set_cmn(self._general.get_cmn())
            self._cold.discard(id(self._scenario))

    def set_adaptation(self, adaptation: Adaptation | None) -> None:
        """Switch scenario; the general decoder is kept. During an utterance the switch waits for
        the next one: dropping the scenario decoder mid-utterance left a new one that was never
        started, whose `end_utt` then failed, and every later reply with it."""
        if self._active:
            self._pending = (adaptation,)
            return
        self._pending = None
        if adaptation != self.adaptation:
            self.adaptation = adaptation
            self._scenario = None
            self._scenario_lm = None

    def _decoders(self) -> list[Decoder]:
        return [d for d in (self._scenario, self._general) if d is not None]

    def start(self) -> None:
        if self._active:
            self.cancel()
        if self._pending is not None:
            self.set_adaptation(self._pending[0])
        self.prepare()
        try:
            for decoder in self._decoders():
                decoder.start_utt()
        except Exception:
            self._drop_decoders()
            raise
        self._active = True
        self._frames_fed = 0
        self._vad_pending = b""
        self._vad_speech_frames = 0
        self._cold_audio = []

    def feed(self, pcm16: bytes) -> None:
        if not self._active:
            self.start()
        if len(pcm16) % 2:
            pcm16 = pcm16[:-1]
        if not pcm16:
            return  # pocketsphinx's process_raw fails on an empty buffer
        for decoder in self._decoders():
            decoder.process_raw(pcm16)
        if self._cold:
            self._cold_audio.append(pcm16)
        self._frames_fed += len(pcm16) // 2
        pending = self._vad_pending + pcm16
        step = self._vad.frame_bytes
        usable = len(pending) - len(pending) % step
        for offset in range(0, usable, step):
            self._vad_speech_frames += self._vad.is_speech(pending[offset:offset + step])
        self._vad_pending = pending[usable:]

    def partial(self) -> str:
        """The live transcript so far (the scenario model's, when there is one)."""
        if not self._active:
            return ""
        hyp = self._decoders()[0].hyp()
        return hyp.hypstr if hyp is not None else ""

    def cancel(self) -> None:
        """Drop the utterance in progress. Never raises: a decoder that cannot end its utterance
        is thrown away and rebuilt at the next `start()` (about half a second), so one failure
        never leaves the recogniser stuck."""
        if not self._active:
            return
        self._active = False
        self._cold_audio = []
        try:
            for decoder in self._decoders():
                decoder.end_utt()
        except Exception as exc:
            log.warning("the recogniser could not drop its utterance (%s); its decoders are rebuilt", exc)
            self._drop_decoders()

    def _drop_decoders(self) -> None:
        self._active = False
        self._general = self._scenario = None
        self._general_lm = self._scenario_lm = None
        self._cold.clear()
        self._cold_audio = []

    def finish(self) -> Transcript:
        t0 = time.perf_counter()
        if not self._active:
            return Transcript("", 0.0, engine=self.engine)
        self._active = False
        try:
            for decoder in self._decoders():
                decoder.end_utt()
                if id(decoder) in self._cold:
                    # First utterance: decode it again now that the cepstral mean has adapted.
                    # Once per decoder; costs about a third of the reply's length.
                    self._cold.discard(id(decoder))
                    decoder.start_utt()
                    decoder.process_raw(b"".join(self._cold_audio), full_utt=True)
                    decoder.end_utt()
        except Exception:
            self._drop_decoders()  # the next `start()` builds fresh ones
            raise
        self._cold_audio = []
        assert self._general is not None
        general = _read(self._general)
        chosen, source = general, "general"
        if self._scenario is not None:
            scenario = _read(self._scenario)
            if self._rescore(scenario) >= self._rescore(general) + _SCENARIO_MARGIN:
                chosen, source = scenario, "scenario"
        return self._transcript(chosen, source, time.perf_counter() - t0)

    def _rescore(self, result: _Result) -> float:
        """Acoustic fit of the whole path plus the sentence's probability under a mixture of the
        two language models, for comparing hypotheses.

        The mixture is over the whole sentence (the reply is either in-scenario or general
        English), not word by word: a general sentence with a word the scenario vocabulary lacks
        then gets no help from the scenario LM for its common words, so a scenario hypothesis
        of look-alike scenario words no longer beats it on general speech.
        """
        assert self._general_lm is not None and self._scenario_lm is not None
        decoder = self._general
        assert decoder is not None
        logmath = decoder.get_logmath()
        seq = ["<s>", *result.tokens, "</s>"]
        general = scenario = 0.0
        for i in range(1, len(seq)):
            query = [seq[i], *reversed(seq[max(0, i - 2):i])]
            general += logmath.log_to_ln(self._general_lm.prob(query))
            scenario += logmath.log_to_ln(self._scenario_lm.prob(query))
        lm = float(np.logaddexp(math.log(_SCENARIO_PRIOR) + scenario,
                                math.log(1 - _SCENARIO_PRIOR) + general))
        outside = max(0, decoder.n_frames() - result.path_frames)
        return result.acoustic - _SILENCE_CREDIT * outside + _LANGUAGE_WEIGHT * lm

    def _transcript(self, result: _Result, source: str, seconds: float) -> Transcript:
        frame = 0.01  # pocketsphinx's default frame rate is 100 per second
        words = tuple(Word(w, s * frame, (e + 1) * frame, max(0.0, min(1.0, p)))
                      for w, s, e, p in result.words)
        plausible = [w.confidence * min(1.0, _LONGEST_WORD / max(w.end - w.start, 1e-3)) ** 2
                     for w in words]
        confidence = sum(plausible) / len(plausible) if plausible else 0.0
        if words and all(w.text in _FILLERS for w in words):
            confidence *= 0.5
        speech = self._vad_speech_frames * self._vad.frame_length
        if speech < MIN_SPEECH:
            confidence = 0.0
        else:
            coverage = result.word_frames * frame / speech
            confidence *= min(1.0, coverage / _FULL_COVERAGE)
        text = " ".join(w.text for w in words)
        return Transcript(text, max(0.0, min(1.0, confidence)), words, self.engine, seconds, source)

    def transcribe_pcm(self, pcm16: bytes, chunk: int = 3200) -> Transcript:
        """Recognise a whole utterance already in memory (16 kHz mono PCM16)."""
        t0 = time.perf_counter()
        self.start()
        for offset in range(0, len(pcm16), chunk):
            self.feed(pcm16[offset:offset + chunk])
        result = self.finish()
        return Transcript(result.text, result.confidence, result.words, result.engine,
                          time.perf_counter() - t0, result.source)


_file_recognizers: dict[str | None, StreamingRecognizer] = {}
_file_lock = threading.Lock()


def resample(samples: np.ndarray, rate: int, to: int = SAMPLE_RATE) -> np.ndarray:
    """Float samples at `rate` to `to` Hz, low-pass filtered first when downsampling.

    Without the filter (audioop.ratecv, which SpeechRecognition uses, or plain interpolation)
    a 22 or 48 kHz recording folds its 8-11 kHz hiss into the speech band, and the recogniser
    loses words: "let me check that for you" came back as "not for you".
    """
    samples = np.asarray(samples, dtype=np.float64)
    if rate == to or not len(samples):
        return samples
    if to < rate:
        # Windowed-sinc low-pass at 90% of the new Nyquist frequency, 64 taps each side.
        cutoff = 0.45 * to / rate
        n = np.arange(-64, 65)
        taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.blackman(len(n))
        samples = np.convolve(samples, taps / taps.sum(), mode="same")
    positions = np.arange(int(round(len(samples) * to / rate))) * (rate / to)
    return np.interp(positions, np.arange(len(samples)), samples)


def read_audio_file(path: Path | str) -> bytes:
    """16 kHz mono PCM16 from a WAV, AIFF or FLAC file.

    SpeechRecognition reads the container and mixes to mono 16-bit; the rate conversion is ours
    (see `resample`).
    """
    import speech_recognition as sr  # only for reading files of other formats: not at start-up

    with sr.AudioFile(str(path)) as source:
        audio = sr.Recognizer().record(source)
    pcm = audio.get_raw_data(convert_width=2)
    if audio.sample_rate == SAMPLE_RATE:
        return pcm
    samples = resample(np.frombuffer(pcm, dtype="<i2"), audio.sample_rate)
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def transcribe_file(path: Path | str, adaptation: Adaptation | None = None) -> Transcript:
    """Transcribe a whole recording (used by `simulator assess --audio` and the session replay).

    Decoders are kept between calls, one set per adaptation, so only the first call pays for
    loading the model.
    """
    t0 = time.perf_counter()
    pcm = read_audio_file(path)
    key = adaptation.key if adaptation is not None else None
    with _file_lock:
        recognizer = _file_recognizers.get(key)
        if recognizer is None:
            recognizer = _file_recognizers[key] = StreamingRecognizer(adaptation)
        result = recognizer.transcribe_pcm(pcm)
    return Transcript(result.text, result.confidence, result.words, result.engine,
                      time.perf_counter() - t0, result.source)


def word_error_rate(reference: str | Iterable[str], hypothesis: str | Iterable[str]) -> tuple[int, int]:
    """(edits, reference length) after normalising case, punctuation and digits."""
    ref = normalise(reference) if isinstance(reference, str) else list(reference)
    hyp = normalise(hypothesis) if isinstance(hypothesis, str) else list(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (r != h))
    return row[-1], len(ref)

