"""Matching one reply against the rubric (phrases, negation, their own words, their name, sentence
meaning) and deciding the intent its findings add up to."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from simulator.analysis import embedding, sentence_encoder
from simulator.analysis.decision import blend, clamp, decide
from simulator.analysis.model import CLASSES, Reading, WordingModel, features, load_model
from simulator.analysis.normalise import NUMBER_WORDS, raw_tokens
from simulator.analysis.patterns import CompiledPattern
from simulator.analysis.rubric import Category, Rubric
from simulator.engine.judgement import Finding
from simulator.engine.vocabulary import Intent


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



class Meanings(NamedTuple):
    """A reply's vectors (sentence embeddings, simulator.analysis.embedding)."""

    reply: Any  # the whole reply as the intent model reads it (its "pooling")
    heads: tuple[Any, list[tuple[int, int]]]  # each sentence's vector and the spans, for the technique heads
    spans: list[tuple[int, int]]  # each sentence's first and last token
    intents: Any  # each sentence as the intent model reads it, for the worst sentence and the quote

class Analysis:
    """One reply being matched against the rubric."""

    def __init__(self, rubric: Rubric, text: str) -> None:
        self.rubric = rubric
        self.text = text
        self.tokens = rubric.normalise(text)
        self._hits: dict[str, list[Hit]] = {}  # each category's, found once
        # Patterns read across commas (recognised speech has none), so the text they run on leaves
        # them out; `kept` maps each word of it back to its token.
        # Hesitations ("um", "erm") and a word said twice in a false start ("get get out") are left out
        # too, so spoken replies match the phrases typed ones do.
        # So are the fillers of speech that are never part of what is meant ("you'll be, you know, banned").
        self.kept: list[int] = []
        for i, t in enumerate(self.tokens):
            if t.word == "," or t.word in _HESITATIONS or self._filler(i):
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

    def _filler(self, i: int) -> bool:
        """Whether token `i` is part of a spoken filler inside a sentence: "basically", and "you know"
        or "i mean" where they ask or say nothing ("do you know where", "i mean it" are kept)."""
        words = [t.word for t in self.tokens]
        word = words[i]
        if word == "basically":
            return True
        for pair, before_not, after_not in _FILLER_PAIRS:
            for k in (0, 1):  # token i as the pair's first or second word
                a = i - k
                if a < 0 or a + 1 >= len(words) or (words[a], words[a + 1]) != pair:
                    continue
                before = words[a - 1] if a > 0 else "."
                after = words[a + 2] if a + 2 < len(words) else "."
                # At the start of a sentence it may be meant ("You know, I could..."), unless set off by commas.
                opens = before in {".", ","} and after != ","
                if not opens and before not in before_not and after not in {"."} | after_not:
                    return True
        return False

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
            # Hesitations and a word said twice in a false start do not use up the window: spoken,
            # "I'm not, um, going to, to tell you to calm down" is as negated as typed.
            said_again = i + 1 < len(self.tokens) and self.tokens[i + 1].word == word
            if word not in r.transparent and word not in _HESITATIONS and not said_again:
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

    def category_hits(self, category: Category) -> list[Hit]:
        if category.name not in self._hits:
            self._hits[category.name] = self._category_hits(category)
        return list(self._hits[category.name])

    def needs_context(self) -> bool:
        """Whether the model will likely be asked (no list's trigger is in the reply), so the reply
        is worth reading in context ahead of judging it (see `prepare`)."""
        return not any(self.category_hits(c) for c in self.rubric.categories.values() if c.kind != "technique")

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
            hits = self.category_hits(category)
            if category.name == "reflect" and customer_line:
                hits.extend(self._reflect_overlap(customer_line, category))
            if category.name == "use_name" and customer_name:
                hits.extend(self._name(customer_name, category))
            best = _best(hits)
            if best is not None:
                (techniques if category.kind == "technique" else triggers).append(best)
        # The reply in context is read only when the model will be asked (no trigger was found).
        vectors = self._vectors(model, context=decide_by_model and not triggers)
        if model is not None and vectors is not None:
            techniques.extend(self._head_hits(model, vectors.heads, {h.name for h in techniques}, triggers))
        techniques.sort(key=lambda h: h.start)
        triggers.sort(key=lambda h: h.start)
        # A limit with a choice is not a bare order ("You can't sit here, but you can wait inside").
        if any(h.name == "set_boundary" for h in techniques):
            triggers = [h for h in triggers if h.name != "command"]
        # Their words said back in the same sentence as a trigger are not listening but ammunition:
        # "I don't care what your name is" does not reflect "what's your name?".
        techniques = [h for h in techniques if not (h.pattern == "(their own words)" and
                                                   any(self._same_sentence(h, g) for g in triggers))]
        # Words inside a trigger's own words are part of it: "Do you need me to explain it slower"
        # gives no reason, whatever "to explain" says elsewhere.
        techniques = [h for h in techniques if not any(g.start <= h.start and h.end <= g.end for g in triggers)]
        t_score = sum(h.weight for h in techniques)
        g_score = sum(h.weight for h in triggers)
        strongest = max((h.weight for h in triggers), default=0.0)
        rule_intent, confidence = decide(r, t_score, g_score, strongest, len(self.tokens))
        intent: Intent = rule_intent
        reading: Reading | None = None
        quoted: tuple[str, ...] = ()
        # A trigger a rule found always stands; otherwise the model may overrule the rules when sure.
        if model is not None and not triggers and decide_by_model:
            reading = model.read(self.features(techniques), None if vectors is None else vectors.reply,
                                 words=self.word_count())
            chosen = blend(rule_intent, reading.probabilities, r.model_override, r.model_escalate, r.model_unkind,
                           quoted=bool(techniques))
            if chosen != rule_intent:
                intent = chosen
                confidence = clamp(reading.probabilities[chosen])
                quoted = self._quote(reading, chosen, model, vectors)
            if intent != "escalate" and vectors is not None and len(vectors.spans) > 1:
                worst = self._worst_sentence(model, (vectors.intents, vectors.spans), techniques)
                if worst is not None and worst[0] >= r.sentence_escalate:
                    intent, confidence, quoted = "escalate", clamp(worst[0]), (worst[1],)
        return WordingResult(self.text, intent, confidence, tuple(techniques), tuple(triggers),
                             round(t_score, 3), round(g_score, 3), strongest, r, rule_intent, reading, quoted)

    def word_count(self) -> int:
        return sum(t.word not in (".", ",") for t in self.tokens)

    def _same_sentence(self, a: Hit, b: Hit) -> bool:
        lo, hi = min(a.start, b.start), max(a.end, b.end)
        return not any(t.word == "." and lo <= t.start < hi for t in self.tokens)

    def features(self, techniques: Iterable[Hit], triggers: Iterable[Hit] = ()) -> list[Any]:
        return features(self.model_words(0, len(self.tokens) - 1), "?" in self.text,
                        [h.name for h in techniques], [h.name for h in triggers])

    def model_words(self, first: int, last: int) -> list[str]:
        """The words the statistical model reads, each word after a negation marked "not_" up to the end
        of its clause ("I'm not going to tell you to calm down" -> ... "not_calm", "not_down"):
        unmarked, "fault", "blame" or "calm down" said to reassure weighed like the accusation."""
        r = self.rubric
        out: list[str] = []
        negated = False
        for t in self.tokens[first:last + 1]:
            if t.is_break or t.word in r.clause_words:
                negated = False
                out.append(t.word)
            elif t.word in r.negators:
                negated = True
                out.append(t.word)
            else:
                out.append("not_" + t.word if negated else t.word)
        return out

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

    def _vectors(self, model: WordingModel | None, context: bool = True) -> Meanings | None:
        """The reply's vectors (see `Meanings`); None without a model that uses vectors, or whose
        context encoder is unavailable. Each sentence is embedded once: with "negation" pooling its
        vector is also the first half of its intent reading. Without `context` (the model will not
        be asked), a model that reads the reply in context gets no intent reading (None)."""
        if model is None or not model.uses_vectors:
            return None
        enc = embedding.encoder()
        if enc is None or not self.tokens:
            return None
        encoder = sentence_encoder.encoder() if model.uses_context else None
        if model.uses_context and encoder is None:
            return None
        spans = self.sentences()
        texts = [self._evidence(a, b)[0] for a, b in spans]
        if model.pooling.startswith("negation"):
            n = len(spans)
            vecs = enc.embed_many([*texts, *self.negation_parts(0, len(self.tokens) - 1),
                                   *(self._negated_words(a, b) for a, b in spans)])
            reply, intents = vecs[n:n + 2].reshape(-1), np.concatenate([vecs[:n], vecs[n + 2:]], axis=1)
            if encoder is not None:
                if not context:
                    return Meanings(None, (vecs[:n], spans), spans, None)
                # Each sentence is read with its own words and averages, and the whole reply in
                # context: one encoder pass a reply (a sentence's own pass, for the sentence read
                # on its own, cost a third more time in a file of replies for no measurable gain).
                read = encoder.embed(self.text)
                reply = np.concatenate([reply, read])
                intents = np.concatenate([intents, np.repeat(read[None], n, axis=0)], axis=1)
            return Meanings(reply, (vecs[:n], spans), spans, intents)
        vecs = enc.embed_many([self.text, *texts])
        return Meanings(vecs[0], (vecs[1:], spans), spans, vecs[1:])

    def negation_parts(self, first: int, last: int) -> list[str]:
        """Tokens `first`..`last` as the reply spelled them, and the words among them a negation
        reaches (see `model_words`): the two halves of the "negation" pooling."""
        return [self._evidence(first, last)[0], self._negated_words(first, last)]

    def _negated_words(self, first: int, last: int) -> str:
        """The words among tokens `first`..`last` a negation reaches, as the reply spelled them."""
        return " ".join(self.text[t.start:t.end] for t, w in zip(self.tokens[first:last + 1],
                                                                 self.model_words(first, last), strict=True)
                        if w.startswith("not_"))

    def meaning(self, pooling: str, enc: embedding.Encoder) -> np.ndarray:
        """The whole reply's averaged vectors as an intent model with this pooling reads them (for
        training; the trainer adds the context encoder's vector of `text` after them)."""
        if pooling.startswith("negation"):
            return enc.embed_many(self.negation_parts(0, len(self.tokens) - 1)).reshape(-1)
        return enc.embed(self.text)

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
            # The quote leaves out the sentence's edge punctuation, and its span with it, so the
            # evidence stays the reply's own text at its own place ("F," is quoted as "F").
            start += len(evidence) - len(evidence.lstrip(_EDGE))
            evidence = evidence.strip(_EDGE)
            if not evidence:
                continue
            hits.append(Hit(head.name, evidence, category.weight, start, start + len(evidence),
                            f"(reads like {category.label.lower()}: {probs[best]:.2f})"))
        return hits

    def _worst_sentence(self, model: WordingModel, sentences: tuple[Any, list[tuple[int, int]]],
                        techniques: list[Hit]) -> tuple[float, str] | None:
        """The sentence the model reads as most inflaming, read on its own, and how sure it is."""
        vecs, spans = sentences
        worst: tuple[float, str] | None = None
        for k, (first, last) in enumerate(spans):
            inside = [h.name for h in techniques if self.tokens[first].start <= h.start < self.tokens[last].end + 1]
            words = self.model_words(first, last)
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
               vectors: Meanings | None = None) -> tuple[str, ...]:
        quoted: list[str] = []
        covered: list[tuple[int, int]] = []
        if model is not None and vectors is not None and model.dense is not None and len(vectors.spans) > 1:
            # The sentence whose meaning leans most to the intent comes first: "the clause that showed it".
            scores = model.sentence_scores(vectors.intents)
            c = CLASSES.index(intent)
            margin = scores[:, c] - np.delete(scores, c, axis=1).max(axis=1)
            first, last = vectors.spans[int(margin.argmax())]
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
        parts = [p for p in (t.word for t in raw_tokens(customer_name)) if p not in _TITLES and len(p) >= 2]
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
# Punctuation a quoted sentence is trimmed of.
_EDGE = " ,.;:!?-"
# Spoken fillers of two words: (the words, words before them that make them meant, words after them
# that do). "you know" after "do", "if", "don't" asks or states; before "what", "where", "him" it is
# the verb; "i mean" before "it", "that", "to" is meant.
_FILLER_PAIRS = (
    (("you", "know"), frozenset({"do", "did", "does", "not", "if", "as", "what", "how", "would", "will", "should",
                                 "could", "can", "let", "make", "so", "because", "and", "but", "want", "to"}),
     frozenset({"what", "how", "where", "why", "when", "who", "which", "whether", "that", "it", "him", "her",
                "them", "me", "us", "about", "the", "a", "an", "this", "your", "my", "our", "their", "anything",
                "something", "nothing", "everything", "better", "yourself", "i", "we", "they", "he", "she"})),
    (("i", "mean"), frozenset({"what", "that", "is", "do", "did", "not", "if"}),
     frozenset({"it", "that", "this", "to", "what", "you", "business", "no", "every", "them", "him", "her"})),
)
_HESITATIONS = frozenset({"um", "uh", "erm", "er", "hmm", "uhm", "umm", "mm", "ah", "eh", "uhh", "ehm"})
# Words said twice on purpose ("no no no", "very very sorry", "." after ".").
_REPEATABLE = frozenset({"no", "very", "so", "really", "much", "please", "sorry", "yeah", "yes", "."})
# Words that turn a reply round: what follows is read as its own sentence.
_TURNS = {"but", "though", "although", "however", "still"}
_FILLERS = {"so", "okay", "right", "well", "um", "uh", "erm", "er", "and", "look", "like", "hmm", "then", "now", "just"}
_QUESTION_WORDS = {"what", "how", "why", "where", "when", "which", "who"}
_TELL_ME = {("tell", "me"), ("talk", "me"), ("walk", "me"), ("help", "me"), ("explain", "what")}
_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "that", "this", "there"}
_REPORTING = {"saying", "say", "said", "think", "thinking", "thought", "mean", "meant", "suggesting",
              "suggest", "believe", "telling", "tell", "claiming", "accusing", "calling", "implying",
              "pretend", "pretending", "sure", "that", "suppose", "guess", "reckon", "feel", "know",
              "thinks", "says", "believes", "reckons", "feels", "knows", "suggests"}
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


