"""Wording analysis: the techniques and triggers a reply's words show, and the intent they add up to.

The rubric (phrases, weights, debrief texts) lives in phrases.yaml so trainers can edit it; this
module reads it, compiles its small pattern language to regular expressions once, and matches
replies against it. Matching runs on a normalised form of the reply (lower case, no punctuation,
contractions spelled out, digits as words) so typed replies and recognised speech read alike, and
every finding keeps the span of the original text that showed it.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simulator import yamldoc
from simulator.analysis import embedding, rubric_file
from simulator.analysis.model import CLASSES, Reading, WordingModel, features, load_model
from simulator.engine.judgement import Finding
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS, Intent

DEFAULT_PATH = Path(__file__).with_name("phrases.yaml")


class RubricError(ValueError):
    """phrases.yaml cannot be used; the message names the file and line."""


RUBRIC_VERSION = 1
# phrases.yaml is about 60 KB; a file far bigger is not a rubric, and reading it would hang the app.
MAX_RUBRIC_BYTES = 2_000_000
# A misspelt key ("paterns:") would otherwise be silently ignored, leaving a category that never matches.
_TOP_KEYS = ("version", "thresholds", "negation", "respell", "sounds_like", "macros", "techniques", "triggers")
_CATEGORY_KEYS = ("weight", "said", "rubric", "better", "patterns", "unless", "min_shared")


# --------------------------------------------------------------------------------------------------
# Normalisation


@dataclass(frozen=True)
class Token:
    """One normalised word (or "," / "." for a clause or sentence break) and where it came from."""

    word: str
    start: int
    end: int

    @property
    def is_break(self) -> bool:
        return self.word in {",", "."}


_RAW_TOKEN = re.compile(
    r"[0-9]+(?:[.,:][0-9]+)*|[^\W\d_]+(?:['’‘`][^\W\d_]+)*|[.!?;]+|[,:\u2013\u2014]|(?<=\s)-(?=\s)"
)

# Contractions written out, with or without the apostrophe (recognisers and phone keyboards drop it).
_WHOLE_WORDS: dict[str, tuple[str, ...]] = {
    "can't": ("can", "not"), "cant": ("can", "not"), "cannot": ("can", "not"),
    "won't": ("will", "not"), "wont": ("will", "not"), "shan't": ("shall", "not"),
    "ain't": ("is", "not"), "aint": ("is", "not"), "let's": ("let", "us"), "lets": ("let", "us"),
    "dont": ("do", "not"), "doesnt": ("does", "not"), "didnt": ("did", "not"),
    "isnt": ("is", "not"), "arent": ("are", "not"), "wasnt": ("was", "not"),
    "werent": ("were", "not"), "havent": ("have", "not"), "hasnt": ("has", "not"),
    "hadnt": ("had", "not"), "wouldnt": ("would", "not"), "couldnt": ("could", "not"),
    "shouldnt": ("should", "not"), "mustnt": ("must", "not"),
    "youre": ("you", "are"), "theyre": ("they", "are"), "im": ("i", "am"),
    "ive": ("i", "have"), "youve": ("you", "have"), "weve": ("we", "have"),
    "theyve": ("they", "have"), "youll": ("you", "will"), "theyll": ("they", "will"),
    "itll": ("it", "will"), "thatll": ("that", "will"), "youd": ("you", "would"),
    "theyd": ("they", "would"), "thats": ("that", "is"), "theres": ("there", "is"),
    "whats": ("what", "is"), "hes": ("he", "is"), "shes": ("she", "is"),
    "heres": ("here", "is"), "wheres": ("where", "is"), "hows": ("how", "is"),
    "whos": ("who", "is"), "its": ("it", "is"), "shouldve": ("should", "have"),
    "couldve": ("could", "have"), "wouldve": ("would", "have"), "mightve": ("might", "have"),
    "mustve": ("must", "have"), "gonna": ("going", "to"), "wanna": ("want", "to"),
    "gotta": ("got", "to"), "u": ("you",), "ur": ("your",), "ya": ("you",), "ok": ("okay",),
    "cos": ("because",), "coz": ("because",), "cuz": ("because",), "pls": ("please",),
    "plz": ("please",), "thx": ("thanks",), "apologize": ("apologise",),
    "nobodys": ("nobody", "is"), "everyones": ("everyone", "is"), "someones": ("someone", "is"),
    "everythings": ("everything", "is"), "nothings": ("nothing", "is"),
}
# Pronouns whose 's is "is"; on other words it is a possessive and is dropped.
_S_IS = {"it", "that", "there", "what", "he", "she", "who", "here", "where", "how", "this", "everyone",
         "everything", "nobody", "noone", "somebody", "someone", "nothing"}

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = frozenset([*_ONES, *_TENS[2:], "hundred", "thousand", "million", "half", "quarter"])


def _number_words(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        rest = _number_words(n % 100) if n % 100 else []
        return [_ONES[n // 100], "hundred", *rest]
    if n < 1_000_000:
        rest = _number_words(n % 1000) if n % 1000 else []
        return [*_number_words(n // 1000), "thousand", *rest]
    return [str(n)]


def _digits_to_words(raw: str) -> list[str]:
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", raw):
        return _number_words(int(raw.replace(",", "")))
    words: list[str] = []
    for part in re.split(r"[.,:]", raw):
        words.extend(_number_words(int(part)) if len(part) <= 6 else [part])
    return words


def _expand(raw: str) -> tuple[str, ...]:
    word = raw.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    if "'" not in word:
        return (word,)
    base, _, suffix = word.partition("'")
    suffix = suffix.replace("'", "")
    if suffix == "t" and base.endswith("n"):
        return (base[:-1], "not")
    if suffix == "s":
        return (base, "is") if base in _S_IS else (base,)
    endings = {"re": "are", "m": "am", "ve": "have", "ll": "will", "d": "would"}
    if suffix in endings:
        return (base, endings[suffix])
    return (base + suffix,)


# After a noun, "'s" is a possessive ("the customer's bag") unless what follows reads as the rest of
# a sentence ("medication's fine", "water's coming"): then it is "is", and phrases like
# "is completely fine" can see it.
_IS_NEXT = frozenset("""
fine okay ok all right alright ready done gone here there on coming going not completely totally perfectly
absolutely just only really still been being always never broken closed open free available allowed safe
sorted a an the no nothing in out up down over back empty full late early due
""".split())


def _possessive_is(raw: str, following: str) -> bool:
    word = raw.lower().replace("’", "'")
    return word.endswith("'s") and word[:-2] not in _S_IS and following.lower() in _IS_NEXT


def _raw_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    matches = list(_RAW_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        raw = m.group()
        if (k + 1 < len(matches) and raw[-2:-1] in ("'", "’") and raw[0].isalpha()
                and _possessive_is(raw, matches[k + 1].group())):
            base = raw[:-2].lower()
            tokens.append(Token(base, m.start(), m.end()))
            tokens.append(Token("is", m.start(), m.end()))
            continue
        if raw[0] in "0123456789":
            words: Iterable[str] = _digits_to_words(raw)
        elif raw[0] in ".!?;":
            words = (".",)
        elif not raw[0].isalpha():
            words = (",",)
        else:
            words = _expand(raw)
        for w in words:
            tokens.append(Token(w, m.start(), m.end()))
    return tokens


# --------------------------------------------------------------------------------------------------
# The rubric


@dataclass(frozen=True)
class CompiledPattern:
    source: str
    regex: re.Pattern[str]
    weight: float
    # False for "!" patterns, which count even after "not", "never"...
    negatable: bool
    line: int
    # Words every match contains: a reply without all of them is not searched at all.
    required: frozenset[str] = frozenset()


@dataclass
class Category:
    """One technique or trigger: its weight, debrief texts and compiled patterns."""

    name: str
    kind: str  # "technique" or "trigger"
    weight: float
    said: str
    rubric: str
    better: str
    patterns: list[CompiledPattern] = field(default_factory=list)
    unless: list[CompiledPattern] = field(default_factory=list)
    min_shared: int = 2

    @property
    def label(self) -> str:
        return TECHNIQUES.get(self.name) or TRIGGERS.get(self.name, self.name)


@dataclass(frozen=True)
class Hit:
    """A technique or trigger found: which words (`evidence`, verbatim from the reply) and how strongly."""

    name: str
    evidence: str
    weight: float
    start: int
    end: int
    pattern: str

    def finding(self) -> Finding:
        return Finding(name=self.name, evidence=self.evidence)


@dataclass(frozen=True)
class WordingResult:
    """What the words of one reply showed, and the intent and confidence they add up to."""

    text: str
    intent: Intent
    confidence: float
    techniques: tuple[Hit, ...]
    triggers: tuple[Hit, ...]
    technique_score: float
    trigger_score: float
    # The strongest single trigger; a trigger under the rubric's `strong_trigger` can be outweighed.
    strongest_trigger: float
    rubric: Rubric = field(repr=False, compare=False)
    # What the rules alone decided; `intent` differs from it only when the model overruled them.
    rule_intent: Intent = "neutral"
    # The statistical model's reading (None when it was not asked: a trigger was found, or no model).
    model: Reading | None = field(default=None, repr=False, compare=False)
    # When the model decided: the words, verbatim, that weighed most towards its intent.
    model_evidence: tuple[str, ...] = ()

    @property
    def decided_by_model(self) -> bool:
        return self.model is not None and self.intent != self.rule_intent

    def technique_findings(self) -> list[Finding]:
        return [h.finding() for h in self.techniques]

    def trigger_findings(self) -> list[Finding]:
        return [h.finding() for h in self.triggers]


# Every word element starts with its space: " calm down" on " i said calm down ". A leading
# literal lets the regex engine skip straight to candidate positions, which keeps matching fast.
_SEP = " "
_WORD = r"[a-z0-9]+"
# "?" after ")" is accepted (and ignored) because "(a|b)?" reads naturally as "optional".
_PATTERN_TOKEN = re.compile(r"\.\.\.\d*|\)\??|[{}(|$^]|<[a-z_]+>|[^\s{}()|<>$^?,]+")


class _PatternSyntaxError(ValueError):
    pass


class _Compiler:
    """Turns the rubric's pattern language into regular expressions over normalised text."""

    def __init__(self, macros: dict[str, list[str]], sounds_like: dict[tuple[str, ...], list[tuple[str, ...]]],
                 respell: list[tuple[tuple[str, ...], tuple[str, ...]]], negators: set[str]) -> None:
        self._macro_sources = macros
        self._macros: dict[str, str] = {}
        self._expanding: set[str] = set()
        self._sounds_like = sorted(sounds_like.items(), key=lambda kv: -len(kv[0]))
        self._respell = respell
        self._normal_cache: dict[tuple[str, ...], list[str]] = {}
        # A gap ("...") never steps over a negation, so "i ... understand" misses "i do not understand".
        stop = "|".join(sorted(re.escape(w) for w in negators if " " not in w))
        self._gap_word = rf"{_SEP}(?!(?:{stop})(?= )){_WORD}"

    def compile(self, source: str) -> tuple[str, frozenset[str]]:
        """The regex for a pattern, and the words any match must contain."""
        tokens = [")" if t == ")?" else t for t in _PATTERN_TOKEN.findall(source)]
        if not tokens:
            raise _PatternSyntaxError("empty pattern")
        pos, body, required = self._sequence(tokens, 0, set())
        if pos != len(tokens):
            raise _PatternSyntaxError(f"unexpected '{tokens[pos]}'")
        return body + "(?= )", frozenset(required)

    def _sequence(self, tokens: list[str], pos: int, stop: set[str]) -> tuple[int, str, set[str]]:
        parts: list[str] = []
        run: list[str] = []
        required: set[str] = set()

        def flush() -> None:
            if run:
                regex, words = self._literal(run)
                parts.append(regex)
                required.update(words)
                run.clear()

        while pos < len(tokens) and tokens[pos] not in stop:
            tok = tokens[pos]
            if tok in ("{", "("):
                flush()
                close = "}" if tok == "{" else ")"
                pos, alternatives = self._alternatives(tokens, pos + 1, close)
                group = "(?:" + "|".join(a for a, _ in alternatives) + ")"
                parts.append(group if tok == "{" else group + "?")
                if tok == "{":
                    required.update(set.intersection(*(w for _, w in alternatives)))
                continue
            if tok in ("}", ")", "|"):
                raise _PatternSyntaxError(f"'{tok}' without its opening bracket")
            if not (tok.startswith(("...", "<")) or tok in ("$", "^") or tok.endswith("*")):
                run.append(tok)
                pos += 1
                continue
            flush()
            if tok.startswith("..."):
                limit = int(tok[3:] or 4)
                parts.append(f"(?:{self._gap_word}){{0,{limit}}}")
            elif tok == "$":
                parts.append(r"(?: \.|(?= $))")
            elif tok == "^":
                parts.append(r"(?:^|(?<= \.))")
            elif tok.startswith("<"):
                parts.append(self._macro(tok[1:-1]))
            elif tok == "*":
                parts.append(_SEP + _WORD)
            elif tok.endswith("*"):
                stems = self._normal_words([tok[:-1]])
                if len(stems) != 1:
                    raise _PatternSyntaxError(f"'{tok}': a word ending in * must be a single word")
                parts.append(_SEP + re.escape(stems[0]) + r"[a-z0-9]*")
            pos += 1
        flush()
        if not parts:
            raise _PatternSyntaxError("an empty choice")
        return pos, "".join(parts), required

    def _alternatives(self, tokens: list[str], pos: int, close: str) -> tuple[int, list[tuple[str, set[str]]]]:
        alternatives: list[tuple[str, set[str]]] = []
        while True:
            pos, alt, words = self._sequence(tokens, pos, {"|", close, "}" if close == ")" else ")"})
            alternatives.append((alt, words))
            if pos >= len(tokens):
                raise _PatternSyntaxError(f"missing '{close}'")
            if tokens[pos] == "|":
                pos += 1
                continue
            if tokens[pos] != close:
                raise _PatternSyntaxError(f"'{tokens[pos]}' where '{close}' was expected")
            return pos + 1, alternatives

    def _normal_words(self, raw: list[str]) -> list[str]:
        key = tuple(raw)
        if key not in self._normal_cache:
            self._normal_cache[key] = self._normalise_words(raw)
        return self._normal_cache[key]

    def _normalise_words(self, raw: list[str]) -> list[str]:
        words: list[str] = []
        for r in raw:
            if r == ",":
                words.append(",")
                continue
            for tok in _raw_tokens(r):
                words.append(tok.word)
        return [t.word for t in _respell([Token(w, 0, 0) for w in words], self._respell)]

    def _literal(self, raw: list[str]) -> tuple[str, set[str]]:
        words = self._normal_words(raw)
        out: list[str] = []
        required: set[str] = set()
        i = 0
        while i < len(words):
            for key, alts in self._sounds_like:
                if tuple(words[i:i + len(key)]) == key:
                    forms = [key, *alts]
                    out.append("(?:" + "|".join(self._words(f) for f in forms) + ")")
                    i += len(key)
                    break
            else:
                if words[i] != ",":
                    out.append(self._words((words[i],)))
                    required.add(words[i])
                i += 1
        return "".join(out), required

    @staticmethod
    def _words(words: Iterable[str]) -> str:
        return "".join(_SEP + re.escape(w) for w in words if w != ",")

    def _macro(self, name: str) -> str:
        if name == "number":
            alt = "|".join(sorted(NUMBER_WORDS | {"a couple of", "a few", "a"}, key=len, reverse=True))
            return f"(?:{_SEP}(?:{alt}))+"
        if name in self._macros:
            return self._macros[name]
        if name not in self._macro_sources:
            raise _PatternSyntaxError(f"unknown macro <{name}> (define it under macros:)")
        if name in self._expanding:
            raise _PatternSyntaxError(f"macro <{name}> refers to itself")
        self._expanding.add(name)
        try:
            alts = [self.compile(str(p))[0][: -len("(?= )")] for p in self._macro_sources[name]]
        finally:
            self._expanding.discard(name)
        self._macros[name] = "(?:" + "|".join(alts) + ")"
        return self._macros[name]


