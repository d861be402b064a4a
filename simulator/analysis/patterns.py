"""The rubric's small pattern language ("{calm|relax} down", "i ...2 understand", "<number> minutes")
compiled to regular expressions over normalised text (see normalise.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.analysis.normalise import NUMBER_WORDS, Token, raw_tokens, respell


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



# Every word element starts with its space: " calm down" on " i said calm down ". A leading
# literal lets the regex engine skip straight to candidate positions, which keeps matching fast.
_SEP = " "
_WORD = r"[a-z0-9]+"
# "?" after ")" is accepted (and ignored) because "(a|b)?" reads naturally as "optional".
_PATTERN_TOKEN = re.compile(r"\.\.\.\d*|\)\??|[{}(|$^]|<[a-z_]+>|[^\s{}()|<>$^?,]+")


class PatternSyntaxError(ValueError):
    pass


class Compiler:
    """Turns the rubric's pattern language into regular expressions over normalised text."""

    def __init__(self, macros: dict[str, list[str]], sounds_like: dict[tuple[str, ...], list[tuple[str, ...]]],
                 respell_rules: list[tuple[tuple[str, ...], tuple[str, ...]]], negators: set[str]) -> None:
        self._macro_sources = macros
        self._macros: dict[str, str] = {}
        self._expanding: set[str] = set()
        self._sounds_like = sorted(sounds_like.items(), key=lambda kv: -len(kv[0]))
        self._respell = respell_rules
        self._normal_cache: dict[tuple[str, ...], list[str]] = {}
        # A gap ("...") never steps over a negation, so "i ... understand" misses "i do not understand".
        stop = "|".join(sorted(re.escape(w) for w in negators if " " not in w))
        self._gap_word = rf"{_SEP}(?!(?:{stop})(?= )){_WORD}"

    def compile(self, source: str) -> tuple[str, frozenset[str]]:
        """The regex for a pattern, and the words any match must contain."""
        tokens = [")" if t == ")?" else t for t in _PATTERN_TOKEN.findall(source)]
        if not tokens:
            raise PatternSyntaxError("empty pattern")
        pos, body, required = self._sequence(tokens, 0, set())
        if pos != len(tokens):
            raise PatternSyntaxError(f"unexpected '{tokens[pos]}'")
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
                raise PatternSyntaxError(f"'{tok}' without its opening bracket")
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
                    raise PatternSyntaxError(f"'{tok}': a word ending in * must be a single word")
                parts.append(_SEP + re.escape(stems[0]) + r"[a-z0-9]*")
            pos += 1
        flush()
        if not parts:
            raise PatternSyntaxError("an empty choice")
        return pos, "".join(parts), required

    def _alternatives(self, tokens: list[str], pos: int, close: str) -> tuple[int, list[tuple[str, set[str]]]]:
        alternatives: list[tuple[str, set[str]]] = []
        while True:
            pos, alt, words = self._sequence(tokens, pos, {"|", close, "}" if close == ")" else ")"})
            alternatives.append((alt, words))
            if pos >= len(tokens):
                raise PatternSyntaxError(f"missing '{close}'")
            if tokens[pos] == "|":
                pos += 1
                continue
            if tokens[pos] != close:
                raise PatternSyntaxError(f"'{tokens[pos]}' where '{close}' was expected")
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
            for tok in raw_tokens(r):
                words.append(tok.word)
        return [t.word for t in respell([Token(w, 0, 0) for w in words], self._respell)]

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
            raise PatternSyntaxError(f"unknown macro <{name}> (define it under macros:)")
        if name in self._expanding:
            raise PatternSyntaxError(f"macro <{name}> refers to itself")
        self._expanding.add(name)
        try:
            alts = [self.compile(str(p))[0][: -len("(?= )")] for p in self._macro_sources[name]]
        finally:
            self._expanding.discard(name)
        self._macros[name] = "(?:" + "|".join(alts) + ")"
        return self._macros[name]

