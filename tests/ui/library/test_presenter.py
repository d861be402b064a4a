"""The library screen's presenter against a plain fake view (no window): the cards by difficulty with the
trainee's results, files read again only when one changed and only after the first frame, a banner per
conversation left part-way (the newest first) and its card, discarding one, the filters, broken files."""

from __future__ import annotations

import textwrap
from datetime import timedelta

import pytest
import sqlalchemy as sa

from simulator.engine.loader import load_library
from simulator.records import db
from simulator.records.schema import sessions
from simulator.settings import Settings
from simulator.ui.library.presenter import LibraryPresenter
from tests.records.factories import record
from tests.ui.conftest import BROKEN, SCENARIO


class FakeView:
    """Records what the presenter shows (LibraryView); answers its questions from `answers` (else the first choice)."""

    def __init__(self) -> None:
        self.header = ("", False)
        self.loading: list[bool] = []
        self.banners: list = []
        self.more: str | None = None
        self.scrolled_up = 0
        self.filters: tuple[list[str], str] = ([], "")
        self.cards: list = []
        self.shown: list[str] = []
        self.empty: str | None = None
        self.problems: tuple[str | None, str] = (None, "")
        self.asked: list[str] = []
        self.told: list[str] = []
        self.answers: dict[str, str] = {}

    def show_header(self, greeting, check_microphone): self.header = (greeting, check_microphone)
    def show_loading(self, loading): self.loading.append(loading)
    def show_unfinished(self, banners, more): self.banners, self.more = list(banners), more
    def scroll_to_top(self): self.scrolled_up += 1
    def show_filters(self, keys, current): self.filters = (list(keys), current)
    def check_filter(self, key): self.filters = (self.filters[0], key)
    def show_cards(self, cards): self.cards = list(cards)
    def show_selection(self, shown, empty): self.shown, self.empty = list(shown), empty
    def show_problems(self, title, text=""): self.problems = (title, text)
    def ask(self, title, text, choices):
        self.asked.append(title)
        return self.answers.get(title, choices[0][0])
    def tell(self, title, text, warning=False): self.told.append(text)


def add_scenario(folder, sid: str, **changes: str) -> None:
    """A copy of the parcel scenario as `sid`, with `changes` (field: value) to its top-level fields."""
    text = textwrap.dedent(SCENARIO).replace("id: parcel", f"id: {sid}")
    for field, value in changes.items():
        text = "\n".join(f"{field}: {value}" if line.startswith(f"{field}:") else line for line in text.splitlines())
    (folder / f"{sid}.yaml").write_text(text + "\n", encoding="utf-8")


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


def left_part_way(store, scenario_id: str, n_turns: int, minutes_ago: int, title: str = "The missing parcel"):
    """A conversation this station left before an ending, last saved `minutes_ago`."""
    left = record("Alex", scenario_id, n_turns=n_turns)
    left.scenario_title = title
    store.save(left)
    with db.transaction(store.engine) as conn:
        conn.execute(sa.update(sessions).where(sessions.c.session_id == left.session_id)
                     .values(updated_at=db.now() - timedelta(minutes=minutes_ago)))
    return left


def test_the_cards_come_by_difficulty_with_the_trainees_results(shelf, scenario_dir):
    presenter, view, ctx, _ = shelf
    add_scenario(scenario_dir, "door", difficulty="4", title="A locked door")
    add_scenario(scenario_dir, "desk", difficulty="1", title="At the desk")
    ctx.store.add_trainee("Alex")
    ctx.store.save(record("Alex", "parcel", outcome="resolved", closed=True))
    ctx.store.save(record("Alex", "door", closed=True))  # played, left before an ending
    presenter.refresh()
    assert view.header == ("Welcome back, Alex. Pick a situation to practise. Each takes a few minutes.", True)
    assert [(c.scenario.id, c.best, c.tried, c.resume) for c in view.cards] == [
        ("desk", None, False, None), ("parcel", "resolved", True, None), ("door", None, True, None)]
    assert view.shown == ["desk", "parcel", "door"] and view.empty is None
    assert view.problems == (None, "") and view.banners == [] and view.more is None


def test_without_a_name_nothing_counts_as_tried(shelf):
    presenter, view, ctx, _ = shelf
    ctx.settings = Settings(first_run_done=True, trainee_name="  ", baseline_wav="/tmp/baseline.wav")
    ctx.store.save(record("Alex", "parcel", closed=True))
    presenter.refresh()
    assert view.header == ("Pick a situation to practise. Each takes a few minutes.", False)
    [card] = view.cards
    assert not card.tried and card.best is None


def test_the_files_are_read_again_only_when_one_changed(shelf, scenario_dir):
    presenter, view, ctx, loads = shelf
    presenter.refresh()
    presenter.refresh()
    assert len(loads) == 1 and view.loading == [True, False] and not presenter.loading
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    presenter.refresh()
    assert len(loads) == 2 and view.loading == [True, False, False, False], "the old cards stay while it reloads"
    title, text = view.problems
    assert title == "1 scenario file could not be loaded" and "broken.yaml:" in text and "Traceback" not in text


