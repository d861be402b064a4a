"""A layered (Sugiyama-style) layout of a scenario graph in plain Python: boxes, edge routes, label boxes.

The authoring view draws whatever this returns; keeping the geometry free of Qt lets it be tested
as properties (start on layer 0, no overlapping boxes) and reused by any other front end.

Steps, each the textbook one kept small:
1. Back edges (found by a depth-first search from the start node) are turned round, so the graph
   is acyclic; a conversation that loops back is drawn with its arrow pointing back up.
2. Layers are longest paths from the start node, so a node sits below everything that leads to it.
3. Every edge gets a virtual node on each rank it crosses. Ranks are doubled so each edge has at
   least one, and the first carries the edge's label: labels then take part in the layout and
   can never overlap a box or each other.
4. The order within each rank comes from barycentre sweeps, keeping the order with fewest crossings.
5. Positions across a rank are the closest to each item's neighbours that keep the order and the
   gaps (an isotonic regression, solved exactly by pool-adjacent-violators).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from simulator.engine.model import Condition, Scenario

Direction = Literal["TB", "LR"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A rectangle by its top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> Point:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        return (self.x < other.x + other.w + margin and other.x < self.x + self.w + margin
                and self.y < other.y + other.h + margin and other.y < self.y + self.h + margin)

    def contains(self, p: Point, tolerance: float = 0.5) -> bool:
        return (self.x - tolerance <= p[0] <= self.x + self.w + tolerance
                and self.y - tolerance <= p[1] <= self.y + self.h + tolerance)


@dataclass(frozen=True)
class Edge:
    """An edge to lay out; `label` is the size (w, h) of its label box, or None for no label."""

    source: str
    target: str
    label: tuple[float, float] | None = None


@dataclass(frozen=True)
class Route:
    """Where an edge is drawn: from a point on the source's box to one on the target's, through its ranks."""

    edge: Edge
    points: tuple[Point, ...]
    label: Box | None
    back: bool  # drawn against the flow of the layers (the conversation loops back)


@dataclass
class Layout:
    boxes: dict[str, Box]
    layers: dict[str, int]
    routes: list[Route]
    width: float
    height: float
    # Edges from a node to itself are not drawn as routes; the caller shows them in the node.
    loops: list[Edge] = field(default_factory=list)


@dataclass
class _Item:
    key: str  # a node id, or "~n" for a virtual node
    rank: int
    across: float  # size across the rank (width when layers run top to bottom)
    along: float  # size along the flow
    pos: float = 0.0  # centre across the rank
    index: int = 0  # place in its rank's order
    up: list[_Item] = field(default_factory=list)  # neighbours on the rank before
    down: list[_Item] = field(default_factory=list)  # neighbours on the rank after


def layer_nodes(nodes: Sequence[str], edges: Sequence[tuple[str, str]], start: str,
                sinks: Collection[str] = ()) -> tuple[dict[str, int], set[int]]:
    """Longest-path layers from `start` after turning back edges round; returns layers and back-edge indices.

    `sinks` (a scenario's endings) all go on the last layer, so every outcome reads along the bottom.
    """
    out: dict[str, list[tuple[int, str]]] = {n: [] for n in nodes}
    for i, (a, b) in enumerate(edges):
        out[a].append((i, b))
    back: set[int] = set()
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 finished
    roots = [start, *(n for n in nodes if n != start)]
    for root in roots:
        if root in state:
            continue
        # Iterative DFS: a long chain of nodes must not hit Python's recursion limit.
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            i, nxt = step
            if nxt == start or state.get(nxt) == 1:
                back.add(i)  # everything flows away from the start, so an edge into it always points back
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(out[nxt])))
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for i, (a, b) in enumerate(edges):
        if a == b:
            continue
        src, dst = (b, a) if i in back else (a, b)
        preds[dst].append(src)
    layers: dict[str, int] = {}

    def depth(n: str) -> int:
        if n in layers:
            return layers[n]
        # The graph is acyclic now, so this ends; done iteratively to stay clear of the recursion limit.
        todo = [n]
        while todo:
            cur = todo[-1]
            missing = [p for p in preds[cur] if p not in layers]
            if missing:
                todo.extend(missing)
                continue
            todo.pop()
            layers[cur] = max((layers[p] + 1 for p in preds[cur]), default=0)
        return layers[n]

    for n in nodes:
        depth(n)
    sunk = [n for n in nodes if n in sinks and n != start]
    if sunk:
        last = max([layers[n] for n in nodes if n not in sinks] + [layers[n] - 1 for n in sunk]) + 1
        for n in sunk:
            layers[n] = last
    return layers, back


def _crossings(ranks: list[list[_Item]]) -> int:
    total = 0
    for rank in ranks:
        index = {id(it): i for i, it in enumerate(rank)}
        pairs = [(index[id(a)], b.index) for a in rank for b in a.down]
        # Two edges cross when their ends are in opposite orders on the two ranks.
        for x in range(len(pairs)):
            for y in range(x + 1, len(pairs)):
                (a1, b1), (a2, b2) = pairs[x], pairs[y]
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def _index(ranks: list[list[_Item]]) -> None:
    for rank in ranks:
        for i, it in enumerate(rank):
            it.index = i


def _sweep(ranks: list[list[_Item]], downward: bool) -> None:
    order = range(1, len(ranks)) if downward else range(len(ranks) - 2, -1, -1)
    for r in order:
        rank = ranks[r]
        keyed = []
        for i, it in enumerate(rank):
            nbrs = it.up if downward else it.down
            bary = sum(n.index for n in nbrs) / len(nbrs) if nbrs else float(i)
            keyed.append((bary, i, it))
        keyed.sort(key=lambda k: (k[0], k[1]))
        ranks[r] = [k[2] for k in keyed]
        for i, it in enumerate(ranks[r]):
            it.index = i


def _order(ranks: list[list[_Item]], sweeps: int = 12) -> list[list[_Item]]:
    _index(ranks)
    best = [list(r) for r in ranks]
    best_cost = _crossings(ranks)
    for k in range(sweeps):
        _sweep(ranks, downward=k % 2 == 0)
        cost = _crossings(ranks)
        if cost < best_cost:
            best, best_cost = [list(r) for r in ranks], cost
    _index(best)
    return best


def _isotonic(desired: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence closest (weighted least squares) to `desired`: pool adjacent violators."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for d, w in zip(desired, weights, strict=True):
        blocks.append([d, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _w, count in blocks:
        out.extend([mean] * int(count))
    return out


def _place(rank: list[_Item], desired: list[float], gap: float) -> None:
    """Centres as near `desired` as the order and the gaps allow."""
    offsets = [0.0]
    for a, b in zip(rank, rank[1:], strict=False):
        offsets.append(offsets[-1] + a.across / 2 + gap + b.across / 2)
    # Real nodes pull harder than virtual ones, so edges bend rather than boxes drifting.
    weights = [1.0 if not it.key.startswith("~") else 0.3 for it in rank]
    shifted = _isotonic([d - o for d, o in zip(desired, offsets, strict=True)], weights)
    for it, s, o in zip(rank, shifted, offsets, strict=True):
        it.pos = s + o


def _coordinates(ranks: list[list[_Item]], gap: float, rounds: int = 8) -> None:
    for rank in ranks:
        _place(rank, [0.0] * len(rank), gap)
    for k in range(rounds):
        downward = k % 2 == 0
        order = range(1, len(ranks)) if downward else range(len(ranks) - 2, -1, -1)
        for r in order:
            rank = ranks[r]
            desired = []
            for it in rank:
                nbrs = it.up if downward else it.down
                if not nbrs:
                    nbrs = it.down if downward else it.up
                desired.append(sum(n.pos for n in nbrs) / len(nbrs) if nbrs else it.pos)
            _place(rank, desired, gap)


def layered_layout(sizes: Mapping[str, tuple[float, float]], edges: Sequence[Edge], start: str,
                   direction: Direction = "TB", node_gap: float = 28.0, rank_gap: float = 26.0,
                   margin: float = 16.0, sinks: Collection[str] = ()) -> Layout:
    """Lay out boxes of the given (w, h) sizes and route the edges between them.

    Layers run top to bottom ("TB") or left to right ("LR"). Edges whose ends are not in `sizes`
    are left out; an edge from a node to itself goes to `Layout.loops`. Nodes in `sinks` share the last layer.
    """
    names = list(sizes)
    if start not in sizes:
        raise ValueError(f"start node '{start}' is not among the nodes")
    kept = [e for e in edges if e.source in sizes and e.target in sizes]
    loops = [e for e in kept if e.source == e.target]
    real = [e for e in kept if e.source != e.target]
    layers, back = layer_nodes(names, [(e.source, e.target) for e in real], start, sinks)

    def across_along(w: float, h: float) -> tuple[float, float]:
        return (w, h) if direction == "TB" else (h, w)

    items: dict[str, _Item] = {}
    for n in names:
        a, b = across_along(*sizes[n])
        items[n] = _Item(n, 2 * layers[n], a, b)
    chains: list[tuple[Edge, list[_Item], bool]] = []
    virtual = 0
    for i, e in enumerate(real):
        is_back = i in back
        lo, hi = (e.target, e.source) if is_back else (e.source, e.target)
        chain = [items[lo]]
        for rank in range(items[lo].rank + 1, items[hi].rank):
            # The label rides on the virtual node next to where the edge leaves its source.
            label_rank = items[hi].rank - 1 if is_back else items[lo].rank + 1
            if rank == label_rank and e.label is not None:
                a, b = across_along(*e.label)
            else:
                a, b = 2.0, 0.0
            virtual += 1
            v = _Item(f"~{virtual}", rank, a, b)
            chain.append(v)
        chain.append(items[hi])
        for u, v in zip(chain, chain[1:], strict=False):
            u.down.append(v)
            v.up.append(u)
        chains.append((e, chain, is_back))

    all_items = list(items.values()) + [it for _, chain, _ in chains for it in chain[1:-1]]
    depth = max(it.rank for it in all_items) + 1
    ranks: list[list[_Item]] = [[] for _ in range(depth)]
    # Start from the order the writer listed nodes in (and edges in), which often reads well already.
    for it in all_items:
        ranks[it.rank].append(it)
    ranks = _order(ranks)
    _coordinates(ranks, node_gap)

    # Along the flow: each rank is as thick as its thickest item, with a gap between ranks.
    thickness = [max((it.along for it in rank), default=0.0) for rank in ranks]
    starts: list[float] = []
    cursor = margin
    for t in thickness:
        starts.append(cursor)
        cursor += t + (rank_gap if t > 0 else rank_gap / 2)
    lowest = min(it.pos - it.across / 2 for it in all_items)
    shift = margin - lowest

    def rect(it: _Item) -> Box:
        across0 = it.pos + shift - it.across / 2
        along0 = starts[it.rank] + (thickness[it.rank] - it.along) / 2
        if direction == "TB":
            return Box(across0, along0, it.across, it.along)
        return Box(along0, across0, it.along, it.across)

    def centre(it: _Item) -> Point:
        along = starts[it.rank] + thickness[it.rank] / 2
        across = it.pos + shift
        return (across, along) if direction == "TB" else (along, across)

    boxes = {n: rect(items[n]) for n in names}
    routes: list[Route] = []
    ports = _ports(chains, boxes, direction)
    for index, (e, chain, is_back) in enumerate(chains):
        inner = [centre(v) for v in chain[1:-1]]
        pts = [ports[(index, 0)], *inner, ports[(index, 1)]]
        label_box = None
        if e.label is not None:
            labelled = [v for v in chain[1:-1] if v.along > 0]
            if labelled:
                label_box = rect(labelled[0])
        if is_back:
            pts.reverse()
        routes.append(Route(e, tuple(pts), label_box, is_back))

    extents = list(boxes.values()) + [r.label for r in routes if r.label is not None]
    width = max((b.x + b.w for b in extents), default=0.0) + margin
    height = max((b.y + b.h for b in extents), default=0.0) + margin
    return Layout(boxes, layers, routes, width, height, loops)


def _ports(chains: list[tuple[Edge, list[_Item], bool]], boxes: dict[str, Box],
           direction: Direction) -> dict[tuple[int, int], Point]:
    """Where each edge leaves and enters its boxes: spread along the facing side, in the order of what they lead to.

    Keyed by (chain index, 0 for the upper end / 1 for the lower end) in rank order.
    """
    sides: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    for index, (_e, chain, _back) in enumerate(chains):
        upper, lower = chain[0], chain[-1]
        # The upper end leaves from its box's far side toward the next item; the lower enters its near side.
        sides.setdefault((upper.key, "far"), []).append((chain[1].pos, index, 0))
        sides.setdefault((lower.key, "near"), []).append((chain[-2].pos, index, 1))
    out: dict[tuple[int, int], Point] = {}
    for (node, side), ends in sides.items():
        box = boxes[node]
        ends.sort()
        span = (box.w if direction == "TB" else box.h) * 0.7
        for k, (_pos, index, which) in enumerate(ends):
            t = (k + 1) / (len(ends) + 1)
            if direction == "TB":
                x = box.x + (box.w - span) / 2 + span * t
                out[(index, which)] = (x, box.y + box.h if side == "far" else box.y)
            else:
                y = box.y + (box.h - span) / 2 + span * t
                out[(index, which)] = (box.x + box.w if side == "far" else box.x, y)
    return out


# --------------------------------------------------------------------------------------------------
# Scenarios as graphs


def _names(values: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(values[:most])
    return shown + (f", +{len(values) - most}" if len(values) > most else "")


def describe_condition(condition: Condition | None) -> str:
    """A branch's condition in a few words: "intent: deescalate", "triggers: calm_down, threat", "otherwise"."""
    if condition is None:
        return "otherwise"
    c = condition
    parts: list[str] = []
    if c.intent:
        parts.append(f"intent: {_names(c.intent)}")
    if c.techniques:
        parts.append(f"techniques: {_names(c.techniques)}")
    if c.all_techniques:
        parts.append(f"all of: {_names(c.all_techniques)}")
    if c.min_techniques is not None:
        parts.append(f"≥{c.min_techniques} technique{'s' if c.min_techniques != 1 else ''}")
    if c.triggers:
        parts.append(f"triggers: {_names(c.triggers)}")
    if c.no_triggers is not None:
        parts.append("no triggers" if c.no_triggers else "any trigger")
    if c.tone:
        parts.append(f"tone: {_names(c.tone)}")
    if c.agitation_below is not None:
        parts.append(f"agitation < {c.agitation_below:g}")
    if c.agitation_at_least is not None:
        parts.append(f"agitation ≥ {c.agitation_at_least:g}")
    if c.keywords:
        parts.append("words: " + _names([f"“{k}”" for k in c.keywords], 2))
    return " + ".join(parts)


@dataclass(frozen=True)
class Link:
    """All the branches from one node to one target, in the order they are tried."""

    source: str
    target: str
    branches: tuple[int, ...]  # indices into the source node's branches
    conditions: tuple[str, ...]  # each branch's condition in words


def scenario_links(scenario: Scenario) -> list[Link]:
    """One link per (node, target) pair, so eight branches to the same ending draw as one arrow."""
    grouped: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for nid, node in scenario.nodes.items():
        for i, branch in enumerate(node.branches):
            grouped.setdefault((nid, branch.goto), []).append((i, describe_condition(branch.when)))
    return [Link(src, dst, tuple(i for i, _ in found), tuple(text for _, text in found))
            for (src, dst), found in grouped.items()]
