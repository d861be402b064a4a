"""The wording model's neighbours (simulator.analysis.model.Neighbours): the training replies of each
intent gathered into centres, read beside the linear model, saved beside its JSON and checked."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from simulator.analysis import model as model_module
from simulator.analysis.model import CLASSES, Neighbours, WordingModel, load_model, save_model


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, np.float32)
    return v / np.linalg.norm(v)


def _neighbours() -> Neighbours:
    centres = np.stack([_unit(1, 0, 0), _unit(0.9, 0.1, 0), _unit(0, 1, 0), _unit(0, 0, 1)])
    labels = np.eye(3, dtype=np.float32)[[2, 2, 0, 1]]  # two escalating centres, one calm, one neutral
    return Neighbours(centres, labels, k=3, weight=0.5)


def test_the_share_of_escalating_replies_near_a_reading():
    near = _neighbours()
    assert near.escalate_share(_unit(1, 0.05, 0)) > 0.99
    assert near.escalate_share(_unit(0, 1, 0.1)) < 0.01  # the calm centre is far nearer
    # Between a put-down's centre and a calm one, the nearer weighs more.
    between = near.escalate_share(_unit(0.6, 0.4, 0))
    assert 0.5 < between < 1.0
    assert near.escalate_share(_unit(-1, 0, 0)) == 0.0  # nothing near at all


def _model(neighbours: Neighbours | None) -> WordingModel:
    return WordingModel({"w:move": [0.0, 0.0, 1.0]}, [0.0, 0.0, 0.0], {}, np.zeros((3, 3), np.float32),
                        pooling="negation+context", neighbours=neighbours)


def test_the_whole_reply_shares_its_escalate_reading_with_its_neighbours():
    model = _model(_neighbours())
    vector = _unit(1, 0, 0)
    alone = model.read([], vector).probabilities
    shared = model.read([], vector, words=8).probabilities
    assert alone["escalate"] == pytest.approx(1 / 3)
    assert shared["escalate"] == pytest.approx(0.5 * (1 / 3) + 0.5 * 1.0)
    assert sum(shared.values()) == pytest.approx(1.0)
    assert shared["deescalate"] == pytest.approx(shared["neutral"])  # the rest keeps its proportions
    assert _model(None).read([], vector, words=8).probabilities == alone


def test_neighbours_are_saved_beside_the_model_and_checked(tmp_path, caplog):
    path = tmp_path / "wording_model.json"
    save_model(_model(_neighbours()), path)
    assert json.loads(path.read_text())["neighbours"]["file"] == "wording_model.npz"
    loaded = load_model.__wrapped__(path)
    assert loaded is not None and loaded.neighbours is not None
    assert loaded.neighbours.k == 3 and np.allclose(loaded.neighbours.centres, _neighbours().centres, atol=1e-3)

    # A damaged copy: the model still loads and judges, without them, and the log names the file.
    npz = model_module.neighbours_file(path)
    npz.write_bytes(npz.read_bytes()[:-10])
    with caplog.at_level(logging.WARNING):
        damaged = load_model.__wrapped__(path)
    assert damaged is not None and damaged.neighbours is None
    assert str(npz) in caplog.text and "SHA-256" in caplog.text and "Reinstall" in caplog.text
    npz.unlink()
    assert load_model.__wrapped__(path).neighbours is None


def test_the_shipped_model_has_its_neighbours():
    model = load_model()
    assert model is not None and model.neighbours is not None
    near = model.neighbours
    assert near.centres.shape[1] == 384 and near.labels.shape == (len(near.centres), len(CLASSES))
    assert np.allclose(np.linalg.norm(near.centres, axis=1), 1.0, atol=1e-2)
    assert {int(i) for i in near.labels.argmax(axis=1)} == {0, 1, 2}
