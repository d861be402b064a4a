"""The authoring screen's graph of a scenario: node and ending boxes, the branches' arrows and labels, zoom.

The layout itself is computed without Qt in `simulator.engine.graph_layout`; this module measures
the text and draws the boxes and arrows.

Signals (GraphView):
    node_clicked(str): a node or ending was clicked (its id).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from simulator.engine.graph_layout import (
    Edge,
    Layout,
    Link,
    Route,
    describe_condition,
    layered_layout,
    scenario_links,
)
from simulator.engine.loader import Problem
from simulator.engine.model import Ending, Node, Scenario
from simulator.ui.common import as_written
from simulator.ui.theme import COLORS, MOOD_COLORS

NODE_W = 210.0
LABEL_W = 178.0
MAX_CONDITION_LINES = 3
OUTCOME_COLORS = {
    "resolved": (COLORS["success"], COLORS["success_soft"]),
    "unresolved": ("#B8860B", COLORS["warning_soft"]),
    "escalated": (COLORS["danger"], COLORS["danger_soft"]),
}



def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _wrap(text: str, metrics: QFontMetricsF, width: float, lines: int) -> list[str]:
    """Word-wrapped into at most `lines` lines, the last elided."""
    words = text.split()
    out: list[str] = []
    current = ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            rest = " ".join(words[i:])
            out.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            return out
    if current:
        out.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return out


def details_html(scenario: Scenario, node_id: str, problems: list[Problem] | None = None) -> str:
    """A node's or ending's lines, model answer, coaching and branches, for the details panel and tooltips."""
    esc = html.escape
    item: Node | Ending | None = scenario.nodes.get(node_id) or scenario.endings.get(node_id)
    if item is None:
        return f"<h3>{esc(node_id)}</h3><p>No node or ending has this id: a branch points to it by mistake.</p>"
    kind = "ending" if isinstance(item, Ending) else "node"
    head = f"<h3 style='margin:0'>{esc(node_id)}</h3><p style='color:{COLORS['muted']}'>{kind}"
    if isinstance(item, Ending):
        head += f" · outcome <b>{item.outcome}</b>"
    head += f" · mood {esc(item.mood) if item.mood else 'follows agitation'}"
    if node_id == scenario.start_node:
        head += " · <b>start</b>"
    parts = [head + "</p>"]
    for p in problems or []:
        parts.append(f"<p style='color:{COLORS['danger']}'>● line {p.line}: {esc(p.message)}</p>")
    parts.append("<p><b>Says</b> (one is picked each run):</p><ul>")
    parts.extend(f"<li>{esc(line)}</li>" for line in item.say)
    parts.append("</ul>")
    if isinstance(item, Ending):
        if item.summary:
            parts.append(f"<p><b>Summary</b> {esc(item.summary)}</p>")
        return "".join(parts)
    if item.model_answer:
        parts.append(f"<p><b>Model answer</b> <i>{esc(item.model_answer)}</i></p>")
    if item.coach:
        parts.append(f"<p><b>Coach</b> {esc(item.coach)}</p>")
    parts.append("<p><b>Branches</b> (tried in order; the first that matches is taken):</p><ol>")
    for branch in item.branches:
        note = f"<br><span style='color:{COLORS['muted']}'>{esc(branch.note)}</span>" if branch.note else ""
        parts.append(f"<li>{esc(describe_condition(branch.when))} → <b>{esc(branch.goto)}</b>{note}</li>")
    parts.append("</ol>")
    return "".join(parts)


class NodeItem(QGraphicsObject):
    """A node (square corners, a mood stripe) or an ending (rounded, coloured by outcome) or a missing target."""

    clicked = Signal(str)

    def __init__(self, node_id: str, kind: str, title: str, subtitle: str, lines: list[str],
                 stripe: str, fill: str, border: str, loops: list[str], size: tuple[float, float]):
        super().__init__()
        self.node_id = node_id
        self.kind = kind  # "node", "ending" or "missing"
        self.title = title
        self.subtitle = subtitle
        self.lines = lines
        self.loops = loops
        self.stripe = QColor(stripe)
        self.fill = QColor(fill)
        self.border = QColor(border)
        self.w, self.h = size
        self.problem_count = 0
        self.selected = False
        self.current = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, False)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-6, -10, self.w + 16, self.h + 16)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0, 0, self.w, self.h)
        radius = 14.0 if self.kind == "ending" else 4.0
        if self.current:
            glow = QPen(QColor(COLORS["focus"]), 7)
            painter.setPen(glow)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), radius + 3, radius + 3)
        pen = QPen(QColor(COLORS["accent"]) if self.selected else self.border, 3 if self.selected else 1.4)
        if self.kind == "missing":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(self.fill)
        painter.drawRoundedRect(rect, radius, radius)
        left = 10.0
        if self.kind == "node":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.stripe)
            painter.drawRect(QRectF(1, 1, 6, self.h - 2))
            left = 14.0
        painter.setPen(QColor(COLORS["text"]))
        painter.setFont(_font(9.5, bold=True))
        bold = QFontMetricsF(_font(9.5, bold=True))
        y = 6.0 + bold.ascent()
        painter.drawText(QPointF(left, y), bold.elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                            self.w - left - 70))
        small = _font(8.0)
        sm = QFontMetricsF(small)
        painter.setFont(small)
        painter.setPen(self.stripe if self.kind != "node" else QColor(COLORS["muted"]))
        painter.drawText(QRectF(self.w - 80, 6, 72, bold.height()), Qt.AlignmentFlag.AlignRight
                         | Qt.AlignmentFlag.AlignVCenter, self.subtitle)
        body = _font(8.5)
        bm = QFontMetricsF(body)
        painter.setFont(body)
        painter.setPen(QColor(COLORS["text"]))
        y += 4
        for line in self.lines:
            y += bm.lineSpacing()
            painter.drawText(QPointF(left, y), line)
        if self.loops:
            painter.setFont(small)
            painter.setPen(QColor(COLORS["muted"]))
            for loop in self.loops:
                y += sm.lineSpacing()
                painter.drawText(QPointF(left, y), sm.elidedText(loop, Qt.TextElideMode.ElideRight, self.w - left - 6))
        if self.problem_count:
            # A red badge on the corner: this node is where a validator problem points.
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(QColor(COLORS["danger"]))
            badge = QRectF(self.w - 12, -9, 20, 20)
            painter.drawEllipse(badge)
            painter.setFont(_font(8.0, bold=True))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(self.problem_count))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit(self.node_id)
        event.accept()


class LabelItem(QGraphicsItem):
    """The conditions of the branches an arrow stands for, one per line, on a white card."""

    def __init__(self, lines: list[str], size: tuple[float, float], color: str):
        super().__init__()
        self.lines = lines
        self.w, self.h = size
        self.color = QColor(color)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self.w, self.h)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.color, 1))
        painter.setBrush(QColor(COLORS["surface"]))
        painter.drawRoundedRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        font = _font(7.8)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(QColor(COLORS["text"]))
        y = 3 + metrics.ascent()
        for line in self.lines:
            painter.drawText(QPointF(5, y), line)
            y += metrics.lineSpacing()


def _edge_path(points: tuple[tuple[float, float], ...]) -> tuple[QPainterPath, QPointF, QPointF]:
    """A smooth path through the route's points (vertical tangents), and the direction it arrives in."""
    path = QPainterPath(QPointF(*points[0]))
    c2 = QPointF(*points[0])
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        dy = (by - ay) / 2
        c1, c2 = QPointF(ax, ay + dy), QPointF(bx, by - dy)
        path.cubicTo(c1, c2, QPointF(bx, by))
    return path, c2, QPointF(*points[-1])


