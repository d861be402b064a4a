"""The authoring screen: a scenario's graph with its problems marked, node details, and a typed play-through.

Signals (AuthoringPage):
    node_selected(str): the trainer picked a node on the graph or in the problems list (its id).

The layout itself is computed without Qt in `simulator.engine.graph_layout`; this module measures
the text, draws the boxes and arrows, and wires the problems list and play-through panel to them.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
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
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyleOptionGraphicsItem,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from simulator.conversation import Conversation
from simulator.engine.graph_layout import (
    Edge,
    Layout,
    Link,
    Route,
    describe_condition,
    layered_layout,
    scenario_links,
)
from simulator.engine.judgement import Judgement, Reply
from simulator.engine.loader import Library, Problem, check_file, read_text
from simulator.engine.model import Ending, Node, Scenario
from simulator.engine.session import Runner, TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS
from simulator.ui.authoring.coverage import CoveragePanel
from simulator.ui.common import Banner, Page, as_written, button, label
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS, MOOD_COLORS, agitation_color

log = logging.getLogger(__name__)

NODE_W = 210.0
LABEL_W = 178.0
MAX_CONDITION_LINES = 3
OUTCOME_COLORS = {
    "resolved": (COLORS["success"], COLORS["success_soft"]),
    "unresolved": ("#B8860B", COLORS["warning_soft"]),
    "escalated": (COLORS["danger"], COLORS["danger_soft"]),
}


# --------------------------------------------------------------------------------------------------
# Reading a file for the view (runs on the task runner)


@dataclass
class Inspection:
    """One scenario file as the authoring view sees it.

    `scenario` is built even when only the graph checks failed (a missing target, an unreachable
    node), so the graph can show where; `playable` says whether the validator accepted it.
    """

    path: Path
    text: str | None
    scenario: Scenario | None
    playable: bool
    problems: list[Problem]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def node_at(self, line: int) -> str | None:
        """The node or ending whose lines hold `line`, if any."""
        for node_id, (first, last) in self.spans.items():
            if first <= line <= last:
                return node_id
        return None


def item_spans(text: str) -> dict[str, tuple[int, int]]:
    """The first and last line (1-based) of every node and ending in the YAML text."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    spans: dict[str, tuple[int, int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return spans
    for key, value in root.value:
        if key.value in ("nodes", "endings") and isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                # A block ends where the next key starts, so its end mark is one line past its text.
                last = v.end_mark.line if v.end_mark.column == 0 else v.end_mark.line + 1
                spans[str(k.value)] = (k.start_mark.line + 1, max(k.start_mark.line + 1, last))
    return spans


def inspect_file(path: Path) -> Inspection:
    text, problems = read_text(path)
    if text is None:
        return Inspection(path, None, None, False, problems)
    scenario, problems = check_file(path)
    playable = scenario is not None
    if scenario is None:
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
            scenario = Scenario.model_validate(data)
        except Exception:  # noqa: BLE001 - anything that stops a model being built means: show the text
            scenario = None
    return Inspection(path, text, scenario, playable, problems, item_spans(text))


def library_files(library: Library) -> list[tuple[Path, str]]:
    """Every scenario file the library saw, loaded or not, with a name for the picker."""
    out: dict[Path, str] = {}
    for sid, path in library.files.items():
        out[path] = f"{library.scenarios[sid].title}  ({path.name})"
    for problem in library.problems:
        path = Path(problem.file)
        if path not in out and path.suffix in (".yaml", ".yml"):
            out[path] = f"{path.name}  (has errors)"
    return sorted(out.items(), key=lambda kv: kv[1].lower())


# --------------------------------------------------------------------------------------------------
# Graph items


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


# --------------------------------------------------------------------------------------------------
# The raw text of a file that cannot be drawn


