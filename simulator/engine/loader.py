"""Reads scenario YAML into `Scenario` models, reporting every problem as `file:line: message`.

YAML is composed once (through `simulator.yamldoc`, which refuses alias bombs and absurd nesting
first); the data is built from those nodes and their marks give the line of every key, so a
pydantic error's location can be turned back into a line the writer can find.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator import yamldoc
from simulator.engine.checks import check_graph, check_setting, check_spoken, raw_targets
from simulator.engine.model import FORMAT_VERSION, Scenario
from simulator.engine.problems import Problem
from simulator.fileio import not_regular

MAX_BYTES = 1_000_000  # a scenario is a few KB; anything near this is not a scenario
MAX_DEPTH = yamldoc.MAX_DEPTH
# Conversation nodes and endings: the shipped scenarios have 17-19; a scenario is played in one sitting.
MAX_SCENARIO_NODES = 500
MAX_ENTRIES = yamldoc.MAX_ENTRIES


class ScenarioError(Exception):
    """A scenario file could not be loaded; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


Path_ = yamldoc.Path_
_Marks = yamldoc.Marks


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _allowed_fields(model: type, path: Path_) -> list[str]:
    """The field names valid at `path`, for 'did you mean' hints."""
    from pydantic import BaseModel

    current: Any = model
    for part in path:
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                # a key of a dict field (node id): stay on the dict's value type
                continue
            current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _explain(error: dict[str, Any]) -> tuple[Path_, str]:
    loc: Path_ = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    # pydantic adds the tag of union members ('list[...]', 'str') to locations; they mean nothing to a writer
    loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"str", "int", "float", "bool"})))
    kind = error["type"]
    field = _dotted(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_fields(Scenario, loc[:-1])
        hint = difflib.get_close_matches(name, allowed, n=1)
        msg = f"unknown field '{name}' in {_dotted(loc[:-1])}"
        msg += f"; did you mean '{hint[0]}'?" if hint else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return loc, msg
    if kind == "missing":
        return loc[:-1], f"missing field '{loc[-1]}' in {_dotted(loc[:-1])}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return loc, f"{field}: {error['input']!r} is not one of {expected}"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return loc, f"{field}: {message}"


def _measure(root: yaml.Node | None, text: str, file: str, loader: Any) -> Problem | None:
    refused = yamldoc.measure(root, text, loader, "scenario", "agitation 0-100, difficulty 1-5")
    return Problem(file, *refused) if refused is not None else None


def _too_many_nodes(data: dict[str, Any], file: str, marks: _Marks) -> Problem | None:
    """Graph checks and the authoring view are sized for a conversation, not a generated maze."""
    sizes = {key: len(data[key]) for key in ("nodes", "endings") if isinstance(data.get(key), dict)}
    total = sum(sizes.values())
    if total <= MAX_SCENARIO_NODES:
        return None
    return Problem(file, marks.line(("nodes",)),
                   f"the scenario has {total:,} nodes and endings; a scenario has at most {MAX_SCENARIO_NODES} "
                   "(the shipped ones have under 20): split it into several scenarios")


def parse(text: str, file: str) -> tuple[Scenario | None, list[Problem]]:
    """Validate scenario text. Returns the scenario (None if it has errors) and every problem found."""
    if not text.strip():
        return None, [Problem(file, 0, "the file is empty: start from a scenario in scenarios/ or docs/authoring.md")]
    try:
        loader = yamldoc.loader_for(text)
        root = yaml.compose(text, Loader=loader)
        refused = _measure(root, text, file, loader)
        if refused is not None:
            return None, [refused]
        marks = _Marks(root)  # first: it refuses absurd nesting before anything is built from it
        # Built from the nodes already composed (SafeConstructor, as safe_load uses): parsing twice
        # took half the time of a large file.
        data = yaml.constructor.SafeConstructor().construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        detail = exc.problem or str(exc)
        return None, [Problem(file, line, f"this is not valid YAML: {detail} (check indentation and quotes)")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 0, f"this is not valid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(file, 0, f"the YAML is nested more than {MAX_DEPTH} levels deep; a scenario never needs that")]
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "a scenario file must be a mapping of fields (format_version, id, title, ...), "
                                       f"not a {type(data).__name__}")]

    problems = [Problem(file, line, f"'{path[-1]}' appears twice in {_dotted(path[:-1])}; the second one would silently win")
                for path, line in marks.duplicates]

    version = data.get("format_version")
    if version is None:
        problems.append(Problem(file, 1, f"missing 'format_version': add `format_version: {FORMAT_VERSION}` at the top"))
        return None, problems
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(Problem(file, marks.line(("format_version",)), f"format_version must be a whole number, such as {FORMAT_VERSION}"))
        return None, problems
    if version > FORMAT_VERSION:
        problems.append(Problem(file, marks.line(("format_version",)),
                                f"written for scenario format {version}, but this simulator reads format {FORMAT_VERSION}: "
                                "update the simulator to play it"))
        return None, problems
    if version < FORMAT_VERSION:
        problems.append(Problem(file, marks.line(("format_version",)),
                                f"format_version {version} is older than any this simulator reads (it reads {FORMAT_VERSION})"))
        return None, problems

    too_many = _too_many_nodes(data, file, marks)
    if too_many is not None:
        return None, [*problems, too_many]

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc, message = _explain(error)  # type: ignore[arg-type]
            problems.append(Problem(file, marks.line(loc), message))
        # A misspelt target is reported with these errors rather than after they are fixed.
        taken = {p.line for p in problems}
        problems.extend(Problem(file, line, message) for path, message in raw_targets(data)
                        if (line := marks.line(path)) not in taken)
        return None, sorted(problems, key=lambda p: p.line)

    problems.extend(check_graph(scenario, file, marks.line))
    problems.extend(check_setting(scenario, file, marks.line))
    problems.extend(check_spoken(scenario, file, marks.line))
    problems.sort(key=lambda p: (p.line, p.severity))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return scenario, problems


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying plainly why it cannot be read."""
    file = str(path)
    special = not_regular(path)
    if special:
        return None, [Problem(file, 0, special)]
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(file, 0, f"the file is {size // 1024} KB; a scenario is never more than "
                                           f"{MAX_BYTES // 1000} KB, so this is probably not a scenario")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(file, 0, "no such file")]
    except IsADirectoryError:
        return None, [Problem(file, 0, "this is a folder, not a scenario file")]
    except PermissionError:
        return None, [Problem(file, 0, "permission denied: the file cannot be read; ask whoever set up this computer to let you read it")]
    except OSError as exc:
        return None, [Problem(file, 0, f"the file cannot be read: {exc.strerror}")]
    if b"\x00" in raw:
        return None, [Problem(file, 0, "this is a binary file, not a YAML scenario")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, "the file is not UTF-8 text: save it as UTF-8 in your editor")]


def check_file(path: Path) -> tuple[Scenario | None, list[Problem]]:
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse(text, str(path))


def load_scenario(path: Path) -> Scenario:
    """Load one scenario file or raise ScenarioError with every problem in it."""
    scenario, problems = check_file(path)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def scenario_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in {".yaml", ".yml"})


@dataclass
class Library:
    """Every scenario found in some folders, and the problems of those that failed to load."""

    scenarios: dict[str, Scenario]
    files: dict[str, Path]
    problems: list[Problem]

    def find(self, key: str) -> Scenario | None:
        """A scenario by id, or by file name or path."""
        if key in self.scenarios:
            return self.scenarios[key]
        for sid, path in self.files.items():
            if key in {path.name, path.stem, str(path)}:
                return self.scenarios[sid]
        return None

    def by_difficulty(self) -> list[Scenario]:
        """Every scenario, easiest first, then by title: the order the library and classroom mode list them in."""
        return sorted(self.scenarios.values(), key=lambda s: (s.difficulty, s.title.lower(), s.id))


def load_library(folders: list[Path]) -> Library:
    scenarios: dict[str, Scenario] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in scenario_files(folder):
            scenario, found = check_file(path)
            problems.extend(found)
            if scenario is None:
                continue
            if scenario.id in scenarios:
                problems.append(Problem(str(path), 0, f"id '{scenario.id}' is already used by {files[scenario.id]}; "
                                                      "give this scenario another id"))
                continue
            scenarios[scenario.id] = scenario
            files[scenario.id] = path
    return Library(scenarios, files, problems)
