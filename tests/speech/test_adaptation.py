"""Scenario adaptation: the language model, pronunciations for names, the cache, the scenario's texts."""

from __future__ import annotations

import time
from pathlib import Path

from simulator.engine.loader import load_scenario
from simulator.paths import SCENARIOS_DIR
from simulator.speech import adaptation as adapt
from simulator.speech.adaptation import (
    build_adaptation,
    letter_to_sound,
    normalise,
    phrases_for_scenario,
    pronounce,
)


def test_normalise_spells_numbers_and_drops_punctuation():
    assert normalise("Forty-five minutes? It's 40!") == ["forty", "five", "minutes", "it's", "forty"]


def test_builds_an_arpa_model_pocketsphinx_loads(tmp_path):
    from pocketsphinx import Decoder, NGramModel

    built = build_adaptation(["Kayleigh, your refund is on its way"], ["Kayleigh Brennan"])
    text = built.arpa_path.read_text()
    assert text.startswith("\\data\\") and "\\3-grams:" in text
    assert "kayleigh" in built.vocabulary
    decoder = Decoder(loglevel="FATAL", lm=None)
    model = NGramModel(decoder.config, decoder.get_logmath(), str(built.arpa_path))
    assert model.prob(["refund", "your"]) > model.prob(["refund", "zebra"])


def test_building_is_fast_and_cached_by_content():
    t0 = time.perf_counter()
    first = build_adaptation(["A phrase only this test uses"], ["Zed"])
    assert time.perf_counter() - t0 < 1.0
    assert build_adaptation(["A phrase only this test uses"], ["Zed"]) is first
    assert build_adaptation(["Another phrase"], ["Zed"]).key != first.key


def test_unknown_names_get_pronunciations():
    built = build_adaptation([], ["Kayleigh Okafor"])
    extra = dict(built.extra_words)
    assert extra["kayleigh"].split()[0] == "K"
    assert "okafor" in extra
    # Dictionary words keep the dictionary's pronunciation.
    assert pronounce("stockroom") == "S T AA K R UW M"
    assert letter_to_sound("Jane") == "JH AE N"


def test_phrases_for_the_shipped_scenario():
    scenario = load_scenario(SCENARIOS_DIR / "late-pickup.yaml")
    phrases, names = phrases_for_scenario(scenario)
    assert names == ["Dana Whitfield"]
    assert any("five minutes" in p for p in phrases)  # from a model answer


def test_phrases_for_scenario_reads_any_object_with_the_fields():
    class Branch:
        when = type("When", (), {"keywords": ["refund"]})()

    class Node:
        model_answer = "I can see why you're upset. Let me sort it."
        say = ["Where is my money?"]
        branches = [Branch()]

    scenario = type("S", (), {"customer": type("C", (), {"name": "Sam"})(),
                              "nodes": {"a": Node()}})()
    phrases, names = phrases_for_scenario(scenario)
    assert names == ["Sam"]
    assert "refund" in phrases and "Let me sort it." in phrases


def test_the_reply_corpus_has_a_few_hundred_lines():
    assert len(adapt.reply_corpus()) >= 300
    assert Path(adapt.CORPUS_FILE).exists()


def test_normalise_drops_accents_instead_of_letters():
    assert normalise("Sit in the café") == ["sit", "in", "the", "cafe"]


def test_adaptation_sentences_are_what_the_model_learns_from():
    sentences = adapt.adaptation_sentences(["Your kettle is on its way"], ["Marcus Bell"])
    assert "Your kettle is on its way" in sentences
    assert "I'm sorry Marcus" in sentences
    assert set(adapt.reply_corpus()) <= set(sentences)
    built = build_adaptation(["Your kettle is on its way"], ["Marcus Bell"])
    assert built.sentences == len([s for s in sentences if normalise(s)])


def test_the_bench_replies_are_unseen_by_the_adaptation():
    # bench/asr_accuracy.py measures on these; were they in the corpus, it would flatter it.
    import csv

    bench = Path(__file__).resolve().parents[2] / "bench" / "data" / "inscenario_replies.tsv"
    rows = [r for r in csv.reader(bench.open(encoding="utf-8"), delimiter="\t")
            if r and not r[0].startswith("#")][1:]
    phrases: list[str] = []
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        phrases += phrases_for_scenario(load_scenario(path))[0]
    seen = {tuple(normalise(s)) for s in adapt.adaptation_sentences(phrases, [r[0] for r in rows])}
    assert [r[2] for r in rows if tuple(normalise(r[2])) in seen] == []


def test_british_spellings_take_the_american_pronunciation():
    known = adapt.dictionary_words()
    assert pronounce("organise") == known["organize"]
    assert pronounce("queueing") == known["queuing"]
    assert pronounce("offence") == known["offense"]
