"""The shared names of the rubric: intents, techniques, triggers, tone labels, moods, outcomes.

Scenario conditions, the analysis and the debrief all speak these names, so they live in one place.
"""

from typing import Literal

Intent = Literal["deescalate", "neutral", "escalate"]
INTENTS: tuple[str, ...] = ("deescalate", "neutral", "escalate")

ToneLabel = Literal["calm", "raised", "shouting", "flat"]
TONE_LABELS: tuple[str, ...] = ("calm", "raised", "shouting", "flat")

# A scenario's difficulty (1-5) in words, as the library and classroom mode show it.
DIFFICULTY_NAMES: dict[int, str] = {1: "Introductory", 2: "Easy", 3: "Moderate", 4: "Hard", 5: "Very hard"}

Outcome = Literal["resolved", "unresolved", "escalated"]
OUTCOMES: tuple[str, ...] = ("resolved", "unresolved", "escalated")

# Moods the customer's portrait can show, from settled to out of control.
Mood = Literal["pleased", "calm", "uneasy", "annoyed", "angry", "furious"]
MOODS: tuple[str, ...] = ("pleased", "calm", "uneasy", "annoyed", "angry", "furious")

# Where a scenario takes place. These are the settings the library knows by name; a scenario may name
# another (a word in lower case, e.g. `banking`), shown as written. The loader warns when a setting is
# close to one of these (a likely typo, such as `retial`).
SETTING_NAMES: dict[str, str] = {
    "retail": "Retail",
    "security": "Security",
    "hotel": "Hotel",
    "healthcare": "Healthcare reception",
    "transport": "Transport",
}
SETTINGS: tuple[str, ...] = tuple(SETTING_NAMES)


def setting_name(setting: str) -> str:
    """How a setting is shown: its name when known, else the id written as words ("call_centre": "Call centre")."""
    return SETTING_NAMES.get(setting) or setting.replace("_", " ").replace("-", " ").capitalize()

# Behaviours the rubric rewards. Keys are the ids used in scenario conditions and in judgements.
TECHNIQUES: dict[str, str] = {
    "empathy": "Acknowledging the feeling",
    "name_emotion": "Naming the emotion",
    "reflect": "Reflecting back what they said",
    "apologise": "Apologising",
    "offer_options": "Offering options or a next step",
    "explain_why": "Explaining why",
    "open_question": "Asking an open question",
    "use_name": "Using their name",
    "thank": "Thanking them for their patience",
    "set_boundary": "A clear, respectful limit with choices",
}

# Behaviours the rubric punishes.
TRIGGERS: dict[str, str] = {
    "calm_down": "Ordering them to calm down",
    "blame": "Blaming them",
    "policy": "Hiding behind policy",
    "threat": "Threats and ultimatums",
    "sarcasm": "Sarcasm",
    "dismissal": "Dismissing them",
    "insult": "Insults and profanity",
    "argue": "Arguing or correcting them",
    "command": "Barking orders",
}

# Skills a scenario can say it practises: every technique, plus staying composed under pressure.
SKILLS: dict[str, str] = {**TECHNIQUES, "steady_tone": "Keeping a steady, warm voice"}


# The bands a chart of agitation shows behind the line (the debrief's chart and the PDF's): low, high, name.
AGITATION_BANDS: tuple[tuple[int, int, str], ...] = ((0, 35, "calm"), (35, 65, "uneasy"), (65, 82, "angry"),
                                                     (82, 100, "furious"))


def mood_for_agitation(agitation: float) -> str:
    """The mood a customer shows at an agitation level (0-100) when a node does not set one."""
    if agitation < 15:
        return "pleased"
    if agitation < 35:
        return "calm"
    if agitation < 50:
        return "uneasy"
    if agitation < 65:
        return "annoyed"
    if agitation < 82:
        return "angry"
    return "furious"


def mood_for_line(line_mood: str | None, agitation: float, *, ending: bool, calming: bool = False) -> str:
    """The face to show while a line is spoken, so that it fits the words.

    A line that sets a mood (its node's or ending's `mood`) shows exactly that: the writer chose
    the face for the words. A line without one follows the agitation, but never shows a warmer
    face than the words can carry: "pleased" (laughing) only at an ending, and a customer who is
    calming down (`calming`: the last reply lowered the agitation) shows a calm face rather than the
    worried "uneasy" one, which read as sweating over good news.
    """
    if line_mood is not None:
        return line_mood
    mood = mood_for_agitation(agitation)
    if mood == "pleased" and not ending:
        return "calm"
    if mood == "uneasy" and calming:
        return "calm"
    return mood