class RawText(QPlainTextEdit):
    """The file's text with line numbers, the lines with problems highlighted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setAccessibleName("Scenario file text")
        self.error_lines: list[int] = []

    def show_text(self, text: str, lines: list[int]) -> None:
        numbered = [f"{i:4d}  {line}" for i, line in enumerate(text.splitlines(), start=1)]
        self.setPlainText("\n".join(numbered))
        self.error_lines = sorted({n for n in lines if n > 0})
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(COLORS["danger_soft"]))
        fmt.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        for n in self.error_lines:
            block = self.document().findBlockByNumber(n - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            sel.format = fmt
            sel.cursor = QTextCursor(block)
            selections.append(sel)
        self.setExtraSelections(selections)
        if self.error_lines:
            self.go_to(self.error_lines[0])

    def go_to(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()


# --------------------------------------------------------------------------------------------------
# Play-through


def _names(findings, names: dict[str, str]) -> str:
    return ", ".join(f.name for f in findings) or "none"


class PlayPanel(QWidget):
    """Try a scenario by typing: the customer's line, each reply's judgement, the agitation.

    Signals:
        node_changed(str): the conversation moved to this node or ending (its id).
    """

    node_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.scenario: Scenario | None = None
        self.conversation: Conversation | None = None  # not saved: a trial run
        self.busy = False
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.setSpacing(6)
        row = QHBoxLayout()
        row.addWidget(label("Seed", "small"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setValue(1)
        self.seed.setToolTip("The same seed makes the customer pick the same line variants")
        self.seed.setAccessibleName("Seed")
        row.addWidget(self.seed)
        self.restart_button = button("Restart", None, "Start the conversation again from the first node")
        self.restart_button.clicked.connect(self.restart)
        row.addWidget(self.restart_button)
        row.addStretch(1)
        col.addLayout(row)
        meter = QHBoxLayout()
        self.agitation_label = label("Agitation –", "small")
        meter.addWidget(self.agitation_label)
        self.agitation_bar = QProgressBar()
        self.agitation_bar.setRange(0, 100)
        self.agitation_bar.setTextVisible(False)
        meter.addWidget(self.agitation_bar, 1)
        col.addLayout(meter)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Play-through transcript")
        col.addWidget(self.transcript, 1)
        reply_row = QHBoxLayout()
        self.reply = QLineEdit()
        self.reply.setPlaceholderText("Type your reply and press Enter")
        self.reply.setAccessibleName("Your reply")
        self.reply.returnPressed.connect(self._on_reply_return_pressed)
        reply_row.addWidget(self.reply, 1)
        self.send_button = button("Send", "primary")
        self.send_button.clicked.connect(self._on_reply_return_pressed)
        reply_row.addWidget(self.send_button)
        col.addLayout(reply_row)
        self._set_enabled(False)

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Start over with a (possibly reloaded) scenario, or show that this file cannot be played."""
        self.scenario = scenario
        if scenario is None:
            self.conversation = None
            self.transcript.setHtml("<p>This file has errors, so it cannot be played yet. Fix the problems "
                                    "listed and it reloads by itself.</p>")
            self.agitation_label.setText("Agitation –")
            self.agitation_bar.setValue(0)
            self._set_enabled(False)
            self.node_changed.emit("")
            return
        self.restart()

    def restart(self) -> None:
        if self.scenario is None:
            return
        if self.conversation is not None:
            self.conversation.discard()  # a reply still being judged is dropped
        # The judge is fetched for every reply, so phrases.yaml edits apply to the next one.
        self.conversation = Conversation(self.scenario, self.ctx.make_judge, seed=self.seed.value())
        self.transcript.clear()
        self._say()
        self._set_enabled(True)

    @property
    def runner(self) -> Runner | None:
        return self.conversation.runner if self.conversation else None

    def send(self, text: str) -> None:
        conversation = self.conversation
        text = text.strip()
        if conversation is None or conversation.ended or self.busy or not text:
            return
        self.busy = True
        self._set_enabled(False)
        self._append(f"<p style='margin:6px 0 0 0'><b>You:</b> {html.escape(text)}</p>")
        reply = Reply(text)
        # Restarted while the judge was thinking: the judgement is dropped (Conversation.judge).
        conversation.judge(reply, self.ctx.tasks, on_done=lambda _, j: self._on_judged(conversation, reply, j),
                           on_error=self._on_judge_failed, on_dropped=self._on_judgement_dropped)

    def _on_judgement_dropped(self) -> None:
        self.busy = False

    def _on_judged(self, conversation: Conversation, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        turn = conversation.apply(reply, judgement)
        self._show_turn(turn)
        self._say()
        self._set_enabled(not conversation.ended)
        self.reply.clear()
        self.reply.setFocus()

    def _on_judge_failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("judging a typed reply failed", exc_info=exc)
        self._append(f"<p style='color:{COLORS['danger']}'>The reply could not be judged: {html.escape(str(exc))}</p>")
        self._set_enabled(self.runner is not None and not self.runner.ended)

    def _show_turn(self, turn: TurnRecord) -> None:
        j = turn.judgement
        muted = COLORS["muted"]
        techniques = ", ".join(TECHNIQUES.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.techniques)
        triggers = ", ".join(TRIGGERS.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.triggers)
        sign = "+" if turn.applied_delta >= 0 else ""
        self._append(
            f"<p style='color:{muted};margin:0 0 0 12px'>intent <b>{j.intent}</b> ({j.confidence:.2f})"
            f"<br>techniques: {techniques or 'none'}"
            f"<br>triggers: {triggers or 'none'}"
            f"<br>agitation {turn.agitation_before:.0f} → {turn.agitation_after:.0f} ({sign}{turn.applied_delta:.1f})"
            f" · branch {turn.branch_index + 1} → <b>{html.escape(turn.target)}</b></p>")

    def _say(self) -> None:
        runner = self.runner
        if runner is None:
            return
        line = runner.current_line
        name = html.escape(runner.scenario.customer.first_name)
        self._append(f"<p style='margin:6px 0 0 0'><b>{name}</b> <span style='color:{COLORS['muted']}'>"
                     f"({line.mood})</span>: {html.escape(line.text)}</p>")
        if runner.ended:
            ending = runner.scenario.endings[runner.state.ending_id or ""]
            summary = f" {html.escape(ending.summary)}" if ending.summary else ""
            color = OUTCOME_COLORS[ending.outcome][0]
            self._append(f"<p style='color:{color}'><b>Outcome: {ending.outcome}</b>.{summary}</p>")
        value = round(runner.state.agitation)
        self.agitation_label.setText(f"Agitation {value}")
        self.agitation_bar.setValue(value)
        self.agitation_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {agitation_color(value).name()}; }}")
        self.node_changed.emit(line.node_id)

    def _append(self, markup: str) -> None:
        self.transcript.append(markup)
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _set_enabled(self, on: bool) -> None:
        self.reply.setEnabled(on)
        self.send_button.setEnabled(on)
        self.restart_button.setEnabled(self.scenario is not None)

    def _on_reply_return_pressed(self) -> None:
        self.send(self.reply.text())