def matches(rubric: Rubric, text: str, names: Iterable[str]) -> list[Hit]:
    """Every match in `text` of the named categories (`analyse` keeps each one's best only)."""
    analysis = Analysis(rubric, text)
    return [hit for name in names if name in rubric.categories
            for hit in analysis.category_hits(rubric.categories[name])]


# Replies matched ahead of judging (`prepare`), taken by `analyse` as it reaches them.
_prepared: dict[tuple[int, str], Analysis] = {}


def prepare(rubric: Rubric, texts: Iterable[str]) -> list[Analysis]:
    """Match many replies against the lists now (a file of replies), keeping each one's findings
    for `analyse`, so the replies worth reading in context can be read together first. Replies
    prepared before and never judged are forgotten."""
    _prepared.clear()
    made = [Analysis(rubric, text) for text in texts]
    _prepared.update(((id(rubric), a.text), a) for a in made)
    return made


def analyse(rubric: Rubric, text: str, customer_line: str = "", customer_name: str = "",
            model: WordingModel | None | bool = True) -> WordingResult:
    """Judge one reply. `model`: True for the shipped statistical model (only with the shipped
    rubric: it was trained on its findings), False for the rules alone, or a `WordingModel`."""
    chosen = (load_model() if rubric.is_default else None) if model is True else (model or None)
    analysis = _prepared.pop((id(rubric), text), None)
    if analysis is None or analysis.rubric is not rubric:
        analysis = Analysis(rubric, text)
    return analysis.run(customer_line, customer_name, chosen)
