"""The loaded rubric (phrases.yaml): thresholds, normalisation rules and the compiled patterns of every
technique and trigger; reading it from disk with file:line errors, and the shipped copy cached."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulator import paths, yamldoc
from simulator.analysis import rubric_file
from simulator.analysis.normalise import Token, raw_tokens, respell
from simulator.analysis.patterns import CompiledPattern, Compiler, PatternSyntaxError
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS

DEFAULT_PATH = paths.PHRASES_FILE


class RubricError(ValueError):
    """phrases.yaml cannot be used; the message names the file and line."""


RUBRIC_VERSION = 1
# phrases.yaml is about 60 KB; a file far bigger is not a rubric, and reading it would hang the app.
MAX_RUBRIC_BYTES = 2_000_000
# A misspelt key ("paterns:") would otherwise be silently ignored, leaving a category that never matches.
_TOP_KEYS = ("version", "thresholds", "negation", "respell", "sounds_like", "macros", "techniques", "triggers")
_CATEGORY_KEYS = ("weight", "said", "rubric", "better", "patterns", "unless", "min_shared")


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


# Replies no real pattern matches: nothing, one made-up word, a few of them.
_ANY_REPLY = (" ", " qzxv ", " qzxv wkpj . ", " qzxv wkpj yfmb zzrt ")


class Rubric:
    """The loaded phrases.yaml: thresholds, normalisation rules and one Category per technique/trigger."""

    def __init__(self, data: dict[str, Any], path: Path, text: str, marks: rubric_file.Marks | None = None) -> None:
        self.path = path
        self._marks = marks
        # Only the shipped rubric is judged with the shipped model (it was trained on its findings).
        self.is_default = path.resolve() == DEFAULT_PATH.resolve()
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
        # A lower certainty that is enough when the model reads almost nothing kind in the reply
        # (it gives "deescalate" under unkind_below); unkind_below 0 (the default) turns it off.
        unkind_below = self._number(thresholds, "unkind_below", 0.0, "thresholds")
        self.model_unkind: tuple[float, float] | None = (
            (self._number(thresholds, "model_escalate_unkind", self.model_escalate, "thresholds"), unkind_below)
            if unkind_below > 0 else None)
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
        self._compiler = Compiler(macros, sounds_like, self.respell_rules, self.negators)
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
        words = [t.word for t in respell(raw_tokens(phrase), self.respell_rules)]
        return " ".join(words)

    def _respell_rules(self, value: Any) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        rules = []
        line = self._find("respell:")
        if not isinstance(value, list):
            raise self._error(line, "respell: must be a list of [heard, meant] pairs")
        for pair in value:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise self._error(self._find(str(pair)[:20], line), f"respell entry {pair!r} must be [heard, meant]")
            src = tuple(t.word for t in raw_tokens(pair[0]))
            dst = tuple(t.word for t in raw_tokens(pair[1]))
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
            out[tuple(t.word for t in raw_tokens(str(key)))] = [
                tuple(t.word for t in raw_tokens(str(f))) for f in forms]
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
        except (PatternSyntaxError, re.error) as exc:
            raise self._error(line, f"{name}: pattern '{source}': {exc}") from None
        # A pattern that any reply matches (all of it optional, or only wildcards) would turn every
        # reply into this technique or trigger.
        if any(regex.search(probe) for probe in _ANY_REPLY):
            raise self._error(line, f"{name}: pattern '{source}' matches any reply (every part of it is "
                              "optional or a wildcard); give it at least one word that must be said")
        return CompiledPattern(source=text, regex=regex, weight=float(weight), negatable=negatable,
                               line=line, required=required)

    # -- the reply as the patterns see it ---------------------------------------------------------
    def normalise(self, text: str) -> list[Token]:
        """The reply as normalised tokens, each knowing its span in `text`."""
        tokens = respell(raw_tokens(text), self.respell_rules)
        # "ill" is almost always "I'll" with the apostrophe lost when it starts a clause.
        for i, tok in enumerate(tokens):
            if tok.word == "ill" and (i == 0 or tokens[i - 1].is_break or tokens[i - 1].word in self.clause_words):
                tokens[i:i + 1] = [Token("i", tok.start, tok.end), Token("will", tok.start, tok.end)]
        return tokens


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