# --------------------------------------------------------------------------------------------------
# The page


class AuthoringPage(Page):
    node_selected = Signal(str)
    graph: GraphView  # made after the zoom buttons whose slots use it

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.files: list[tuple[Path, str]] = []
        self.inspection: Inspection | None = None
        self.selected: str | None = None
        self.loading = False
        self._wanted: Path | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        outer.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(label("Scenario authoring", "h2"))
        head.addSpacing(12)
        self.picker = QComboBox()
        self.picker.setAccessibleName("Scenario file")
        self.picker.setMinimumWidth(320)
        self.picker.activated.connect(self._on_picker_activated)
        head.addWidget(self.picker, 1)
        self.status = label("", "small")
        head.addWidget(self.status)
        for text, tip, slot in (("−", "Zoom out (Ctrl+wheel)", lambda: self.graph.zoom(1 / 1.2)),
                                ("+", "Zoom in (Ctrl+wheel)", lambda: self.graph.zoom(1.2)),
                                ("Fit", "Show the whole graph, or as much as stays readable (scroll for the rest)",
                                 lambda: self.graph.fit()),
                                ("100%", "Actual size", lambda: self.graph.actual_size())):
            b = button(text, None, tip)
            b.clicked.connect(slot)
            head.addWidget(b)
        outer.addLayout(head)

        self.rubric_banner = Banner("danger")
        self.rubric_banner.setVisible(False)
        outer.addWidget(self.rubric_banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.canvas = QStackedWidget()
        self.graph = GraphView()
        self.graph.node_clicked.connect(self._on_graph_node_clicked)
        self.raw = RawText()
        self.canvas.addWidget(self.graph)
        self.canvas.addWidget(self.raw)
        split.addWidget(self.canvas)

        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.setSpacing(6)
        self.problems_title = label("", "h3")
        side_col.addWidget(self.problems_title)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems")
        self.problems.setMaximumHeight(150)
        self.problems.itemClicked.connect(self._on_problems_item_clicked)
        side_col.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.details = QTextBrowser()
        self.details.setAccessibleName("Node details")
        self.play = PlayPanel(context)
        self.play.node_changed.connect(self._on_play_node_changed)
        self.tabs.addTab(self.details, "Node")
        self.tabs.addTab(self.play, "Try it")
        self.coverage = CoveragePanel(context)
        self.tabs.addTab(self.coverage, "Coverage")
        side_col.addWidget(self.tabs, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 400])
        outer.addWidget(split, 1)
        self.split = split

    # -- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the scenario files again and reload the one shown (both on the task runner)."""
        if self.loading:
            return
        self.loading = True
        self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                              on_error=self._on_library_failed)

    def _on_library_loaded(self, library: Library) -> None:
        self.loading = False
        self.files = library_files(library)
        current = self._wanted or (self.inspection.path if self.inspection else None)
        self.picker.blockSignals(True)
        self.picker.clear()
        for path, name in self.files:
            self.picker.addItem(name, str(path))
        self.picker.blockSignals(False)
        paths = [p for p, _ in self.files]
        if not paths:
            self.status.setText("No scenario files found.")
            return
        chosen = current if current in paths else paths[0]
        self.picker.setCurrentIndex(paths.index(chosen))
        self.open_file(chosen)

    def _on_library_failed(self, exc: BaseException) -> None:
        self.loading = False
        log.error("listing scenario files failed", exc_info=exc)
        self.status.setText(f"The scenario folders could not be read: {exc}")

    def open_file(self, path: Path) -> None:
        self._wanted = Path(path)
        paths = [p for p, _ in self.files]
        if self._wanted in paths:
            self.picker.setCurrentIndex(paths.index(self._wanted))
        self.ctx.tasks.submit(lambda: inspect_file(Path(path)), on_done=self._on_inspected,
                              on_error=self._on_library_failed)

    def _on_inspected(self, inspection: Inspection) -> None:
        if self._wanted is not None and inspection.path != self._wanted:
            return  # the trainer picked another file meanwhile
        same_file = self.inspection is not None and self.inspection.path == inspection.path
        self.inspection = inspection
        self._show_problems(inspection)
        scenario = inspection.scenario
        errors = sum(p.severity == "error" for p in inspection.problems)
        if scenario is None:
            self.canvas.setCurrentWidget(self.raw)
            self.raw.show_text(inspection.text or "", [p.line for p in inspection.problems])
            self.details.setHtml("<p>No graph can be drawn until the YAML and field errors are fixed: "
                                 "the lines with problems are highlighted.</p>")
            self.status.setText(f"{errors} error{'s' if errors != 1 else ''}")
        else:
            by_node: dict[str, list[Problem]] = {}
            for p in inspection.problems:
                node = inspection.node_at(p.line)
                if node is not None:
                    by_node.setdefault(node, []).append(p)
            self.canvas.setCurrentWidget(self.graph)
            self.graph.show_scenario(scenario, by_node)
            self.status.setText(f"{len(scenario.nodes)} nodes · {len(scenario.endings)} endings"
                                + (f" · {errors} error{'s' if errors != 1 else ''}" if errors else ""))
            keep = self.selected if same_file and self.selected in self.graph.nodes else scenario.start_node
            if keep not in self.graph.nodes:
                keep = next(iter(scenario.nodes))
            self.select_node(keep)
            if not same_file:
                self.graph.show_start(keep)
        self.play.set_scenario(scenario if inspection.playable else None)
        self.coverage.set_scenario(scenario)

    def _show_problems(self, inspection: Inspection) -> None:
        self.problems.clear()
        for p in inspection.problems:
            where = f"line {p.line}" if p.line else "file"
            text = f"{where}: {'warning: ' if p.severity == 'warning' else ''}{p.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.line)
            item.setForeground(QColor(COLORS["danger"] if p.severity == "error" else COLORS["warning"]))
            item.setToolTip(as_written(str(p)))
            self.problems.addItem(item)
        count = len(inspection.problems)
        self.problems_title.setText(f"{count} problem{'s' if count != 1 else ''}" if count else "No problems")
        self.problems.setVisible(bool(count))
        # As tall as its problems need, up to a few: the details below matter as much.
        rows = sum(self.problems.visualItemRect(self.problems.item(i)).height() or 40 for i in range(count))
        self.problems.setFixedHeight(min(160, max(40, rows + 8)))

    # -- selection -------------------------------------------------------------------------------
    def select_node(self, node_id: str) -> None:
        inspection = self.inspection
        if inspection is None or inspection.scenario is None:
            return
        self.selected = node_id
        self.graph.select(node_id)
        problems = [p for p in inspection.problems if inspection.node_at(p.line) == node_id]
        self.details.setHtml(details_html(inspection.scenario, node_id, problems))
        self.node_selected.emit(node_id)

    def problem_lines(self) -> list[int]:
        return [self.problems.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.problems.count())]

    def show_rubric_problem(self, message: str | None) -> None:
        """phrases.yaml could not be reloaded (`message`), or None when it is fine again."""
        self.rubric_banner.setVisible(message is not None)
        if message is not None:
            self.rubric_banner.set_text("The phrase lists could not be reloaded; the previous ones are still in use",
                                        message)

    # -- slots -----------------------------------------------------------------------------------
    def _on_picker_activated(self, index: int) -> None:
        if 0 <= index < len(self.files):
            self.selected = None
            self.open_file(self.files[index][0])

    def _on_graph_node_clicked(self, node_id: str) -> None:
        self.select_node(node_id)
        self.tabs.setCurrentWidget(self.details)

    def _on_problems_item_clicked(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole) or 0
        inspection = self.inspection
        if inspection is None:
            return
        if inspection.scenario is None:
            self.raw.go_to(line)
            return
        node = inspection.node_at(line)
        if node is not None:
            self.select_node(node)
            self.tabs.setCurrentWidget(self.details)

    def _on_play_node_changed(self, node_id: str) -> None:
        self.graph.set_current(node_id or None)