def _respell(tokens: list[Token], rules: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> list[Token]:
    present = {t.word for t in tokens}
    for src, dst in rules:
        n = len(src)
        if src[0] not in present:
            continue
        present.update(dst)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            if tokens[i].word == src[0] and tuple(t.word for t in tokens[i:i + n]) == src:
                start, end = tokens[i].start, tokens[i + n - 1].end
                out.extend(Token(w, start, end) for w in dst)
                i += n
            else:
                out.append(tokens[i])
                i += 1
        tokens = out
    return tokens


# Replies no real pattern matches: nothing, one made-up word, a few of them.
_ANY_REPLY = (" ", " qzxv ", " qzxv wkpj . ", " qzxv wkpj yfmb zzrt ")


class Rubric:
    """The loaded phrases.yaml: thresholds, normalisation rules and one Category per technique/trigger."""

    def __init__(self, data: dict[str, Any], path: Path, text: str, marks: rubric_file.Marks | None = None) -> None:
        self.path = path
        self._marks = marks
        # Only the shipped rubric is judged with the shipped model (it was trained on its findings).
        self._is_default = path.resolve() == DEFAULT_PATH.resolve()
        self._text = text
        self._lines = text.splitlines()
        if not isinstance(data, dict):
            raise self._error(1, "the file must be a mapping with techniques: and triggers:")
        self._unknown_keys(data, _TOP_KEYS, "the top level", 0)
        version = data.get("version", RUBRIC_VERSION)
        if version != RUBRIC_VERSION or isinstance(version, bool):
            raise self._error(self._find("version:"), f"version {version!r} is not one this simulator reads "
                              f"(it reads version {RUBRIC_VERSION})")
        thresholds = self._mapping(data, "thresholds")
        self.deescalate_threshold = self._number(thresholds, "deescalate", 0.9, "thresholds")
        self.strong_trigger = self._number(thresholds, "strong_trigger", 0.8, "thresholds")
        self.outweigh = self._number(thresholds, "outweigh", 2.0, "thresholds")
        # How sure the statistical model must be to overrule the rules when they found no trigger
        # (above 1: never).
        self.model_override = self._number(thresholds, "model_override", 0.6, "thresholds")
        # How sure the model must be that one sentence of a longer reply inflames, for the reply to
        # escalate on it ("I'm sorry you waited. Still, back off."): people remember the worst thing said.
        self.sentence_escalate = self._number(thresholds, "sentence_escalate", 0.7, "thresholds")
        self.model_escalate = self._number(thresholds, "model_escalate", self.model_override, "thresholds")
        negation = self._mapping(data, "negation")
        self.negation_window = int(self._number(negation, "window", 3, "negation"))
        self.respell_rules = self._respell_rules(data.get("respell") or [])
        self.negators = {self._one_word(w) for w in self._words(negation, "words", "negation")}
        self.clause_words = set(self._words(negation, "clause_words", "negation"))
        self.transparent = set(self._words(negation, "transparent", "negation"))
        sounds_like = self._sounds_like(data.get("sounds_like") or {})
        macros = data.get("macros") or {}
        if not isinstance(macros, dict) or not all(isinstance(v, list) for v in macros.values()):
            raise self._error(self._find("macros:"), "macros: must map each name to a list of phrases")
        self._compiler = _Compiler(macros, sounds_like, self.respell_rules, self.negators)
        self.categories: dict[str, Category] = {}
        for kind, section, known in (("technique", "techniques", TECHNIQUES), ("trigger", "triggers", TRIGGERS)):
            entries = self._mapping(data, section)
            for name, entry in entries.items():
                if name not in known:
                    raise self._error(self._find(f"{name}:"), f"'{name}' is not a known {kind}; "
                                      f"use one of: {', '.join(known)}")
                self.categories[name] = self._category(kind, str(name), entry)

    # -- reading the file --------------------------------------------------------------------------
    def _error(self, line: int, message: str) -> RubricError:
        return RubricError(f"{self.path}:{line}: {message}")

    def _find(self, needle: str, after: int = 0) -> int:
        for i in range(after, len(self._lines)):
            if needle in self._lines[i]:
                return i + 1
        for i, line in enumerate(self._lines):
            if needle in line:
                return i + 1
        return max(after, 1)

    def _unknown_keys(self, data: dict[Any, Any], allowed: tuple[str, ...], where: str, after: int) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                raise self._error(self._find(f"{key}:", after), f"unknown field '{key}' in {where}"
                                  + (f"; did you mean '{hint[0]}'?" if hint else f" (allowed: {', '.join(allowed)})"))

    def _mapping(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            if key in ("techniques", "triggers"):
                raise self._error(1, f"missing the '{key}:' section")
            return {}
        if not isinstance(value, dict):
            raise self._error(self._find(f"{key}:"), f"'{key}:' must be a mapping")
        return value

    def _number(self, data: dict[str, Any], key: str, default: float, where: str) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._error(self._find(f"{key}:", self._find(f"{where}:")), f"{where}.{key} must be a number")
        return float(value)

    def _words(self, data: dict[str, Any], key: str, where: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._error(self._find(f"{key}:", self._find(f"{where}:")), f"{where}.{key} must be a list of words")
        return [v.lower() for v in value]

    def _one_word(self, phrase: str) -> str:
        # Multi-word negators ("no one") are respelled to one word before matching.
        words = [t.word for t in _respell(_raw_tokens(phrase), self.respell_rules)]
        return " ".join(words)

    def _respell_rules(self, value: Any) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        rules = []
        line = self._find("respell:")
        if not isinstance(value, list):
            raise self._error(line, "respell: must be a list of [heard, meant] pairs")
        for pair in value:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise self._error(self._find(str(pair)[:20], line), f"respell entry {pair!r} must be [heard, meant]")
            src = tuple(t.word for t in _raw_tokens(pair[0]))
            dst = tuple(t.word for t in _raw_tokens(pair[1]))
            if src and src != dst:
                rules.append((src, dst))
        return rules

    def _sounds_like(self, value: Any) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
        if not isinstance(value, dict):
            raise self._error(self._find("sounds_like:"), "sounds_like: must map words to lists of heard forms")
        out: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for key, forms in value.items():
            if not isinstance(forms, list):
                raise self._error(self._find(f"{key}"), f"sounds_like '{key}' must be a list")
            out[tuple(t.word for t in _raw_tokens(str(key)))] = [
                tuple(t.word for t in _raw_tokens(str(f))) for f in forms]
        return out

    def _category(self, kind: str, name: str, entry: Any) -> Category:
        line = self._find(f"  {name}:")
        if not isinstance(entry, dict):
            raise self._error(line, f"{name}: must be a mapping with weight, said, rubric and patterns")
        self._unknown_keys(entry, _CATEGORY_KEYS, name, line - 1)
        for key in ("said", "rubric") + (("better",) if kind == "trigger" else ()):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise self._error(line, f"{name}: needs a '{key}:' text")
        weight = self._number(entry, "weight", 1.0, name)
        category = Category(name=name, kind=kind, weight=weight, said=entry["said"].strip(),
                            rubric=" ".join(entry["rubric"].split()), better=str(entry.get("better", "")).strip(),
                            min_shared=int(self._number(entry, "min_shared", 2, name)))
        for key in ("patterns", "unless"):
            items = entry.get(key) or []
            if not isinstance(items, list):
                raise self._error(line, f"{name}.{key} must be a list of patterns")
            compiled = [self._pattern(name, item, weight, line, (f"{kind}s", name, key, i))
                        for i, item in enumerate(items)]
            seen: dict[str, int] = {}
            for cp in compiled:
                written = ("!" if not cp.negatable else "") + cp.source
                if written in seen:
                    raise self._error(cp.line, f"{name}: pattern '{written}' is listed twice in {key} "
                                      f"(first on line {seen[written]}); delete one")
                seen[written] = cp.line
            setattr(category, key, compiled)
        return category

    def _pattern(self, name: str, item: Any, weight: float, section_line: int,
                 where: rubric_file.Path_ = ()) -> CompiledPattern:
        if isinstance(item, dict):
            source, weight = item.get("pattern"), item.get("weight", weight)
            if not isinstance(weight, int | float) or isinstance(weight, bool):
                raise self._error(self._find(str(source), section_line), f"{name}: weight must be a number")
        else:
            source = item
        if not isinstance(source, str) or not source.strip():
            raise self._error(self._find(str(source), section_line),
                              f"{name}: a pattern must be text (quote patterns that start with {{, ! or *)")
        line = self._marks.line(where) if self._marks is not None and where else self._find(source.strip(),
                                                                                            section_line - 1)
        text = source.strip()
        negatable = not text.startswith("!")
        text = text.lstrip("!").strip()
        try:
            body, required = self._compiler.compile(text)
            regex = re.compile(body)
        except (_PatternSyntaxError, re.error) as exc:
            raise self._error(line, f"{name}: pattern '{source}': {exc}") from None
        # A pattern that any reply matches (all of it optional, or only wildcards) would turn every
        # reply into this technique or trigger.
        if any(regex.search(probe) for probe in _ANY_REPLY):
            raise self._error(line, f"{name}: pattern '{source}' matches any reply (every part of it is "
                              "optional or a wildcard); give it at least one word that must be said")
        return CompiledPattern(source=text, regex=regex, weight=float(weight), negatable=negatable,
                               line=line, required=required)

    # -- analysis ----------------------------------------------------------------------------------
    def normalise(self, text: str) -> list[Token]:
        """The reply as normalised tokens, each knowing its span in `text`."""
        tokens = _respell(_raw_tokens(text), self.respell_rules)
        # "ill" is almost always "I'll" with the apostrophe lost when it starts a clause.
        for i, tok in enumerate(tokens):
            if tok.word == "ill" and (i == 0 or tokens[i - 1].is_break or tokens[i - 1].word in self.clause_words):
                tokens[i:i + 1] = [Token("i", tok.start, tok.end), Token("will", tok.start, tok.end)]
        return tokens

    def matches(self, text: str, names: Iterable[str]) -> list[Hit]:
        """Every match in `text` of the named categories (`analyse` keeps each one's best only)."""
        analysis = _Analysis(self, text)
        return [hit for name in names if name in self.categories
                for hit in analysis._category_hits(self.categories[name])]

    def analyse(self, text: str, customer_line: str = "", customer_name: str = "",
                model: WordingModel | None | bool = True) -> WordingResult:
        """Judge one reply. `model`: True for the shipped statistical model, False for the rules alone."""
        chosen = (load_model() if self._is_default else None) if model is True \
            else (model or None)
        return _Analysis(self, text).run(customer_line, customer_name, chosen)


class _Analysis:
    """One reply being matched against the rubric."""

    def __init__(self, rubric: Rubric, text: str) -> None:
        self.rubric = rubric
        self.text = text
        self.tokens = rubric.normalise(text)
        # Patterns read across commas (recognised speech has none), so the text they run on leaves
        # them out; `kept` maps each word of it back to its token.
        # Hesitations ("um", "erm") and a word said twice in a false start ("get get out") are left out
        # too, so spoken replies match the phrases typed ones do.
        self.kept: list[int] = []
        for i, t in enumerate(self.tokens):
            if t.word == "," or t.word in _HESITATIONS:
                continue
            if self.kept and self.tokens[self.kept[-1]].word == t.word and t.word not in _REPEATABLE:
                continue
            self.kept.append(i)
        self.joined = " " + " ".join(self.tokens[i].word for i in self.kept) + " "
        self.words = {t.word for t in self.tokens}
        self.starts: list[int] = []
        pos = 1
        for i in self.kept:
            self.starts.append(pos)
            pos += len(self.tokens[i].word) + 1

    def _span(self, m: re.Match[str]) -> tuple[int, int] | None:
        first = bisect.bisect_right(self.starts, m.start() + 1) - 1
        last = bisect.bisect_right(self.starts, m.end() - 1) - 1
        while last >= first and self.tokens[self.kept[last]].is_break:
            last -= 1
        if last < first:
            return None
        return self.kept[first], self.kept[last]

    def _negated(self, first: int) -> bool:
        r = self.rubric
        # A phrase that starts with its own subject ("you are wrong", "i am sorry") is a new clause:
        # a negation before it belongs to the previous one ("that isn't on, I'm sorry") unless a
        # verb of saying or thinking carries it over ("I'm not saying you're wrong").
        own_subject = self.tokens[first].word in _SUBJECTS
        carried = False
        seen = 0
        i = first - 1
        while i >= 0 and seen < r.negation_window:
            word = self.tokens[i].word
            if self.tokens[i].is_break or word in r.clause_words:
                return False
            if word in r.negators:
                return carried or not own_subject
            carried = carried or word in _REPORTING
            if word not in r.transparent:
                seen += 1
            i -= 1
        return False

    def _evidence(self, first: int, last: int) -> tuple[str, int, int]:
        start, end = self.tokens[first].start, self.tokens[last].end
        return self.text[start:end], start, end

    def _matches(self, patterns: list[CompiledPattern], negation: bool) -> list[tuple[int, int, CompiledPattern]]:
        found = []
        words = self.words
        for cp in patterns:
            if not cp.required <= words:
                continue
            for m in cp.regex.finditer(self.joined):
                span = self._span(m)
                if span is None:
                    continue
                if negation and cp.negatable and self._negated(span[0]):
                    continue
                found.append((span[0], span[1], cp))
        return found

    def _category_hits(self, category: Category) -> list[Hit]:
        matches = self._matches(category.patterns, negation=True)
        if not matches:
            return []
        if category.unless:
            blocked = self._matches(category.unless, negation=False)
            matches = [m for m in matches if not any(b0 <= m[1] and m[0] <= b1 for b0, b1, _ in blocked)]
        hits = []
        for first, last, cp in matches:
            evidence, start, end = self._evidence(first, last)
            hits.append(Hit(category.name, evidence, cp.weight, start, end, cp.source))
        return hits

    def run(self, customer_line: str, customer_name: str, model: WordingModel | None = None,
            decide_by_model: bool = True) -> WordingResult:
        r = self.rubric
        techniques: list[Hit] = []
        triggers: list[Hit] = []
        for category in r.categories.values():
            hits = self._category_hits(category)
            if category.name == "reflect" and customer_line:
                hits.extend(self._reflect_overlap(customer_line, category))
            if category.name == "use_name" and customer_name:
                hits.extend(self._name(customer_name, category))
            best = _best(hits)
            if best is not None:
                (techniques if category.kind == "technique" else triggers).append(best)
        vectors = self._vectors(model)
        if model is not None and vectors is not None:
            techniques.extend(self._head_hits(model, vectors[1], {h.name for h in techniques}, triggers))
        techniques.sort(key=lambda h: h.start)
        triggers.sort(key=lambda h: h.start)
        # A limit with a choice is not a bare order ("You can't sit here, but you can wait inside").
        if any(h.name == "set_boundary" for h in techniques):
            triggers = [h for h in triggers if h.name != "command"]
        # Their words said back in the same sentence as a trigger are not listening but ammunition:
        # "I don't care what your name is" does not reflect "what's your name?".
        techniques = [h for h in techniques if not (h.pattern == "(their own words)" and
                                                   any(self._same_sentence(h, g) for g in triggers))]
        t_score = sum(h.weight for h in techniques)
        g_score = sum(h.weight for h in triggers)
        strongest = max((h.weight for h in triggers), default=0.0)
        rule_intent, confidence = _decide(r, t_score, g_score, strongest, len(self.tokens))
        intent: Intent = rule_intent
        reading: Reading | None = None
        quoted: tuple[str, ...] = ()
        # A trigger a rule found always stands; otherwise the model may overrule the rules when sure.
        if model is not None and not triggers and decide_by_model:
            reading = model.read(self.features(techniques), None if vectors is None else vectors[0])
            chosen = blend(rule_intent, reading.probabilities, r.model_override, r.model_escalate)
            if chosen != rule_intent:
                intent = chosen
                confidence = _clamp(reading.probabilities[chosen])
                quoted = self._quote(reading, chosen, model, vectors)
            if intent != "escalate" and vectors is not None and len(vectors[2]) > 1:
                worst = self._worst_sentence(model, vectors[1], techniques)
                if worst is not None and worst[0] >= r.sentence_escalate:
                    reading = model.read(self.features(techniques), vectors[0])
                    intent, confidence, quoted = "escalate", _clamp(worst[0]), (worst[1],)
        return WordingResult(self.text, intent, confidence, tuple(techniques), tuple(triggers),
                             round(t_score, 3), round(g_score, 3), strongest, r, rule_intent, reading, quoted)

    def _same_sentence(self, a: Hit, b: Hit) -> bool:
        lo, hi = min(a.start, b.start), max(a.end, b.end)
        return not any(t.word == "." and lo <= t.start < hi for t in self.tokens)

    def features(self, techniques: Iterable[Hit], triggers: Iterable[Hit] = ()) -> list[Any]:
        return features([t.word for t in self.tokens], "?" in self.text,
                        [h.name for h in techniques], [h.name for h in triggers])

    # -- meaning: sentence vectors -----------------------------------------------------------------
    def sentences(self) -> list[tuple[int, int]]:
        """(first, last) token of each sentence; "but" starts a new one, so a mixed reply splits in two."""
        spans: list[tuple[int, int]] = []
        first = None
        for i, t in enumerate(self.tokens):
            if t.word == "." or (t.word in _TURNS and first is not None):
                if first is not None:
                    spans.append((first, i - 1))
                first = i if t.word in _TURNS else None
                continue
            if first is None and t.word != ",":
                first = i
        if first is not None:
            spans.append((first, len(self.tokens) - 1))
        return [(a, b) for a, b in spans if any(not self.tokens[k].is_break for k in range(a, b + 1))]

    def _vectors(self, model: WordingModel | None) -> tuple[Any, Any, list[tuple[int, int]]] | None:
        """The reply's vector, its sentences' vectors and their spans; None without a model that uses them."""
        if model is None or not model.uses_vectors:
            return None
        enc = embedding.encoder()
        if enc is None or not self.tokens:
            return None
        spans = self.sentences()
        texts = [self.text] + [self._evidence(a, b)[0] for a, b in spans]
        vecs = enc.embed_many(texts)
        return vecs[0], (vecs[1:], spans), spans

    def _head_hits(self, model: WordingModel, sentences: tuple[Any, list[tuple[int, int]]],
                   found: set[str], triggers: list[Hit]) -> list[Hit]:
        """Techniques the sentence vectors show that no phrase on the lists did; the sentence is the evidence."""
        vecs, spans = sentences
        hits: list[Hit] = []
        if not spans:
            return hits
        for head in model.heads:
            category = self.rubric.categories.get(head.name)
            if category is None or head.name in found:
                continue
            probs = head.probabilities(vecs)
            best = int(probs.argmax())
            if probs[best] < head.threshold:
                continue
            first, last = spans[best]
            if not self._head_form(head.name, first, last):
                continue
            evidence, start, end = self._evidence(first, last)
            # A sentence that holds a trigger is not also the kindness: "I hear you, but get out".
            if any(g.start < end and start < g.end for g in triggers):
                continue
            hits.append(Hit(head.name, evidence.strip(" ,.;:!?-"), category.weight, start, end,
                            f"(reads like {category.label.lower()}: {probs[best]:.2f})"))
        return hits

    def _worst_sentence(self, model: WordingModel, sentences: tuple[Any, list[tuple[int, int]]],
                        techniques: list[Hit]) -> tuple[float, str] | None:
        """The sentence the model reads as most inflaming, read on its own, and how sure it is."""
        vecs, spans = sentences
        worst: tuple[float, str] | None = None
        for k, (first, last) in enumerate(spans):
            inside = [h.name for h in techniques if self.tokens[first].start <= h.start < self.tokens[last].end + 1]
            words = [t.word for t in self.tokens[first:last + 1]]
            question = "?" in self.text[self.tokens[first].start:self.tokens[last].end + 1]
            p = model.read(features(words, question, inside, []), vecs[k], explain=False).probabilities["escalate"]
            if worst is None or p > worst[0]:
                worst = (p, self._evidence(first, last)[0].strip(" ,.;:!?-"))
        return worst

    def _head_form(self, name: str, first: int, last: int) -> bool:
        """Whether a sentence has the shape the technique needs, whatever its vector says.

        Saying back what happened is said to them ("you", "your"); an open question opens with a
        question word or asks them to tell it ("what...", "talk me through"), so "can I have your
        order number?" stays a request for details.
        """
        words = [t.word for t in self.tokens[first:last + 1] if not t.is_break]
        while words and words[0] in _FILLERS:
            words = words[1:]
        if not words:
            return False
        if name == "reflect":
            return any(w in _SECOND_PERSON for w in words)
        if name == "open_question":
            return words[0] in _QUESTION_WORDS or bool(_TELL_ME & set(zip(words, words[1:], strict=False)))
        return True

    def _quote(self, reading: Reading, intent: str, model: WordingModel | None = None,
               vectors: tuple[Any, Any, list[tuple[int, int]]] | None = None) -> tuple[str, ...]:
        quoted: list[str] = []
        covered: list[tuple[int, int]] = []
        if model is not None and vectors is not None and model.dense is not None and len(vectors[2]) > 1:
            # The sentence whose meaning leans most to the intent comes first: "the clause that showed it".
            scores = model.sentence_scores(vectors[1][0])
            c = CLASSES.index(intent)
            margin = scores[:, c] - np.delete(scores, c, axis=1).max(axis=1)
            first, last = vectors[2][int(margin.argmax())]
            quoted.append(self._evidence(first, last)[0].strip(" ,.;:!?-"))
            covered.append((first, last))
        for f in reading.leaning.get(intent, ()):
            if any(a <= f.last and f.first <= b for a, b in covered):
                continue
            covered.append((f.first, f.last))
            quoted.append(self._evidence(f.first, f.last)[0])
            if len(quoted) == 3:
                break
        return tuple(quoted)

    # -- reflecting: shared content words with the customer's line ------------------------------
    def _reflect_overlap(self, customer_line: str, category: Category) -> list[Hit]:
        # Said to them ("you", "your") two shared words do; said about the situation, it takes three,
        # so "a refund needs a receipt" is not mistaken for reflecting "I lost my receipt, I want a refund".
        needed = category.min_shared + (0 if any(t.word in _SECOND_PERSON for t in self.tokens) else 1)
        theirs = {_stem(t.word) for t in self.rubric.normalise(customer_line) if _is_content(t.word)}
        shared = [i for i, t in enumerate(self.tokens) if _is_content(t.word) and _stem(t.word) in theirs]
        # Their words said back close together ("you've been waiting forty minutes") reflect them;
        # the same words scattered over a long reply are more likely coincidence.
        best: tuple[int, int, int] | None = None  # (shared words, first, last)
        for k, start_at in enumerate(shared):
            window = [i for i in shared[k:] if i - start_at <= _REFLECT_WINDOW]
            enough = len({_stem(self.tokens[i].word) for i in window}) >= needed
            if enough and (best is None or len(window) > best[0]):
                best = (len(window), start_at, window[-1])
        if best is None:
            return []
        _, first, last = best
        for back in (1, 2):
            if first - back >= 0 and self.tokens[first - back].word in _SECOND_PERSON:
                first -= back
                break
        evidence, start, end = self._evidence(first, last)
        return [Hit(category.name, evidence, category.weight, start, end, "(their own words)")]

    # -- using the customer's name, tolerant of small recognition errors ---------------------------
    def _name(self, customer_name: str, category: Category) -> list[Hit]:
        parts = [p for p in (t.word for t in _raw_tokens(customer_name)) if p not in _TITLES and len(p) >= 2]
        words = [t.word for t in self.tokens]
        hits = []
        for i in range(len(words)):
            for n in (1, 2):
                if i + n > len(words) or any(self.tokens[j].is_break for j in range(i, i + n)):
                    continue
                heard = "".join(words[i:i + n])
                for part in parts:
                    if not _sounds_like_name(heard, part):
                        continue
                    after_title = i > 0 and words[i - 1] in _TITLES
                    if part in _COMMON_WORDS and not after_title and not self._capitalised(i):
                        continue
                    first = i - 1 if after_title else i
                    evidence, start, end = self._evidence(first, i + n - 1)
                    hits.append(Hit(category.name, evidence, category.weight, start, end, "(their name)"))
        return hits

    def _capitalised(self, i: int) -> bool:
        tok = self.tokens[i]
        return self.text[tok.start:tok.start + 1].isupper() and tok.start > 0


_SECOND_PERSON = {"you", "your", "yours", "yourself"}
_HESITATIONS = frozenset({"um", "uh", "erm", "er", "hmm", "uhm", "umm", "mm", "ah", "eh", "uhh", "ehm"})
# Words said twice on purpose ("no no no", "very very sorry", "." after ".").
_REPEATABLE = frozenset({"no", "very", "so", "really", "much", "please", "sorry", "."})
# Words that turn a reply round: what follows is read as its own sentence.
_TURNS = {"but", "though", "although", "however", "still"}
_FILLERS = {"so", "okay", "right", "well", "um", "uh", "erm", "er", "and", "look", "like", "hmm", "then", "now", "just"}
_QUESTION_WORDS = {"what", "how", "why", "where", "when", "which", "who"}
_TELL_ME = {("tell", "me"), ("talk", "me"), ("walk", "me"), ("help", "me"), ("explain", "what")}
_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "that", "this", "there"}
_REPORTING = {"saying", "say", "said", "think", "thinking", "thought", "mean", "meant", "suggesting",
              "suggest", "believe", "telling", "tell", "claiming", "accusing", "calling", "implying",
              "pretend", "pretending", "sure", "that", "suppose", "guess", "reckon", "feel", "know"}
_REFLECT_WINDOW = 7
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mister", "missus", "sir", "madam", "mx"}
_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves okay yes yeah please sorry mate well right say said get got go going want
need know think like really thing things one also still even ever every never nobody noone nothing
anything something everyone anyone someone us let make made way lot much many back again
""".split())
_COMMON_WORDS = _STOPWORDS | {"will", "grace", "hope", "mark", "rose", "bill", "pat", "sue", "joy", "faith",
                              "dawn", "rob", "jack", "frank", "may", "june", "ray", "guy", "rich", "grant",
                              "penny", "summer", "brown", "white", "green", "young", "long", "price", "hill",
                              "wood", "ward", "bell", "mills", "carter", "turner", "lee", "page", "cook"}


def _is_content(word: str) -> bool:
    # Numbers alone are not a reflection: "fourteen ninety-nine" answers a price, it does not echo it.
    return len(word) > 2 and word not in _STOPWORDS and word not in NUMBER_WORDS and word not in {",", "."}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _sounds_like_name(heard: str, name: str) -> bool:
    if heard == name:
        return True
    if len(name) < 4 or abs(len(heard) - len(name)) > 2 or heard[0] != name[0]:
        return False
    return difflib.SequenceMatcher(None, heard, name).ratio() >= 0.8


def _best(hits: list[Hit]) -> Hit | None:
    if not hits:
        return None
    return max(hits, key=lambda h: (h.weight, h.end - h.start, -h.start))


def _decide(r: Rubric, t: float, g: float, strongest: float, n_tokens: int) -> tuple[Intent, float]:
    """The intent the scores add up to (rules documented at the top of phrases.yaml), and how sure."""
    if strongest >= r.strong_trigger:
        confidence = 0.62 + 0.3 * min(1.0, g / 1.5) - (0.08 if t > 0 else 0.0)
        return "escalate", _clamp(confidence)
    if g > 0:
        if t >= r.outweigh * g:
            return "neutral", 0.55
        return "escalate", _clamp(0.5 + 0.2 * min(1.0, g) - 0.1 * min(1.0, t))
    if t >= r.deescalate_threshold:
        return "deescalate", _clamp(0.62 + 0.15 * (t - r.deescalate_threshold))
    if t > 0:
        return "neutral", _clamp(0.7 - 0.25 * t / r.deescalate_threshold)
    # Nothing found: a short procedural line is clearly neutral; a long one may hold something missed.
    return "neutral", 0.8 if n_tokens <= 12 else 0.68


def blend(rule_intent: str, probabilities: dict[str, float], override: float,
          escalate_override: float | None = None) -> Intent:
    """The intent when the rules found no trigger: theirs, unless the model is `override` sure of another.

    Calling a reply escalating without a listed trigger takes `escalate_override` (when given): a
    false "escalate" on kind words costs a trainee more than a missed one. Techniques the rules
    found are quoted evidence; overruling them takes the model being surer still, halfway to certain.
    """
    best = max(probabilities, key=probabilities.__getitem__)
    needed = escalate_override if best == "escalate" and escalate_override is not None else override
    if rule_intent == "deescalate":
        needed += (1.0 - needed) / 2
    if best != rule_intent and probabilities[best] >= needed:
        return best  # type: ignore[return-value]
    return rule_intent  # type: ignore[return-value]


def _clamp(x: float) -> float:
    return round(max(0.05, min(0.97, x)), 3)


# --------------------------------------------------------------------------------------------------
# Loading


def _read(path: Path) -> Rubric:
    try:
        size = path.stat().st_size
        if size > MAX_RUBRIC_BYTES:
            raise RubricError(f"{path}:0: the file is {size // 1024} KB; a rubric is never more than "
                              f"{MAX_RUBRIC_BYTES // 1_000_000} MB, so this is probably not phrases.yaml")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise RubricError(f"{path}:0: this is a folder, not a rubric file") from None
    except OSError as exc:
        raise RubricError(f"{path}:0: cannot read the rubric: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RubricError(f"{path}:{line}: the rubric is not UTF-8 text: save it as UTF-8 in your editor") from None
    if not text.strip():
        raise RubricError(f"{path}:0: the file is empty; restore phrases.yaml from the simulator's installation")
    try:
        # Composed once, by libyaml where the text cannot nest too deeply (it crashes on absurd
        # nesting); alias bombs and absurd numbers are refused before anything is built from it.
        loader = yamldoc.loader_for(text, rubric_file.MAX_DEPTH)
        try:
            root = yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            if loader is yaml.SafeLoader:
                raise
            # Again with the pure-Python parser, whose errors are in the words trainers know.
            loader = yaml.SafeLoader
            root = yaml.compose(text, Loader=loader)
        refused = yamldoc.measure(root, text, loader, "rubric", "weights and thresholds",
                                  rubric_file.MAX_DEPTH)
        if refused is not None:
            raise RubricError(f"{path}:{refused[0]}: {refused[1]}")
        marks = rubric_file.Marks(root)
        data = yaml.constructor.SafeConstructor().construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise RubricError(f"{path}:{line}: not valid YAML: {exc.problem or exc.context} "
                          "(check indentation and quotes)") from None
    except yaml.reader.ReaderError as exc:
        # A control character or NUL: a binary file, or text pasted from somewhere odd.
        line = text[: exc.position].count("\n") + 1
        raise RubricError(f"{path}:{line}: not valid YAML: it holds a character that is not text "
                          f"(#x{exc.character:04x}); is this a binary file?") from None
    except yaml.YAMLError as exc:
        raise RubricError(f"{path}:0: not valid YAML: {exc}") from None
    except RecursionError:
        raise RubricError(f"{path}:0: the YAML is nested far too deeply; a rubric never needs that") from None
    if data is None:
        raise RubricError(f"{path}:0: the file holds only comments; restore phrases.yaml from the "
                          "simulator's installation")
    found = rubric_file.problems(data, marks)
    if found:
        raise RubricError("\n".join(f"{path}:{line}: {message}" for line, message in found[:10]))
    return Rubric(data, path, text, marks)


@functools.cache
def _default_rubric() -> Rubric:
    return _read(DEFAULT_PATH)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The rubric in `path`, or the shipped phrases.yaml (read once and cached). Raises RubricError."""
    if path is None or Path(path).resolve() == DEFAULT_PATH.resolve():
        return _default_rubric()
    return _read(Path(path))


def reload_rubric(path: str | Path | None = None) -> Rubric:
    """Read a rubric again from disk, after a trainer edited it.

    For the shipped phrases.yaml the cached copy is replaced only once the new file has loaded:
    when it is broken this raises RubricError and load_rubric() keeps returning the old rubric.
    """
    target = Path(path) if path is not None else DEFAULT_PATH
    rubric = _read(target)
    if target.resolve() == DEFAULT_PATH.resolve():
        _default_rubric.cache_clear()
    return rubric


def analyse(text: str, customer_line: str = "", customer_name: str = "",
            rubric: Rubric | None = None, model: WordingModel | None | bool = True) -> WordingResult:
    """Judge the words of one reply against the rubric (the shipped one unless given) and the model.

    The shipped statistical model is consulted only with the shipped rubric; pass `model=False`
    for the rules alone, or a `WordingModel` to use that one.
    """
    return (rubric or load_rubric()).analyse(text, customer_line, customer_name, model)


def normalise_text(text: str) -> str:
    """The reply as the rubric's patterns see it: "You're WRONG!" -> "you are wrong ."."""
    return " ".join(t.word for t in load_rubric().normalise(text))
