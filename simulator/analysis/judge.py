"""The combined judge: a reply's wording against the rubric and, when it was spoken, its tone of voice.

`combine` holds the rules that merge the two (so they can be tested with made-up tones);
`RubricJudge` implements `simulator.engine.judgement.Judge` on top of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.analysis import wording
from simulator.analysis.tone_text import describe
from simulator.analysis.unsure import unsure_grave_triggers
from simulator.analysis.wording import Category, Hit, Rubric, WordingResult, analyse, load_rubric
from simulator.engine.judgement import JudgeContext, Judgement, Reply, ToneReading
from simulator.engine.vocabulary import Intent

# How far each tone moves the customer's agitation, on top of what the words did.
_SHOUTING_PUSH = 12.0
_RAISED_PUSH = 6.0
_FLAT_PUSH = 3.0
_CALM_PULL = 3.0
# Calming words said in a raised voice still de-escalate only when they are this strong.
_STRONG_WORDS = 2.0
# A monotone takes this share off the techniques' worth: empathy without feeling rings hollow.
_FLAT_DISCOUNT = 0.4
_DELTA_MIN, _DELTA_MAX = -20.0, 30.0


def wording_delta(w: WordingResult) -> float:
    """The push the words alone give the customer's agitation (negative calms)."""
    t, g = w.technique_score, w.trigger_score
    if w.intent == "deescalate":
        return max(_DELTA_MIN, -(4.0 + 5.0 * t))
    if w.intent == "escalate":
        return min(_DELTA_MAX, max(4.0, 6.0 + 10.0 * g - 2.0 * t))
    if g > 0:
        # Weak triggers outweighed by techniques: a firm line that neither calms nor inflames much.
        return 2.0
    # Plain words to an upset person nudge them up a little; a weak technique nudges them down.
    return round(1.5 - 2.5 * t, 2)


def combine(wording: WordingResult, tone: ToneReading | None) -> Judgement:
    """The judgement of a reply from what its words showed and, if it was spoken, how it sounded.

    Tone can turn good words bad (a shouted "I understand!" escalates), a raised voice weakens
    de-escalation, a flat monotone is penalised (empathy said without feeling sounds detached),
    and a calm voice softens plain words. Words that escalate stay escalating in any voice.
    """
    rubric = wording.rubric
    intent: Intent = wording.intent
    confidence = wording.confidence
    delta = wording_delta(wording)
    tone_notes: list[str] = []

    if tone is not None:
        label = tone.label
        if label == "shouting":
            if intent != "escalate":
                if wording.techniques:
                    tone_notes.append("Shouting turned your words against you: they hear the volume, "
                                      "not the words.")
                intent, confidence = "escalate", 0.8
            else:
                confidence = min(0.97, confidence + 0.08)
            delta = delta + _SHOUTING_PUSH if delta >= 0 else _SHOUTING_PUSH + 0.3 * delta
        elif label == "raised":
            if intent == "deescalate":
                if wording.technique_score >= _STRONG_WORDS:
                    confidence = max(0.5, confidence - 0.15)
                    tone_notes.append("Your raised voice took some of the calm out of good words.")
                else:
                    intent, confidence = "neutral", 0.55
                    tone_notes.append("Your words would have calmed them, but in a raised voice they "
                                      "sounded like a telling-off.")
            elif intent == "escalate":
                confidence = min(0.97, confidence + 0.05)
            delta = delta + _RAISED_PUSH if delta >= 0 else 0.5 * delta + _RAISED_PUSH / 2
        elif label == "flat":
            if intent == "deescalate":
                kept = wording.technique_score * (1.0 - _FLAT_DISCOUNT)
                if kept < rubric.deescalate_threshold:
                    intent, confidence = "neutral", 0.55
                else:
                    confidence = max(0.5, confidence - 0.1)
                tone_notes.append("Said in a monotone, caring words sound like going through the motions; "
                                  "let your voice show you mean them.")
            delta = delta * (1.0 - _FLAT_DISCOUNT) + 2.0 if delta < 0 else delta + _FLAT_PUSH
        elif label == "calm":
            if intent == "neutral" and wording.trigger_score == 0:
                if wording.technique_score > 0:
                    intent, confidence = "deescalate", 0.55
                tone_notes.append("Your calm, even voice softened plain words.")
                delta -= _CALM_PULL
            elif intent == "deescalate":
                confidence = min(0.97, confidence + 0.05)
                delta = delta * 1.15 - 1.0
            else:
                # Calmly delivered contempt is still contempt; the voice only takes the edge off.
                delta *= 0.85

    delta = round(max(_DELTA_MIN, min(_DELTA_MAX, delta)), 1)
    explanation = _explain(wording, intent, tone, tone_notes)
    return Judgement(
        intent=intent,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        techniques=wording.technique_findings(),
        triggers=wording.trigger_findings(),
        tone=tone,
        agitation_delta=delta,
        explanation=explanation,
    )