class GraphView(QGraphicsView):
    """A scenario's nodes and branches, zoomable with Ctrl+wheel.

    Signals:
        node_clicked(str): a node or ending was clicked (its id).
    """

    node_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QBrush(QColor(COLORS["surface_alt"])))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Scenario graph")
        self.nodes: dict[str, NodeItem] = {}
        self.layout_: Layout | None = None
        self.links: list[Link] = []
        self.endings_last = True

    def show_scenario(self, scenario: Scenario, problems_by_node: dict[str, list[Problem]]) -> None:
        scene = self.scene()
        scene.clear()
        self.nodes = {}
        links = scenario_links(scenario)
        self.links = links
        known = set(scenario.nodes) | set(scenario.endings)
        missing = sorted({k.target for k in links if k.target not in known})
        body = QFontMetricsF(_font(8.5))
        small = QFontMetricsF(_font(8.0))
        label_metrics = QFontMetricsF(_font(7.8))
        loops: dict[str, list[str]] = {}
        for link in links:
            if link.source == link.target:
                loops.setdefault(link.source, []).extend(f"↻ stays if {c}" for c in link.conditions)

        specs: dict[str, tuple] = {}
        for nid, node in scenario.nodes.items():
            lines = _wrap(node.say[0], body, NODE_W - 20, 2)
            mood = MOOD_COLORS.get(node.mood or "", "#9AA5B0")
            node_loops = loops.get(nid, [])[:2]
            specs[nid] = ("node", nid, node.mood or "", lines, mood, COLORS["surface"], COLORS["border"], node_loops)
        for eid, ending in scenario.endings.items():
            lines = _wrap(ending.say[0], body, NODE_W - 20, 2)
            stroke, fill = OUTCOME_COLORS[ending.outcome]
            specs[eid] = ("ending", eid, ending.outcome, lines, stroke, fill, stroke, [])
        for mid in missing:
            specs[mid] = ("missing", mid, "missing", ["No node or ending has this id."], COLORS["danger"],
                          COLORS["danger_soft"], COLORS["danger"], [])
        sizes: dict[str, tuple[float, float]] = {}
        for nid, spec in specs.items():
            height = 12 + QFontMetricsF(_font(9.5, True)).height() + 4 + body.lineSpacing() * len(spec[3]) \
                + small.lineSpacing() * len(spec[7]) + 4
            sizes[nid] = (NODE_W, max(58.0, height))

        label_lines: dict[tuple[str, str], list[str]] = {}
        edges: list[Edge] = []
        for link in links:
            conditions = list(link.conditions)
            if len(conditions) > MAX_CONDITION_LINES:
                conditions = [*conditions[:MAX_CONDITION_LINES - 1], f"… or {len(conditions) - MAX_CONDITION_LINES + 1} more"]
            shown = [("or " if i else "") + label_metrics.elidedText(c, Qt.TextElideMode.ElideRight, LABEL_W - 24)
                     for i, c in enumerate(conditions)]
            label_lines[(link.source, link.target)] = shown
            width = min(LABEL_W, max(label_metrics.horizontalAdvance(s) for s in shown) + 12)
            edges.append(Edge(link.source, link.target, (width, label_metrics.lineSpacing() * len(shown) + 6)))
        start = scenario.start_node if scenario.start_node in scenario.nodes else next(iter(scenario.nodes))
        layout = layered_layout(sizes, edges, start, direction="TB", node_gap=22, rank_gap=18,
                                sinks=set(scenario.endings) if self.endings_last else ())
        self.layout_ = layout

        for route in layout.routes:
            self._add_route(scenario, route, label_lines[(route.edge.source, route.edge.target)], links)
        for nid, spec in specs.items():
            kind, title, subtitle, lines, stripe, fill, border, node_loops = spec
            item = NodeItem(nid, kind, title, subtitle, lines, stripe, fill, border, node_loops, sizes[nid])
            box = layout.boxes[nid]
            item.setPos(box.x, box.y)
            item.setZValue(2)
            item.problem_count = len(problems_by_node.get(nid, []))
            item.setToolTip(details_html(scenario, nid, problems_by_node.get(nid)))
            item.clicked.connect(self.node_clicked)
            scene.addItem(item)
            self.nodes[nid] = item
        scene.setSceneRect(QRectF(0, 0, layout.width, layout.height))

    def _add_route(self, scenario: Scenario, route: Route, lines: list[str], links: list[Link]) -> None:
        target = route.edge.target
        if target in scenario.endings:
            color = QColor(OUTCOME_COLORS[scenario.endings[target].outcome][0])
            color.setAlpha(150)
        elif target in scenario.nodes:
            color = QColor("#7C8A97")
        else:
            color = QColor(COLORS["danger"])
        path, control, end = _edge_path(route.points)
        pen = QPen(color, 1.4)
        if route.back:
            pen.setStyle(Qt.PenStyle.DashLine)
        item = QGraphicsPathItem(path)
        item.setPen(pen)
        item.setZValue(0)
        self.scene().addItem(item)
        # The arrowhead points along the last stretch of the curve.
        direction = end - control
        length = max(1e-6, (direction.x() ** 2 + direction.y() ** 2) ** 0.5)
        ux, uy = direction.x() / length, direction.y() / length
        tip = end
        base = QPointF(tip.x() - ux * 9, tip.y() - uy * 9)
        left = QPointF(base.x() - uy * 4.5, base.y() + ux * 4.5)
        right = QPointF(base.x() + uy * 4.5, base.y() - ux * 4.5)
        head = self.scene().addPolygon(QPolygonF([tip, left, right]), QPen(color, 1), QBrush(color))
        head.setZValue(1)
        if route.label is not None:
            box = route.label
            label_item = LabelItem(lines, (box.w, box.h), color.name())
            label_item.setPos(box.x, box.y)
            label_item.setZValue(1.5)
            full = next((k for k in links if (k.source, k.target) == (route.edge.source, route.edge.target)), None)
            if full is not None:
                label_item.setToolTip(as_written(f"{full.source} → {full.target}\n" + "\n".join(f"• {c}" for c in full.conditions)))
            self.scene().addItem(label_item)

    def select(self, node_id: str | None) -> None:
        for nid, item in self.nodes.items():
            if item.selected != (nid == node_id):
                item.selected = nid == node_id
                item.update()
        if node_id in self.nodes:
            self.ensureVisible(self.nodes[node_id], 60, 60)

    def set_current(self, node_id: str | None) -> None:
        for nid, item in self.nodes.items():
            if item.current != (nid == node_id):
                item.current = nid == node_id
                item.update()
        if node_id in self.nodes:
            self.ensureVisible(self.nodes[node_id], 60, 60)

    def show_start(self, node_id: str) -> None:
        """A small graph whole (if it stays readable), a large one at full size from its start node."""
        rect = self.scene().sceneRect()
        view = self.viewport().rect()
        scale = min(view.width() / max(1.0, rect.width()), view.height() / max(1.0, rect.height()))
        self.resetTransform()
        if scale >= 0.8:
            self.scale(min(1.0, scale), min(1.0, scale))
            self.centerOn(rect.center())
        elif node_id in self.nodes:
            self.centerOn(self.nodes[node_id])
            # The start at the top of the view, with room to read what follows it.
            self.ensureVisible(self.nodes[node_id], 40, 20)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.25 <= scale <= 2.5:
            self.scale(factor, factor)

    # The smallest zoom at which a node's words can still be read (8.5 pt text at about 6 pt). "Fit"
    # shrinks no further: at 1280x720 a whole large scenario fitted at 0.3 and nothing could be read.
    MIN_READABLE = 0.7

    def fit(self) -> None:
        """The whole graph when it fits readably; else as wide as the view allows (never under
        MIN_READABLE), from the top (the start node), to scroll down through the rest."""
        rect = self.scene().sceneRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return
        whole = min(view.width() / rect.width(), view.height() / rect.height())
        if whole >= self.MIN_READABLE:
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            return
        scale = min(1.0, max(self.MIN_READABLE, view.width() / rect.width()))
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center().x(), rect.top())

    def actual_size(self) -> None:
        self.resetTransform()

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)
