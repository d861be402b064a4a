"""Scenario adaptation of the recogniser: a small trigram language model built at run time from
the replies a trainee is likely to give, plus pronunciations for words the dictionary lacks.

A trainee's replies to one customer are predictable: apologies, acknowledgements, options, the
customer's name, the scenario's model answers and the keywords its branches listen for. A
language model built from those (a few hundred sentences) recognises them far better than the
general en-us model, which has to spread its probability over all of English. The general model
still decodes alongside it (see `simulator.speech.recognizer`), so replies outside the corpus come
through as well as they did before.

Everything here is pure Python and fast: building an adaptation takes well under a second, and
built adaptations are cached in memory and on disk, keyed by a hash of their content.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pocketsphinx

from simulator import paths
from simulator.spoken_numbers import number_words

CORPUS_FILE = Path(__file__).with_name("reply_corpus.txt")
PHRASES_FILE = Path(__file__).resolve().parent.parent / "analysis" / "phrases.yaml"
DICT_FILE = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"

# How many times each sentence counts. The rubric's patterns, expanded round-robin, are many and
# partly stilted ("that sounds like really"); the hand-written replies read like speech, and the
# scenario's own texts (and the customer's name) are what this customer will hear most.
RUBRIC_WEIGHT = 1
CORPUS_WEIGHT = 3
SCENARIO_WEIGHT = 4
# Absolute discount for the interpolated trigram model; 0.7 suits tiny corpora, where most
# n-grams are seen once.
DISCOUNT = 0.7
# Bump when the model-building code changes, so stale cached files are not reused.
_BUILD_VERSION = "7"


@dataclass(frozen=True)
class Adaptation:
    """A built scenario adaptation: the ARPA language model and extra pronunciations."""

    key: str
    arpa_path: Path
    # (word, ARPAbet phones) for words the pronunciation dictionary does not know.
    extra_words: tuple[tuple[str, str], ...]
    vocabulary: frozenset[str]
    sentences: int
    build_seconds: float = field(default=0.0, compare=False)
    # Text Whisper reads as what came before the reply: the customers' names, spelt as the scenario
    # spells them ("Kayleigh", not "Kately"). Its effect is measured by bench/asr_accuracy.py.
    prompt: str = ""


# ---------------------------------------------------------------------------------------------
# Text normalisation


_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+")


def normalise(text: str) -> list[str]:
    """Lower-case words as the recogniser spells them: no punctuation, digits spelt out, accents
    dropped ("café" is the dictionary's "cafe", not "caf")."""
    text = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'").replace("-", " "))
    text = text.encode("ascii", "ignore").decode()
    words: list[str] = []
    for token in _TOKEN.findall(text):
        words.extend(number_words(int(token), hundred_and=True) if token.isdigit() and len(token) <= 4 else [token])
    return words


# ---------------------------------------------------------------------------------------------
# Pronunciations


@cache
def dictionary_words() -> dict[str, str]:
    """The en-us pronunciation dictionary that ships with pocketsphinx: word -> first pronunciation."""
    words: dict[str, str] = {}
    with open(DICT_FILE, encoding="utf-8") as f:
        for line in f:
            word, _, phones = line.partition(" ")
            if "(" not in word:
                words[word] = phones.strip()
    return words


# Grapheme clusters to ARPAbet, longest first. Crude, but names are the usual unknown words and
# a rough pronunciation recognises far better than none (the word would be unreachable).
_LTS_RULES: tuple[tuple[str, str], ...] = tuple(sorted({
    "eigh": "EY", "augh": "AO", "ough": "AO", "tion": "SH AH N", "sion": "ZH AH N",
    "igh": "AY", "tch": "CH", "dge": "JH", "sch": "S K",
    "ch": "CH", "sh": "SH", "th": "TH", "ph": "F", "ck": "K", "ng": "NG", "qu": "K W", "wh": "W",
    "kn": "N", "wr": "R", "gh": "G", "ee": "IY", "ea": "IY", "ie": "IY", "ey": "IY", "ay": "EY",
    "ai": "EY", "ei": "EY", "oa": "OW", "oo": "UW", "ou": "AW", "ow": "OW", "oi": "OY", "oy": "OY",
    "au": "AO", "aw": "AO", "ew": "UW", "ue": "UW", "ar": "AA R", "er": "ER", "ir": "ER",
    "ur": "ER", "or": "AO R", "ll": "L", "ss": "S", "tt": "T", "nn": "N", "mm": "M", "rr": "R",
    "ff": "F", "pp": "P", "bb": "B", "dd": "D", "gg": "G", "zz": "Z", "cc": "K",
    "a": "AE", "b": "B", "c": "K", "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IH",
    "j": "JH", "k": "K", "l": "L", "m": "M", "n": "N", "o": "AA", "p": "P", "q": "K", "r": "R",
    "s": "S", "t": "T", "u": "AH", "v": "V", "w": "W", "x": "K S", "y": "Y", "z": "Z",
}.items(), key=lambda kv: -len(kv[0])))


def letter_to_sound(word: str) -> str:
    """A rough ARPAbet pronunciation from spelling rules, for words no dictionary entry covers."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) > 3 and w.endswith("e") and w[-2] not in "aeiouy":
        w = w[:-1]  # silent final e, as in "Jane"
    phones: list[str] = []
    i = 0
    while i < len(w):
        if w[i] == "c" and i + 1 < len(w) and w[i + 1] in "eiy":
            phones.append("S")
            i += 1
            continue
        if w[i] == "y" and i > 0:
            phones.append("IY" if i == len(w) - 1 else "IH")
            i += 1
            continue
        for graph, ph in _LTS_RULES:
            if w.startswith(graph, i):
                phones.extend(ph.split())
                i += len(graph)
                break
    return " ".join(phones) or "AH"


# British spellings the (American) dictionary knows in another form: organise, offence, queueing,
# coeliac, centre, colour.
_SPELLINGS = (("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"),
              ("yse", "yze"), ("ence", "ense"), ("our", "or"), ("eue", "eu"), ("oe", "e"),
              ("tre", "ter"), ("ogue", "og"), ("lled", "led"), ("lling", "ling"))


def pronounce(word: str, known: dict[str, str] | None = None) -> str:
    """A pronunciation for `word`: the dictionary's, else that of its American spelling, else two
    dictionary words joined (Whit+field, Oka+for), else letter-to-sound rules."""
    known = dictionary_words() if known is None else known
    if word in known:
        return known[word]
    for british, american in _SPELLINGS:
        if british in word and word.replace(british, american) in known:
            return known[word.replace(british, american)]
    if word.endswith("'s") and word[:-2] in known:
        base = known[word[:-2]]
        return base + (" Z" if base.split()[-1] not in ("S", "Z", "SH", "CH", "JH") else " IH Z")
    best: tuple[int, str] | None = None
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in known and tail in known:
            # Prefer splits with long parts: "kay+leigh" over "k+ayleigh".
            score = min(len(head), len(tail))
            if best is None or score > best[0]:
                best = (score, f"{known[head]} {known[tail]}")
    if best is not None and best[0] >= 3:
        return best[1]
    return letter_to_sound(word)


# ---------------------------------------------------------------------------------------------
# Language model


def _arpa(sentences: Sequence[Sequence[str]], counts_weight: Sequence[int]) -> str:
    """An interpolated absolute-discounting trigram model in ARPA backoff format.

    For an interpolated model the ARPA form is exact: a seen n-gram stores its full interpolated
    probability and a history's backoff weight is the mass it reserved for the lower order.
    """
    c1: Counter[str] = Counter()
    c2: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    c3: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for words, weight in zip(sentences, counts_weight, strict=True):
        seq = ["<s>", *words, "</s>"]
        for i, w in enumerate(seq):
            if i > 0:
                c1[w] += weight
                c2[(seq[i - 1],)][w] += weight
            if i > 1:
                c3[(seq[i - 2], seq[i - 1])][w] += weight
    vocab = sorted(set(c1) | {"<s>"})
    total = sum(c1.values())
    # Unigrams: discounted counts interpolated with uniform, so every word keeps some mass.
    n_types = len([w for w in vocab if w != "<s>"])
    reserved = DISCOUNT * n_types / total
    p1 = {w: max(c1[w] - DISCOUNT, 0) / total + reserved / n_types for w in vocab if w != "<s>"}

    def interpolate(hist_counts: Counter[str], lower: Callable[[str], float]) -> tuple[dict[str, float], float]:
        n = sum(hist_counts.values())
        gamma = DISCOUNT * len(hist_counts) / n
        return {w: (c - DISCOUNT) / n + gamma * lower(w) for w, c in hist_counts.items()}, gamma

    p2: dict[tuple[str, str], float] = {}
    bow1: dict[str, float] = {}
    for (h,), counts in c2.items():
        probs, gamma = interpolate(counts, p1.__getitem__)
        bow1[h] = gamma
        p2.update({(h, w): p for w, p in probs.items()})

    def p2_full(h: str, w: str) -> float:
        return p2.get((h, w), bow1.get(h, 1.0) * p1[w])

    p3: dict[tuple[str, str, str], float] = {}
    bow2: dict[tuple[str, str], float] = {}
    for (h1, h2), counts in c3.items():
        probs, gamma = interpolate(counts, functools.partial(p2_full, h2))
        bow2[(h1, h2)] = gamma
        p3.update({(h1, h2, w): p for w, p in probs.items()})

    def lg(p: float) -> str:
        return f"{math.log10(p):.4f}"

    out = ["\\data\\", f"ngram 1={len(vocab)}", f"ngram 2={len(p2)}", f"ngram 3={len(p3)}", "",
           "\\1-grams:"]
    for w in vocab:
        prob = "-99.0000" if w == "<s>" else lg(p1[w])
        out.append(f"{prob} {w} {lg(bow1[w]) if w in bow1 else '0.0000'}")
    out += ["", "\\2-grams:"]
    for (h, w), p in sorted(p2.items()):
        out.append(f"{lg(p)} {h} {w} {lg(bow2[(h, w)]) if (h, w) in bow2 else '0.0000'}")
    out += ["", "\\3-grams:"]
    out += [f"{lg(p)} {h1} {h2} {w}" for (h1, h2, w), p in sorted(p3.items())]
    out += ["", "\\end\\", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Corpora


@cache
def reply_corpus() -> tuple[str, ...]:
    """The shipped de-escalation replies, plus the rubric's phrases when the analysis ships them."""
    return tuple(corpus_lines() + rubric_phrases())


@cache
def corpus_lines() -> list[str]:
    lines = [ln.strip() for ln in CORPUS_FILE.read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#")]


def rubric_phrases() -> list[str]:
    """Sentences made from the rubric's patterns (simulator/analysis/phrases.yaml) and its
    "better" suggestions; [] while the file is absent or unreadable.

    Only what people say is used: the explanations for the debrief would teach the model prose.
    """
    if not PHRASES_FILE.exists():
        return []
    import yaml

    try:
        data = yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    macros = {name: [str(v) for v in values] for name, values in (data.get("macros") or {}).items()
              if isinstance(values, list)}
    found: list[str] = []
    for group in ("techniques", "triggers"):
        for entry in (data.get(group) or {}).values():
            if not isinstance(entry, dict):
                continue
            better = entry.get("better")
            found += [better] if isinstance(better, str) else list(better or [])
            for pattern in entry.get("patterns") or []:
                text = pattern.get("pattern") if isinstance(pattern, dict) else pattern
                if isinstance(text, str):
                    found += expand_pattern(text, macros)
    return [f for f in found if isinstance(f, str) and f.strip()]


_GROUP = re.compile(r"([{(])([^{}()]*)[})]\??")


def expand_pattern(pattern: str, macros: dict[str, list[str]] | None = None,
                   limit: int = 40) -> list[str]:
    """Plain sentences from a rubric pattern (see the syntax in phrases.yaml).

    Every alternative of every group turns up in some sentence, but not every combination: the
    n-th sentence takes the n-th choice of each group (round-robin), as many sentences as the
    longest group has choices. Wildcards, gaps and anchors are dropped.
    """
    macros = {"number": ["five", "ten", "twenty"], **(macros or {})}
    text = pattern.lstrip("!")
    text = re.sub(r"<(\w+)>", lambda m: "{" + "|".join(macros.get(m.group(1), [""])) + "}", text)
    groups: list[list[str]] = []

    def hole(match: re.Match[str]) -> str:
        choices = [c.strip() for c in match.group(2).split("|")]
        if match.group(1) == "(":
            choices.append("")  # an optional group may be left out
        groups.append(choices)
        return f"\x00{len(groups) - 1}\x00"

    text = _GROUP.sub(hole, text)
    count = min(limit, max([len(g) for g in groups] or [1]))
    out: list[str] = []
    for n in range(count):
        def choose(match: re.Match[str], n: int = n) -> str:
            choices = groups[int(match.group(1))]
            return choices[n % len(choices)]

        sentence = re.sub("\x00(\\d+)\x00", choose, text)
        words = [w for w in sentence.split() if not re.fullmatch(r"\.\.\.\d*|[$^*]|\S*\*", w)]
        if words:
            out.append(" ".join(words))
    return out


def phrases_for_scenario(scenario: Any) -> tuple[list[str], list[str]]:
    """The scenario's texts a reply is likely to echo, and the customer's names.

    Model answers and branch keywords are what good replies contain. The customer's own lines go
    in too: reflecting back what they said ("your daughter's recital") is a technique the rubric
    rewards, so their words turn up in replies.
    """
    customer = getattr(scenario, "customer", None)
    name = str(getattr(customer, "name", "") or "")
    names = [name] if name else []
    phrases: list[str] = []
    nodes = getattr(scenario, "nodes", {}) or {}
    for node in nodes.values() if isinstance(nodes, dict) else nodes:
        answer = getattr(node, "model_answer", None)
        if answer:
            phrases.extend(s for s in re.split(r"(?<=[.!?:;])\s+", answer) if s.strip())
        phrases.extend(getattr(node, "say", None) or [])
        for branch in getattr(node, "branches", None) or []:
            when = getattr(branch, "when", None)
            phrases.extend(getattr(when, "keywords", None) or [])
    return phrases, names


def _name_sentences(names: Iterable[str]) -> list[str]:
    """Ways a trainee uses a name, so the model expects it in those places."""
    out: list[str] = []
    for name in names:
        parts = name.split()
        if not parts:
            continue
        first = parts[0]
        out += [name, first, f"{first} I understand", f"I'm sorry {first}", f"thank you {first}",
                f"I hear you {first}", f"I'm really sorry {first}", f"{first} I want to help",
                f"thanks for waiting {first}", f"is it {first}"]
        if len(parts) > 1:
            out += [f"Mr {parts[-1]}", f"Mrs {parts[-1]}", f"Ms {parts[-1]}"]
    return out


# ---------------------------------------------------------------------------------------------
# Building and caching

_cache: dict[str, Adaptation] = {}
_lock = threading.Lock()


def adaptation_sentences(phrases: Sequence[str], names: Sequence[str] = ()) -> list[str]:
    """Every sentence an adaptation for these phrases and names learns from (the shared corpus,
    the rubric's phrases, the scenario's texts, the sentences made with the names); the bench
    checks its test replies against these."""
    return [*reply_corpus(), *phrases, *_name_sentences(names)]


def build_adaptation(phrases: Sequence[str], names: Sequence[str] = ()) -> Adaptation:
    """The adaptation for one scenario: its phrases and names on top of the shared reply corpus.

    Cached by content: the same phrases and names give the same object without rebuilding, and
    the ARPA file is kept in the user's cache folder between runs.
    """
    import time

    t0 = time.perf_counter()
    corpus = reply_corpus()
    scenario_lines = [*phrases, *_name_sentences(names)]
    digest = hashlib.sha256("\x00".join(
        [_BUILD_VERSION, *corpus, "\x01", *scenario_lines]).encode()).hexdigest()[:16]
    with _lock:
        if digest in _cache:
            return _cache[digest]
        sentences = [normalise(s) for s in corpus] + [normalise(s) for s in scenario_lines]
        hand_written = len(corpus_lines())
        weights = ([CORPUS_WEIGHT] * hand_written + [RUBRIC_WEIGHT] * (len(corpus) - hand_written)
                   + [SCENARIO_WEIGHT] * len(scenario_lines))
        kept = [(s, w) for s, w in zip(sentences, weights, strict=True) if s]
        vocabulary = frozenset(w for s, _ in kept for w in s)
        known = dictionary_words()
        extra = tuple((w, pronounce(w, known)) for w in sorted(vocabulary) if w not in known)
        folder = paths.cache_dir() / "speech"
        folder.mkdir(parents=True, exist_ok=True)
        arpa_path = folder / f"adapt-{digest}.arpa"
        if not arpa_path.exists():
            tmp = arpa_path.with_suffix(".tmp")
            tmp.write_text(_arpa([s for s, _ in kept], [w for _, w in kept]), encoding="utf-8")
            tmp.replace(arpa_path)
        adaptation = Adaptation(digest, arpa_path, extra, vocabulary, len(kept),
                                time.perf_counter() - t0, whisper_prompt(names))
        _cache[digest] = adaptation
        return adaptation


def whisper_prompt(names: Sequence[str]) -> str:
    """The names as a prompt: "Dana Whitfield, Marcus." ("" without names)."""
    kept = [" ".join(n.split()) for n in names if n.strip()]
    return ", ".join(dict.fromkeys(kept)) + "." if kept else ""


def adaptation_for_scenario(scenario: Any) -> Adaptation:
    phrases, names = phrases_for_scenario(scenario)
    return build_adaptation(phrases, names)