def test_the_files_are_read_after_the_first_frame(shelf):
    presenter, view, ctx, loads = shelf
    ctx.startup.hold()
    presenter.refresh()
    presenter.refresh()  # a second look while it waits starts no second load
    assert loads == [] and presenter.loading and view.loading == [True] and view.cards == []
    ctx.startup.release()
    assert loads == [1] and not presenter.loading and [c.scenario.id for c in view.cards] == ["parcel"]


def test_a_folder_that_cannot_be_read_still_opens_the_library(shelf):
    presenter, view, ctx, _ = shelf

    def broken():
        raise PermissionError("Permission denied: 'scenarios'")

    ctx.library_loader = broken
    presenter.refresh()
    assert view.cards == [] and view.problems[0] == "1 scenario file could not be loaded"
    assert "the scenario folders could not be read: Permission denied" in view.problems[1]
    assert view.empty == ("No scenarios were found. Scenario files go in the scenarios folder "
                          "(see the problems below if some could not be read).")


def test_every_conversation_left_part_way_has_a_banner_the_newest_first(shelf, scenario_dir):
    presenter, view, ctx, _ = shelf
    add_scenario(scenario_dir, "door", title="A locked door")
    older = left_part_way(ctx.store, "parcel", 1, minutes_ago=5)
    newer = left_part_way(ctx.store, "parcel", 2, minutes_ago=1)
    gone = left_part_way(ctx.store, "no-longer-here", 1, minutes_ago=0)
    presenter.refresh()
    assert [b.session_id for b in view.banners] == [newer.session_id, older.session_id]
    assert gone.session_id not in [r.session_id for r in presenter.unfinished], "its scenario is not in the library"
    first = view.banners[0]
    assert first.title == "The missing parcel" and first.heading == "You left “The missing parcel” part-way through"
    assert first.text.startswith("2 exchanges saved, last on ") and first.text.endswith(
        "Carry on where you stopped, look at how it went so far, or discard it.")
    assert view.banners[1].text.startswith("1 exchange saved, ")
    assert view.more is None and view.scrolled_up == 1
    parcel, door = (next(c for c in view.cards if c.scenario.id == sid) for sid in ("parcel", "door"))
    assert parcel.resume == newer.session_id and parcel.left_note.startswith("You left this part-way: 2 exchanges saved, ")
    assert door.resume is None and door.left_note == ""

    presenter.refresh()  # the same ones again: the trainee's scrolling is left alone
    assert view.scrolled_up == 1


def test_more_than_three_left_part_way_are_counted_below_the_banners(shelf):
    presenter, view, ctx, _ = shelf
    for i in range(5):
        left_part_way(ctx.store, "parcel", 1, minutes_ago=i + 1)
    presenter.refresh()
    assert len(view.banners) == 3 and len(presenter.unfinished) == 5
    assert view.more == ("2 more conversations left part-way: resume each from its scenario's card below, "
                         "or review it under History.")


def test_a_conversation_is_discarded_only_when_asked_to_and_stays_in_the_history(shelf):
    presenter, view, ctx, _ = shelf
    older = left_part_way(ctx.store, "parcel", 1, minutes_ago=5)
    newer = left_part_way(ctx.store, "parcel", 2, minutes_ago=1)
    presenter.refresh()
    presenter.discard(older.session_id)  # the first answer keeps it
    assert view.asked == ["Discard this session?"] and len(view.banners) == 2
    view.answers["Discard this session?"] = "discard"
    presenter.discard(older.session_id)
    assert [b.session_id for b in view.banners] == [newer.session_id]
    assert ctx.store.load(older.session_id).closed  # still in the history, no longer offered
    presenter.discard("not-offered")  # a banner out of date asks nothing
    assert view.asked == ["Discard this session?"] * 2 and view.told == []


def test_the_filters_follow_the_settings_the_library_has(shelf, scenario_dir):
    presenter, view, ctx, _ = shelf
    presenter.show_filters(["retail", "security"])  # as the page shows them before the library is loaded
    assert view.filters == (["all", "retail", "security"], "all")
    for sid, setting in (("desk", "healthcare"), ("lobby", "hotel"), ("bank", "call_centre")):
        add_scenario(scenario_dir, sid, setting=setting)
    presenter.refresh()
    # The known settings in their order, then the others; only those the library has.
    assert view.filters == (["all", "retail", "hotel", "healthcare", "call_centre"], "all")
    presenter.set_filter("healthcare")
    assert view.filters[1] == "healthcare" and view.shown == ["desk"] and view.empty is None

    # The chosen filter stays while its setting does; when the last of it goes, all are shown again.
    (scenario_dir / "parcel.yaml").unlink()
    presenter.refresh()
    assert view.filters == (["all", "hotel", "healthcare", "call_centre"], "healthcare") and view.shown == ["desk"]
    (scenario_dir / "desk.yaml").unlink()
    presenter.refresh()
    assert view.filters == (["all", "hotel", "call_centre"], "all") and sorted(view.shown) == ["bank", "lobby"]


def test_a_filter_with_no_scenarios_says_so(shelf):
    presenter, view, ctx, _ = shelf
    presenter.refresh()
    presenter.set_filter("security")
    assert view.shown == [] and view.empty == "No scenarios for this setting yet."
