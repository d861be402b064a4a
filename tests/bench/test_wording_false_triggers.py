"""bench/wording_false_triggers.py reads only the rows that are read for errors while tuning, never the
rows that measure the judge (check, holdout and blind splits, the blind corpus)."""

from __future__ import annotations

from bench import train_wording_model as training
from bench import wording_false_triggers


def test_it_reads_the_tuning_rows_and_never_the_measuring_ones():
    rows = wording_false_triggers.tuning_rows()
    assert {r["file"] for r in rows} == {*(f.name for f in training.WRITTEN_FILES), training.HANDWRITTEN_FILE.name,
                                         training.CORPUS_FILE.name, training.DEV_FILE.name, training.FRESH_FILE.name}
    assert {r["split"] for r in rows} <= {"train", "tune", "dev"}
    assert not any(r["file"] in {f.name for f in (training.BLIND_FILE, *training.WRITTEN_APART)} for r in rows)


def test_it_lists_a_pattern_that_fires_on_calm_rows(capsys):
    assert wording_false_triggers.main([]) == 0
    out = capsys.readouterr().out
    assert "replies labelled calming or neutral on which a listed trigger fires" in out
    assert "wording_written.tsv:" in out
