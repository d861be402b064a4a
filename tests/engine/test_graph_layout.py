"""The scenario graph layout: layers from the start, every edge drawn between its boxes, nothing overlapping."""

from __future__ import annotations

import itertools

import pytest

from simulator import paths
from simulator.engine.graph_layout import (
    Box,
    Edge,
    Layout,
    describe_condition,
    layer_nodes,
    layered_layout,
    scenario_links,
)
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.model import Condition

SHIPPED = scenario_files(paths.SCENARIOS_DIR)


def _layout_of(path, direction="TB") -> tuple[Layout, list]:
    scenario = load_scenario(path)
    links = scenario_links(scenario)
    sizes = {n: (180.0, 60.0) for n in [*scenario.nodes, *scenario.endings]}
    edges = [Edge(k.source, k.target, (140.0, 16.0 * len(k.conditions))) for k in links]
    return layered_layout(sizes, edges, scenario.start_node, direction=direction), edges


def _assert_sound(layout: Layout, edges: list[Edge], start: str) -> None:
    assert layout.layers[start] == 0
    assert all(layer >= 0 for layer in layout.layers.values())
    boxes = list(layout.boxes.values()) + [r.label for r in layout.routes if r.label is not None]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    drawn = {(r.edge.source, r.edge.target) for r in layout.routes} | {(e.source, e.target) for e in layout.loops}
    assert drawn == {(e.source, e.target) for e in edges}
    for route in layout.routes:
        assert len(route.points) >= 2
        assert layout.boxes[route.edge.source].contains(route.points[0])
        assert layout.boxes[route.edge.target].contains(route.points[-1])
        assert route.edge.label is None or route.label is not None
    for box in boxes:
        assert 0 <= box.x and box.x + box.w <= layout.width
        assert 0 <= box.y and box.y + box.h <= layout.height


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_lay_out_soundly(path):
    layout, edges = _layout_of(path)
    _assert_sound(layout, edges, load_scenario(path).start_node)


def test_left_to_right_is_sound_too():
    layout, edges = _layout_of(SHIPPED[0], direction="LR")
    _assert_sound(layout, edges, load_scenario(SHIPPED[0]).start_node)
    start = layout.boxes[load_scenario(SHIPPED[0]).start_node]
    assert start.x == min(b.x for b in layout.boxes.values())


def test_layers_are_longest_paths_and_cycles_point_back():
    nodes = ["a", "b", "c", "d", "end"]
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "a"), ("c", "d"), ("b", "d"), ("d", "end")]
    layers, back = layer_nodes(nodes, edges, "a")
    assert layers == {"a": 0, "b": 1, "c": 2, "d": 3, "end": 4}
    assert back == {3}


def test_edges_into_the_start_point_back_even_from_unreachable_nodes():
    layers, back = layer_nodes(["s", "x", "orphan"], [("s", "x"), ("orphan", "s")], "s")
    assert layers["s"] == 0
    assert back == {1}


def test_crossings_are_avoided_where_possible():
    # Two parallel chains listed crosswise: a sensible order draws them side by side.
    sizes = {n: (60.0, 30.0) for n in ["s", "a1", "b1", "a2", "b2"]}
    edges = [Edge("s", "a1"), Edge("s", "b1"), Edge("a1", "a2"), Edge("b1", "b2")]
    layout = layered_layout({**sizes, "a2": (60, 30), "b2": (60, 30)}, edges, "s")
    order = lambda n: layout.boxes[n].x  # noqa: E731
    assert (order("a1") < order("b1")) == (order("a2") < order("b2"))


def test_self_loops_and_unknown_targets():
    sizes = {"s": (50.0, 20.0), "t": (50.0, 20.0)}
    layout = layered_layout(sizes, [Edge("s", "s"), Edge("s", "t"), Edge("s", "nowhere")], "s")
    assert [(e.source, e.target) for e in layout.loops] == [("s", "s")]
    assert [(r.edge.source, r.edge.target) for r in layout.routes] == [("s", "t")]
    with pytest.raises(ValueError):
        layered_layout(sizes, [], "missing")


def test_box_overlap():
    assert Box(0, 0, 10, 10).overlaps(Box(5, 5, 10, 10))
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 10, 10))


@pytest.mark.parametrize("fields,words", [
    (None, "otherwise"),
    ({"intent": "deescalate"}, "intent: deescalate"),
    ({"triggers": ["calm_down", "threat"]}, "triggers: calm_down, threat"),
    ({"techniques": ["empathy"], "no_triggers": True}, "techniques: empathy + no triggers"),
    ({"min_techniques": 2}, "≥2 techniques"),
    ({"agitation_below": 40}, "agitation < 40"),
    ({"keywords": ["shelf", "stockroom", "bin"]}, "words: “shelf”, “stockroom”, +1"),
])
def test_conditions_in_few_words(fields, words):
    assert describe_condition(Condition(**fields) if fields else None) == words


def test_parallel_branches_become_one_link():
    scenario = load_scenario(paths.SCENARIOS_DIR / "late-pickup.yaml")
    links = scenario_links(scenario)
    pairs = [(k.source, k.target) for k in links]
    assert len(pairs) == len(set(pairs))
    assert sum(len(k.branches) for k in links) == sum(len(n.branches) for n in scenario.nodes.values())


def test_endings_can_share_the_last_layer():
    scenario = load_scenario(SHIPPED[0])
    links = scenario_links(scenario)
    sizes = {n: (180.0, 60.0) for n in [*scenario.nodes, *scenario.endings]}
    edges = [Edge(k.source, k.target, (140.0, 16.0)) for k in links]
    layout = layered_layout(sizes, edges, scenario.start_node, sinks=set(scenario.endings))
    last = max(layout.layers.values())
    assert {layout.layers[e] for e in scenario.endings} == {last}
    assert all(layout.layers[n] < last for n in scenario.nodes)
    _assert_sound(layout, edges, scenario.start_node)
