"""Typed, immutable scenario models: customer, nodes, branches with declarative conditions, endings.

YAML is validated into these by `simulator.engine.loader`; the JSON Schema that editors use is
generated from them (`simulator.engine.schema`), so the file format has one definition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.engine.vocabulary import (
    SETTINGS,
    SKILLS,
    TECHNIQUES,
    TRIGGERS,
    Intent,
    Mood,
    Outcome,
    ToneLabel,
)

FORMAT_VERSION = 1

if TYPE_CHECKING:
    from typing import TypeAlias

    TechniqueId: TypeAlias = str
    TriggerId: TypeAlias = str
    SkillId: TypeAlias = str
else:
    # Built from the vocabulary so the schema lists the valid names and a typo is caught at load.
    TechniqueId = Literal[tuple(TECHNIQUES)]
    TriggerId = Literal[tuple(TRIGGERS)]
    SkillId = Literal[tuple(SKILLS)]

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
# What the trainee sees happen (shown as a caption, never spoken): kept out of `say`, which the voice reads aloud.
Direction = Annotated[str, Field(min_length=1, max_length=300, description=(
    "A stage direction shown as a caption under the line and never spoken, e.g. "
    "'People have stopped to stare.' Keep it out of `say`: the voice reads every word of `say`."))]


def _one_or_many(value: Any) -> Any:
    """Lets a writer say `say: "Hello"` instead of a one-item list."""
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Voice(_Strict):
    """How the customer sounds at middling agitation; agitation then shifts rate, pitch and volume."""

    gender: Literal["female", "male", "neutral"] = Field(
        "neutral", description="Used to pick a voice where the speech engine offers one.")
    pitch: int = Field(50, ge=0, le=100, description="0 lowest, 100 highest; 50 is the voice's normal pitch.")
    rate: int = Field(165, ge=80, le=320, description="Words per minute at agitation 50.")
    volume: float = Field(0.85, ge=0.1, le=1.0, description="0.1 to 1.0 at agitation 50.")
    accent: str | None = Field(None, description="Language/accent such as en-gb or en-us, where installed.")
    timbre: int | None = Field(
        None, ge=0, le=100, description="0 a larger, darker voice, 100 a smaller, brighter one (a formant shift); "
                                        "omit it for one near 50 that still tells customers apart.")


class Temperament(_Strict):
    """How quickly the customer heats up and cools down: multipliers on each reply's push, 1 is typical."""

    heat: float = Field(1.0, gt=0, le=3, description="Multiplies pushes that raise agitation.")
    cool: float = Field(1.0, gt=0, le=3, description="Multiplies pushes that lower agitation.")


class Customer(_Strict):
    name: Text = Field(description="What the trainee may call them, e.g. 'Dana Whitfield'.")
    age: int | None = Field(None, ge=5, le=110)
    portrait: Identifier = Field("default", description="Folder under assets/portraits/ with one SVG per mood.")
    voice: Voice = Field(default_factory=Voice)  # type: ignore[arg-type]
    temperament: Temperament = Field(default_factory=Temperament)  # type: ignore[arg-type]
    agitation: int = Field(ge=0, le=100, description="Agitation at the start, 0 (calm) to 100 (out of control).")
    wants: str | None = Field(None, description="What they came for (shown to trainers).")
    fears: str | None = Field(None, description="What they are afraid of (shown to trainers).")

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


class Condition(_Strict):
    """Everything given must hold. Lists mean 'any of these' unless the field says 'all'."""

    intent: list[Intent] | None = Field(None, description="The reply's intent is one of these.")
    techniques: list[TechniqueId] | None = Field(None, description="At least one of these techniques was found.")
    all_techniques: list[TechniqueId] | None = Field(None, description="Every one of these techniques was found.")
    min_techniques: int | None = Field(None, ge=1, le=10, description="At least this many different techniques.")
    triggers: list[TriggerId] | None = Field(None, description="At least one of these triggers was found.")
    no_triggers: bool | None = Field(None, description="true: no trigger at all was found.")
    tone: list[ToneLabel] | None = Field(None, description="The tone label is one of these (spoken replies).")
    agitation_below: float | None = Field(None, ge=0, le=100, description="Agitation after the reply is below this.")
    agitation_at_least: float | None = Field(None, ge=0, le=100, description="Agitation after the reply is at least this.")
    keywords: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, description="The reply contains at least one of these words or phrases.")

    _listy = field_validator("intent", "techniques", "all_techniques", "triggers", "tone", "keywords",
                             mode="before")(_one_or_many)

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not self.model_dump(exclude_none=True):
            raise ValueError("an empty condition matches everything: write `otherwise: true` instead")
        return self


