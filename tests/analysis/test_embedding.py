"""The bundled sentence vectors: checked at load, never downloaded, and the judge still works without them."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis import embedding, sentence_encoder
from simulator.analysis.model import load_model
from simulator.analysis.wording import analyse


@pytest.fixture
def fresh_load():
    embedding._load.cache_clear()
    yield
    embedding._load.cache_clear()


def test_the_shipped_vectors_load_and_mean_what_they_say():
    enc = embedding.encoder()
    assert enc is not None, embedding.status()
    a, b, c = enc.embed_many(["you are an idiot", "you're an idiot", "I'd like to help you with this"])
    assert float(np.linalg.norm(a)) == pytest.approx(1.0, abs=1e-5)
    assert a @ b > 0.9 > a @ c


def _copy_package(tmp_path: Path) -> Path:
    root = embedding._package_dir()
    copy = tmp_path / "wordllama"
    for relative, _ in (embedding.WEIGHTS, embedding.TOKENIZER):
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / relative, copy / relative)
    return copy


def test_a_changed_file_is_refused_with_what_to_do(tmp_path, monkeypatch, fresh_load, caplog):
    copy = _copy_package(tmp_path)
    weights = copy / embedding.WEIGHTS[0]
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    monkeypatch.setattr(embedding, "_package_dir", lambda: copy)
    with caplog.at_level(logging.WARNING):
        assert embedding.encoder() is None
    assert "SHA-256 differs" in embedding.status()
    assert "pip install wordllama==0.4.0.post1" in embedding.status()
    assert str(weights) in caplog.text


def test_a_missing_file_is_named(tmp_path, monkeypatch, fresh_load):
    copy = _copy_package(tmp_path)
    (copy / embedding.TOKENIZER[0]).unlink()
    monkeypatch.setattr(embedding, "_package_dir", lambda: copy)
    assert embedding.encoder() is None
    assert embedding.TOKENIZER[0].split("/")[-1] in embedding.status()


def test_without_the_package_the_judge_still_judges_on_words(monkeypatch, fresh_load):
    def missing() -> Path:
        raise embedding.EmbeddingUnavailable("the 'wordllama' package is not installed")
    monkeypatch.setattr(embedding, "_package_dir", missing)
    assert "not installed" in embedding.status()
    assert analyse("Calm down.").intent == "escalate"
    assert analyse("I'm so sorry, let me check that for you now.").intent == "deescalate"


def test_the_shipped_model_uses_the_vectors():
    model = load_model()
    assert model is not None and model.dense is not None
    assert {h.name for h in model.heads} == {"name_emotion", "reflect", "open_question"}


def test_the_shipped_model_reads_the_words_a_negation_reaches_apart():
    from simulator.analysis.matching import Analysis
    from simulator.analysis.wording import load_rubric

    model = load_model()
    assert model is not None and model.pooling == "negation+context"
    width = 2 * embedding.DIM + sentence_encoder.DIM  # the two averages, then the reply in context
    assert model.dense is not None and model.dense.shape == (width, 3)
    negated = Analysis(load_rubric(), "I'm not going to tell you to calm down.")
    assert negated.negation_parts(0, len(negated.tokens) - 1) == [
        "I'm not going to tell you to calm down.", "going to tell you to calm down"]
    said = Analysis(load_rubric(), "I'm going to tell you to calm down.")
    found = negated._vectors(model)
    plain = said._vectors(model)
    assert found is not None and plain is not None
    # One average of each reply's words is nearly the same; the negated words' half tells them apart.
    assert float(found[0][:embedding.DIM] @ plain[0][:embedding.DIM]) > 0.95
    assert np.linalg.norm(found[0][embedding.DIM:2 * embedding.DIM]) == pytest.approx(1.0, abs=1e-3)
    assert not plain[0][embedding.DIM:2 * embedding.DIM].any()
    # Each sentence is read the same way, for the sentence read on its own and the quote.
    assert found[3].shape == (1, width)


def test_a_model_file_says_how_its_vectors_are_pooled():
    from simulator.analysis.model import WordingModel

    model = load_model()
    assert model is not None
    data = model.to_dict()
    assert WordingModel.from_dict(data).pooling == "negation+context"
    # A file from before the pooling was written down averaged the whole reply.
    older = {k: v for k, v in data.items() if k != "pooling"}
    assert WordingModel.from_dict(older).pooling == "mean"
    with pytest.raises(ValueError, match="unknown pooling 'max'"):
        WordingModel.from_dict({**data, "pooling": "max"})


def test_a_technique_found_by_meaning_quotes_the_sentence():
    # "frazzled" is on no list. (With "Honestly," before it, the head retrained on session 8's wider
    # corpus reads it at 0.72, under its 0.9 threshold: a miss, not a false find.)
    result = analyse("Anyone can see you're completely frazzled. The lift is on the left.")
    hits = {h.name: h for h in result.techniques}
    assert "name_emotion" in hits
    assert hits["name_emotion"].evidence in result.text
    assert "lift" not in hits["name_emotion"].evidence


def test_warming_the_judge_loads_the_vectors_before_the_first_reply(fresh_load, tmp_path):
    from simulator.analysis.judge import RubricJudge

    judge = RubricJudge(load_baseline=lambda path: f"baseline of {path.name}")
    judge.warm()
    assert embedding._load.cache_info().currsize == 1
    embedding._load.cache_clear()
    # The conversation presenter builds the trainee's baseline on a worker during the briefing:
    # that warms the words too.
    calibration = tmp_path / "calibration.wav"
    calibration.write_bytes(b"")
    assert judge.baseline(calibration) == "baseline of calibration.wav"
    assert embedding._load.cache_info().currsize == 1