def _quote(template: str, hit: Hit) -> str:
    evidence = hit.evidence
    if template.startswith("'{evidence}'"):
        evidence = evidence[:1].upper() + evidence[1:]
    return template.replace("{evidence}", evidence)


def _explain(wording: WordingResult, intent: Intent, tone: ToneReading | None, tone_notes: list[str]) -> list[str]:
    """Short debrief sentences: what was heard, why it matters, what would have worked better."""
    cats = wording.rubric.categories
    out: list[str] = []
    triggers = sorted(wording.triggers, key=lambda h: -h.weight)
    for hit in triggers:
        out.append(_quote(cats[hit.name].said, hit))
    for hit in wording.techniques:
        out.append(_quote(cats[hit.name].said, hit))
    if wording.decided_by_model:
        out.append(_model_sentence(wording))
    if triggers and wording.techniques and wording.intent == "escalate":
        out.append("The trigger outweighs the good parts: people remember the worst thing you said.")
    elif triggers and wording.intent == "neutral":
        out.append(f"What you offered softened it, but '{triggers[0].evidence}' still raises the stakes.")
    if tone is not None:
        out.extend(_tone_sentences(tone))
    out.extend(tone_notes)
    if triggers:
        worst: Category = cats[triggers[0].name]
        out.append(worst.rubric)
        if worst.better:
            out.append(f"Better: {worst.better}")
    elif wording.decided_by_model:
        pass
    elif intent == "neutral" and not wording.techniques:
        out.append("Nothing in it acknowledged how they feel. Try naming the feeling (\"I can see this is "
                   "really frustrating\") or offering a next step (\"Let me check that for you\").")
    elif intent == "neutral" and wording.intent == "neutral":
        names = " and ".join(cats[h.name].label.lower() for h in wording.techniques)
        found = {h.name for h in wording.techniques}
        missing = ("an acknowledgement of the feeling" if not found & {"empathy", "name_emotion", "reflect"}
                   else "a way forward")
        out.append(f"{names[:1].upper()}{names[1:]} helps, but on its own it is not enough to calm them; "
                   f"add {missing}.")
    return out


_MODEL_READS = {
    "escalate": "it reads like replies trainers marked as inflaming (sarcastic, accusing or dismissive)",
    "neutral": "it reads like replies trainers marked as procedural rather than calming",
    "deescalate": "it reads like replies trainers marked as calming",
}


def _model_sentence(wording: WordingResult) -> str:
    """Why the statistical model overruled the rules, quoting the words that weighed most."""
    words = ", ".join(f"'{w}'" for w in wording.model_evidence)
    said = f"; the words that weighed most: {words}" if words else ""
    return f"No phrase on the rubric's list decided this, but {_MODEL_READS[wording.intent]}{said}."


def _tone_sentences(tone: ToneReading) -> list[str]:
    """How it sounded, in the one sentence every screen uses (`tone_text.describe`)."""
    return [describe(tone)]


# --------------------------------------------------------------------------------------------------
# The judge


def _default_tone() -> tuple[Callable[..., ToneReading], Callable[[Path], Any]] | None:
    # Imported on first use: a text-only run should not pay for numpy and Praat.
    try:
        from simulator.analysis import tone
    except ImportError:
        return None
    return tone.analyse_wav, tone.Baseline.from_wav


