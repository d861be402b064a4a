"""The customers' portraits: all six moods for every customer, each SVG renders, and the script redraws the committed art."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402
from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from scripts.draw_portraits import (  # noqa: E402
    CUSTOMERS_FILE,
    MOODS,
    PORTRAITS_DIR,
    PortraitError,
    draw_all,
    load_customers,
)
from simulator.engine.vocabulary import MOODS as VOCABULARY_MOODS  # noqa: E402

PORTRAITS = list(yaml.safe_load(CUSTOMERS_FILE.read_text(encoding="utf-8")))
SVGS = [PORTRAITS_DIR / portrait / f"{mood}.svg" for portrait in PORTRAITS for mood in MOODS]


def _relative_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*.svg"))
    }


def test_the_script_draws_the_simulators_moods():
    assert MOODS == VOCABULARY_MOODS


def test_there_is_a_default_portrait_for_scenarios_without_art():
    assert "default" in PORTRAITS


@pytest.mark.parametrize("portrait", PORTRAITS)
def test_every_portrait_has_all_six_moods_and_nothing_else(portrait):
    folder = PORTRAITS_DIR / portrait
    assert sorted(p.stem for p in folder.glob("*.svg")) == sorted(MOODS)


def test_no_folder_is_left_without_a_customers_yaml_block():
    folders = {p.name for p in PORTRAITS_DIR.iterdir() if p.is_dir()}
    assert folders == set(PORTRAITS)


@pytest.mark.parametrize("svg", SVGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_portrait_renders_something(qapp, svg):
    # Kept small: the app loads a new one at every change of mood.
    assert svg.stat().st_size < 12_000
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height() == 512
    image = QImage(128, 128, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 128, 128))
    painter.end()
    colours = {image.pixel(x, y) for x in range(0, 128, 4) for y in range(0, 128, 4)}
    assert image.pixelColor(64, 64).alpha() == 255  # the face covers the middle
    assert len(colours) > 12  # a picture, not a flat fill


@pytest.mark.parametrize("portrait", PORTRAITS)
def test_each_mood_looks_different(portrait):
    texts = {(PORTRAITS_DIR / portrait / f"{mood}.svg").read_text(encoding="utf-8") for mood in MOODS}
    assert len(texts) == len(MOODS)


def test_the_script_reproduces_the_committed_art_byte_for_byte(tmp_path):
    written = draw_all(tmp_path)
    assert len(written) == len(PORTRAITS) * len(MOODS)
    drawn, committed = _relative_files(tmp_path), _relative_files(PORTRAITS_DIR)
    assert sorted(drawn) == sorted(committed)
    stale = [name for name in drawn if drawn[name] != committed[name]]
    assert not stale, f"rerun scripts/draw_portraits.py and commit: {stale}"


def test_a_mistake_in_customers_yaml_names_the_portrait_and_field(tmp_path):
    bad = tmp_path / "customers.yaml"
    bad.write_text(
        "sam:\n  name: Sam\n  age: 40\n  skin: '#c68e66'\n"
        "  hair: {style: mohawk}\n  clothes: {style: sweater}\n",
        encoding="utf-8",
    )
    with pytest.raises(PortraitError, match=r"sam\.hair\.style: 'mohawk'"):
        load_customers(bad)


def test_a_trainer_can_add_a_customer(tmp_path):
    extra = tmp_path / "customers.yaml"
    extra.write_text(
        "priya:\n  name: Priya Shah\n  age: 38\n  skin: '#a8714d'\n"
        "  hair: {style: ponytail, colour: '#201814'}\n  clothes: {style: sweater}\n",
        encoding="utf-8",
    )
    written = draw_all(tmp_path / "out", extra)
    assert sorted(p.name for p in written) == sorted(f"{mood}.svg" for mood in MOODS)
    assert "Priya Shah, furious" in (tmp_path / "out" / "priya" / "furious.svg").read_text()
