"""The scenario's language model as a second opinion on Whisper's candidate transcripts.

Whisper tiny.en hears synthetic and unclear speech as near-miss English: "refund" as "refined",
"ID" as "it", "calm down" as "come out". The scenario adaptation (speech/adaptation.py) already
builds a trigram model of what a trainee is likely to say to this customer for PocketSphinx; here
the same ARPA file ranks Whisper's candidates: the greedy transcript and the five of a beam search
on the same encoder output (speech/whisper.py). Each candidate's score is Whisper's own (its mean
token log probability) plus `LM_WEIGHT` times the model's mean log probability per word; a word the
model has never seen costs `OOV_LOG10`, no more, so a reply off the scenario's script still comes
through as Whisper heard it. The customers' names are left out of the model's score (see `bonus`).

Measured on the decodes of bench/asr_accuracy.py (session 9; candidates ranked apart; plain /
standard scoring, see bench/_scoring.py; in-scenario replies and read speech, tuned | blind split):

    greedy (before)                  10.7% / 8.9% | 9.0% / 6.1%    7.6% / 4.7% | 8.1% / 7.9%
    beam 5, Whisper's best            9.2% / 7.7% | 9.8% / 7.7%    7.0% / 4.1% | 7.4% / 6.5%
    beam + greedy, ranked (kept)      6.7% / 5.6% | 9.0% / 5.7%    6.6% / 4.1% | 7.4% / 6.5%
    weight 0.1 / 0.3                  7.3% / 6.2%, 6.9% / 5.4%      6.8% / 3.9%, 6.8% / 4.3%
    beam only, ranked                 6.9% / 6.0% | 9.0% / 5.7%    (the same)
    the beam only when greedy's least sure word is under 0.5 / 0.7: 6.9% / 5.8% both (in-scenario,
    tuned); it still ran on 38% / 70% of in-scenario replies and 63% / 92% of read ones.
    Unseen words at -3 / -5 (beam only, weight 0.2): 7.1% / 6.2%, 6.5% / 5.6% in-scenario;
    6.8% / 4.3%, 7.0% / 4.5% read speech.
    The mean was first taken over sums (log probability of the whole candidate): read speech went
    to 13.5% (the shortest candidate won).
"""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path

from simulator.speech.adaptation import normalise

# How much the scenario's model counts against Whisper's own score (both natural logs per token
# or word), and what a word it has never seen costs (log10, as ARPA files write it).
LM_WEIGHT = 0.2
OOV_LOG10 = -4.0

_SECTION = re.compile(r"\\(\d)-grams:")


class ReplyLanguageModel:
    """A backoff n-gram model read from an ARPA file (the adaptation's trigram model)."""

    def __init__(self, arpa_path: Path) -> None:
        self._prob: dict[tuple[str, ...], float] = {}
        self._backoff: dict[tuple[str, ...], float] = {}
        self.order = 0
        order = 0
        with Path(arpa_path).open(encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                section = _SECTION.fullmatch(line)
                if section:
                    order = int(section.group(1))
                    self.order = max(self.order, order)
                    continue
                if not line or line.startswith("\\") or order == 0:
                    continue
                parts = line.split()
                gram = tuple(parts[1:1 + order])
                self._prob[gram] = float(parts[0])
                if len(parts) > 1 + order:
                    self._backoff[gram] = float(parts[1 + order])
        self.vocabulary = frozenset(g[0] for g in self._prob if len(g) == 1)

    def _log10(self, history: tuple[str, ...], word: str) -> float:
        if word not in self.vocabulary:
            return OOV_LOG10
        backoff = 0.0
        for start in range(len(history) + 1):  # the longest history the model knows first
            gram = history[start:] + (word,)
            if gram in self._prob:
                return self._prob[gram] + backoff
            backoff += self._backoff.get(history[start:], 0.0)
        return OOV_LOG10  # unreachable: a known word has a unigram

    def log10_prob(self, words: list[str]) -> float:
        """The sentence's log10 probability, its start and end included."""
        sequence = ["<s>", *words, "</s>"]
        keep = max(1, self.order - 1)
        return sum(self._log10(tuple(sequence[max(0, i - keep):i]), sequence[i])
                   for i in range(1, len(sequence)))

    def bonus(self, text: str, names: frozenset[str] = frozenset()) -> float:
        """What the scenario's model adds to a candidate transcript's score: `LM_WEIGHT` times its
        mean natural log probability per word (the end of the sentence counted as a word). The
        words of `names` (the customers') are left out: the model has seen a name in few places
        ("thank you Dana", not "thank you for your patience Dana"), so it would favour the
        candidate without it, and whether the name was said is Whisper's to hear."""
        words = [w for w in normalise(text) if w not in names]
        return LM_WEIGHT * math.log(10) * self.log10_prob(words) / (len(words) + 1)


_models: dict[Path, ReplyLanguageModel] = {}
_lock = threading.Lock()


def language_model(arpa_path: Path) -> ReplyLanguageModel:
    """The model in `arpa_path`, read once per process (~0.1-0.2 s for a scenario's)."""
    with _lock:
        model = _models.get(arpa_path)
        if model is None:
            if len(_models) >= 8:  # a long session goes through many scenarios
                _models.clear()
            model = _models[arpa_path] = ReplyLanguageModel(arpa_path)
        return model
