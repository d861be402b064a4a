"""The library screen's presenter against a plain fake view (no window): the cards in order with the trainee's
results, files read again only when one changed, an interrupted session offered and discarded, broken files."""

from __future__ import annotations

import textwrap

import pytest

from simulator.engine.loader import load_library
from simulator.settings import Settings
from simulator.ui.library.presenter import LibraryPresenter
from tests.records.factories import record
from tests.ui.conftest import BROKEN, SCENARIO


class FakeView:
    """Records what the presenter shows (LibraryView); answers its questions from `answers` (else the safe choice)."""

    def __init__(self) -> None:
        self.header = ("", False)
        self.loading: list[bool] = []
        self.unfinished: tuple[str | None, str] = (None, "")
        self.cards: list = []
        self.problems: tuple[str | None, str] = (None, "")
        self.asked: list[str] = []
        self.told: list[str] = []
        self.answers: dict[str, str] = {}

    def show_header(self, greeting, check_microphone): self.header = (greeting, check_microphone)
    def show_loading(self, loading): self.loading.append(loading)
    def show_unfinished(self, title, text=""): self.unfinished = (title, text)
    def show_cards(self, cards): self.cards = list(cards)
    def show_problems(self, title, text=""): self.problems = (title, text)
    def ask(self, title, text, choices):
        self.asked.append(title)
        return self.answers.get(title, choices[0][0])
    def tell(self, title, text, warning=False): self.told.append(text)


@pytest.fixture
def shelf(make_context, scenario_dir):
    """A presenter whose library loads count themselves."""
    view = FakeView()
    ctx = make_context()
    loads: list[int] = []

    def loader():
        loads.append(1)
        return load_library([scenario_dir])

    ctx.library_loader = loader
    ctx.library_signature = lambda: tuple(sorted((p.name, p.stat().st_mtime_ns) for p in scenario_dir.iterdir()))
    return LibraryPresenter(view, ctx), view, ctx, loads


def test_the_cards_come_easiest_first_with_the_trainees_results(shelf, scenario_dir):
    presenter, view, ctx, _ = shelf
    harder = textwrap.dedent(SCENARIO).replace("id: parcel", "id: door").replace("difficulty: 2", "difficulty: 4")
    (scenario_dir / "door.yaml").write_text(harder, encoding="utf-8")
    ctx.store.add_trainee("Alex")
    ctx.store.save(record("Alex", "parcel", outcome="resolved", closed=True))
    presenter.refresh()
    assert view.header == ("Welcome back, Alex. Pick a situation to practise. Each takes a few minutes.", True)
    assert [(c.scenario.id, c.best, c.tried) for c in view.cards] == [("parcel", "resolved", True),
                                                                       ("door", None, False)]
    assert view.problems == (None, "")


def test_the_files_are_read_again_only_when_one_changed(shelf, scenario_dir):
    presenter, view, ctx, loads = shelf
    presenter.refresh()
    presenter.refresh()
    assert len(loads) == 1 and view.loading == [True, False] and not presenter.loading
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    presenter.refresh()
    assert len(loads) == 2
    title, text = view.problems
    assert title == "1 scenario file could not be loaded" and "broken.yaml:" in text and "Traceback" not in text


def test_a_folder_that_cannot_be_read_still_opens_the_library(shelf):
    presenter, view, ctx, _ = shelf

    def broken():
        raise PermissionError("Permission denied: 'scenarios'")

    ctx.library_loader = broken
    presenter.refresh()
    assert view.cards == [] and view.problems[0] == "1 scenario file could not be loaded"
    assert "the scenario folders could not be read: Permission denied" in view.problems[1]


def test_an_interrupted_session_is_offered_and_discarded_only_when_asked_to(shelf):
    presenter, view, ctx, _ = shelf
    ctx.settings = Settings(first_run_done=True, trainee_name="", baseline_wav="/tmp/baseline.wav")
    left = record("Alex", "parcel", n_turns=1)
    left.scenario_title = "The missing parcel"
    ctx.store.save(left)
    presenter.refresh()
    assert view.header == ("Pick a situation to practise. Each takes a few minutes.", False)
    title, text = view.unfinished
    assert title == "You left “The missing parcel” part-way through" and text.startswith("1 exchange saved, last on")
    assert presenter.unfinished is not None and presenter.unfinished.session_id == left.session_id

    presenter.discard_unfinished()  # the first answer keeps it
    assert view.asked == ["Discard this session?"] and view.unfinished[0] is not None
    view.answers["Discard this session?"] = "discard"
    presenter.discard_unfinished()
    assert view.unfinished == (None, "") and presenter.unfinished is None
    assert ctx.store.load(left.session_id).closed  # still in the history, no longer offered