class Branch(_Strict):
    when: Condition | None = Field(None, description="The condition; omit it and write `otherwise: true` for the fallback.")
    otherwise: bool = Field(False, description="true for the fallback branch, which must come last.")
    goto: Identifier = Field(description="The node or ending this branch leads to.")
    note: str | None = Field(None, description="For trainers: what this branch teaches.")

    @model_validator(mode="after")
    def _when_or_otherwise(self) -> Branch:
        if self.when is None and not self.otherwise:
            raise ValueError("a branch needs `when:` (a condition) or `otherwise: true`")
        if self.when is not None and self.otherwise:
            raise ValueError("a branch has either `when:` or `otherwise: true`, not both")
        return self


class Node(_Strict):
    say: list[Text] = Field(min_length=1, description="What the customer says; one variant is picked per run.")
    mood: Mood | None = Field(None, description="The portrait to show; omit it to follow the agitation level.")
    direction: Direction | None = None
    model_answer: Text | None = Field(None, description="A reply that would work well here, shown in the debrief.")
    coach: str | None = Field(None, description="What the trainee should notice at this moment (debrief).")
    branches: list[Branch] = Field(min_length=1, description="Tried in order; the first that matches is taken.")

    _listy = field_validator("say", mode="before")(_one_or_many)


class Ending(_Strict):
    outcome: Outcome
    say: list[Text] = Field(min_length=1, description="The customer's last line; one variant is picked.")
    mood: Mood | None = None
    direction: Direction | None = None
    summary: str | None = Field(None, description="What happened, for the debrief.")

    _listy = field_validator("say", mode="before")(_one_or_many)


class Scenario(_Strict):
    """One branching, voiced conversation with one customer."""

    format_version: Literal[1] = Field(description="The scenario file format; this simulator reads 1.")
    id: Identifier = Field(description="Unique id, used on the command line, e.g. late-pickup.")
    title: Text
    setting: Identifier = Field(description=(
        "Where it takes place: retail, security, hotel, healthcare (a healthcare reception) or transport; "
        "another setting may be named in lower case (e.g. banking) and is shown as written."),
        json_schema_extra={"examples": list(SETTINGS)})
    difficulty: int = Field(ge=1, le=5, description="1: calms with basic empathy. 5: tests limits, needs a firm respectful boundary.")
    brief: Text = Field(description="What the trainee is told before the conversation starts.")
    skills: list[SkillId] = Field(min_length=1, description="What this scenario practises.")
    minutes: int | None = Field(None, ge=1, le=60, description="Rough length, shown on the scenario card.")
    customer: Customer
    start: Identifier | None = Field(None, description="The first node; defaults to the first one listed.")
    nodes: dict[Identifier, Node] = Field(min_length=1)
    endings: dict[Identifier, Ending] = Field(min_length=1)

    @property
    def start_node(self) -> str:
        return self.start or next(iter(self.nodes))

    def target(self, node_id: str) -> Node | Ending:
        return self.nodes[node_id] if node_id in self.nodes else self.endings[node_id]

    def lines(self) -> list[str]:
        """Every line the customer can say, so they can be rendered to audio ahead of time."""
        out: list[str] = []
        items: list[Node | Ending] = [*self.nodes.values(), *self.endings.values()]
        for item in items:
            out.extend(item.say)
        return out

    def next_lines(self, node_id: str) -> list[str]:
        """Every line the customer may say after the trainee's reply at `node_id`, the first
        branch's first (none after an ending)."""
        if node_id not in self.nodes:
            return []
        out: list[str] = []
        for branch in self.nodes[node_id].branches:
            out.extend(self.target(branch.goto).say)
        return list(dict.fromkeys(out))

    def model_answers(self) -> list[str]:
        return [n.model_answer for n in self.nodes.values() if n.model_answer]

    def keywords(self) -> list[str]:
        words: list[str] = []
        for node in self.nodes.values():
            for branch in node.branches:
                if branch.when and branch.when.keywords:
                    words.extend(branch.when.keywords)
        return words