class RubricJudge:
    """Judges replies by their words (phrases.yaml) and, for spoken replies, their tone of voice."""

    def __init__(self, rubric: Rubric | None = None,
                 analyse_tone: Callable[..., ToneReading] | None = None,
                 load_baseline: Callable[[Path], Any] | None = None) -> None:
        self.rubric = rubric or load_rubric()
        self._analyse_tone = analyse_tone
        self._load_baseline = load_baseline
        self._baselines: dict[tuple[str, int, int], Any] = {}
        self._lock = threading.Lock()

    def judge(self, reply: Reply, context: JudgeContext) -> Judgement:
        wording = analyse(reply.text, context.customer_line, context.customer_name, self.rubric)
        tone: ToneReading | None = None
        notes: list[str] = []
        if reply.tone is not None:
            tone = reply.tone  # measured when the reply was first judged (a corrected transcript)
        elif reply.audio_path is not None:
            tone, notes = self._tone(Path(reply.audio_path), context.baseline_audio)
        judgement = combine(wording, tone)
        update: dict[str, Any] = {}
        if reply.audio_path is not None:
            update["transcript"] = reply.text
        rc = reply.recognition_confidence
        if rc is not None:
            # Unsure recognition means the words judged may not be the words said.
            rc = max(0.0, min(1.0, rc))
            update["confidence"] = round(judgement.confidence * (0.6 + 0.4 * rc), 3)
            if rc < 0.5:
                notes.append(f"The recogniser was unsure what you said ({rc:.0%}), so this judgement may be off.")
        unsure = unsure_grave_triggers(self.rubric, reply.text, judgement.trigger_names(), reply.words)
        if unsure:
            update["unsure_words"] = unsure
            quoted = ", ".join(f"'{e}'" for e in unsure)
            notes.append(f"The recogniser was unsure of {quoted}, so the customer asks to hear it again "
                         "instead of taking it as said.")
        if notes:
            update["explanation"] = [*judgement.explanation, *notes]
        return judgement.model_copy(update=update) if update else judgement

    def warm(self, baseline_audio: Path | None = None) -> None:
        """Load the wording model's sentence vectors now, off the GUI thread, rather than on the
        first reply (0.3-0.6 s), and build the tone baseline from `baseline_audio` if given
        (otherwise the first spoken reply waits 120-200 ms more for it, bench/turn_latency.py)."""
        wording.warm()
        if baseline_audio is not None:
            self.baseline(baseline_audio)

    def baseline(self, path: Path) -> Any:
        """The trainee's baseline from a calibration WAV, built once per file version.

        The presenter builds it on a worker while the trainee reads the briefing, so the wording
        model is warmed here too (see `warm`)."""
        self.warm()
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key not in self._baselines:
                loader = self._load_baseline or self._tone_functions()[1]
                self._baselines[key] = loader(path)
            return self._baselines[key]

    def _tone_functions(self) -> tuple[Callable[..., ToneReading], Callable[[Path], Any]]:
        if self._analyse_tone is not None and self._load_baseline is not None:
            return self._analyse_tone, self._load_baseline
        found = _default_tone()
        if found is None:
            raise RuntimeError("the tone analysis (simulator.analysis.tone) is not available")
        return self._analyse_tone or found[0], self._load_baseline or found[1]

    def _tone(self, audio: Path, baseline_audio: Path | None) -> tuple[ToneReading | None, list[str]]:
        notes: list[str] = []
        try:
            analyse_tone, _ = self._tone_functions()
        except RuntimeError as exc:
            return None, [f"Tone of voice was not judged: {exc}."]
        baseline = None
        if baseline_audio is not None:
            try:
                baseline = self.baseline(Path(baseline_audio))
            except Exception as exc:  # noqa: BLE001 - any unusable calibration: fall back, say so
                notes.append(f"Your calibration recording could not be used ({_short(exc)}); "
                             "your tone was compared with a typical voice instead.")
        try:
            return analyse_tone(audio, baseline), notes
        except Exception as exc:  # noqa: BLE001 - a bad recording must not stop the session
            notes.append(f"The recording could not be analysed for tone ({_short(exc)}); judged on the words only.")
            return None, notes


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
