"""The shape of phrases.yaml as typed models, and where each part of it is in the file, for file:line errors.

The rubric is read like a scenario (see simulator/engine/loader.py): `safe_load` for the data,
`compose` for the line of every key and value, and a pydantic model that refuses unknown fields
and wrong types. A key written twice is an error (YAML would silently keep the second).
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError

from simulator import yamldoc

Path_ = yamldoc.Path_
MAX_DEPTH = 50


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Thresholds(_Strict):
    deescalate: StrictFloat | StrictInt = 0.9
    strong_trigger: StrictFloat | StrictInt = 0.8
    outweigh: StrictFloat | StrictInt = 2.0
    model_override: StrictFloat | StrictInt = 0.6
    model_escalate: StrictFloat | StrictInt | None = None
    model_escalate_unkind: StrictFloat | StrictInt | None = None
    unkind_below: StrictFloat | StrictInt = 0.0
    sentence_escalate: StrictFloat | StrictInt = 0.7


class Negation(_Strict):
    window: StrictInt = 3
    words: list[str] = Field(default_factory=list)
    transparent: list[str] = Field(default_factory=list)
    clause_words: list[str] = Field(default_factory=list)


class WeightedPattern(_Strict):
    pattern: str = Field(min_length=1)
    weight: StrictFloat | StrictInt


class CategoryEntry(_Strict):
    weight: StrictFloat | StrictInt = 1.0
    said: str = Field(min_length=1)
    rubric: str = Field(min_length=1)
    better: str = ""
    patterns: list[str | WeightedPattern] | None = None
    unless: list[str | WeightedPattern] | None = None
    min_shared: StrictInt = 2


class RubricFile(_Strict):
    version: StrictInt = 1
    thresholds: Thresholds = Field(default_factory=Thresholds)
    negation: Negation = Field(default_factory=Negation)
    respell: list[list[str]] | None = None
    sounds_like: dict[str, list[str]] | None = None
    macros: dict[str, list[str]] | None = None
    techniques: dict[str, CategoryEntry]
    triggers: dict[str, CategoryEntry]


class Marks(yamldoc.Marks):
    """Line numbers of every key and value of a rubric, by path; and keys written twice. A pattern
    (an item of a list) is reported at its own line rather than its list's key."""

    def __init__(self, root: yaml.Node | None) -> None:
        super().__init__(root, max_depth=MAX_DEPTH)

    def line(self, path: Path_, prefer_value: bool = True) -> int:
        return super().line(path, prefer_value)


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _allowed(path: Path_) -> list[str]:
    if not path:
        return list(RubricFile.model_fields)
    if path[0] in ("techniques", "triggers"):
        return list(CategoryEntry.model_fields) if len(path) == 2 else list(WeightedPattern.model_fields)
    sections: dict[str, type[BaseModel]] = {"thresholds": Thresholds, "negation": Negation}
    return list(sections.get(str(path[0]), RubricFile).model_fields)


def problems(data: Any, marks: Marks) -> list[tuple[int, str]]:
    """(line, message) for every key written twice and every field of the wrong shape, in file order."""
    found = [(line, f"'{path[-1]}' appears twice in {dotted(path[:-1])}; the second one would silently win")
             for path, line in marks.duplicates]
    try:
        RubricFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc: Path_ = tuple(p for p in error["loc"]
                               if not (isinstance(p, str) and ("[" in p or p in {"str", "int", "float", "bool"}
                                                               or p.startswith("function-"))))
            kind = error["type"]
            if kind == "extra_forbidden":
                allowed = _allowed(loc[:-1])
                hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
                found.append((marks.line(loc), f"unknown field '{loc[-1]}' in {dotted(loc[:-1])}"
                              + (f"; did you mean '{hint[0]}'?" if hint else f" (allowed: {', '.join(allowed)})")))
            elif kind == "missing":
                found.append((marks.line(loc[:-1]), f"missing field '{loc[-1]}' in {dotted(loc[:-1])}"))
            elif kind in ("dict_type", "model_type", "model_attributes_type"):
                where = dotted(loc) if loc else "the file"
                found.append((marks.line(loc), f"{where} must be a mapping (name: value lines)"))
            elif kind in ("float_type", "int_type", "int_from_float", "float_parsing", "int_parsing"):
                found.append((marks.line(loc), f"{dotted(loc)} must be a number"))
            elif kind in ("list_type", "string_type"):
                found.append((marks.line(loc), f"{dotted(loc)} must be {'a list' if kind == 'list_type' else 'text'}"))
            else:
                found.append((marks.line(loc), f"{dotted(loc)}: {error['msg']}"))
    # One message per line: a union's members each report the same wrong value.
    seen: set[int] = set()
    out = []
    for line, message in sorted(found, key=lambda p: p[0]):
        if line not in seen:
            seen.add(line)
            out.append((line, message))
    return out
