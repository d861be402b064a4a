"""Small building blocks every screen uses: styled labels, chips, banners, and emptying a layout."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QKeyEvent, Qt  # QtGui's Qt adds mightBeRichText and convertFromPlainText
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def label(text: str = "", role: str | None = None, wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    """A styled label showing `text` as written. Labels show scenario and trainee text, so they are
    plain text unless a caller sets RichText and escapes what it puts in (html.escape)."""
    widget = QLabel(text, parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setObjectName(role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse if wrap
                                   else Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def chip(text: str, kind: str = "chip") -> QLabel:
    """A rounded tag; kind is chip, chipMuted, chip_success, chip_warning or chip_danger."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setObjectName(kind)
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return widget


class Button(QPushButton):
    """A push button that Enter presses when it has the focus, as Space does. Qt's own buttons take
    Enter only inside a dialog; the app's pages are not dialogs, and a trainee who tabs to
    "Check my microphone" and presses Enter expects it to go."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            event.accept()
            self.animateClick()
            return
        super().keyPressEvent(event)


def button(text: str, role: str | None = None, tooltip: str | None = None) -> QPushButton:
    widget = Button(text)
    if role:
        widget.setObjectName(role)
    if tooltip:
        widget.setToolTip(tooltip)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def as_written(text: str) -> str:
    """`text` for a tooltip or an informative text, which Qt renders as HTML when it looks like HTML."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text


def separator() -> QFrame:
    line = QFrame()
    line.setObjectName("sep")
    return line


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property that it selects on has changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class Banner(QFrame):
    """A coloured notice across a screen: a title, a sentence, and optional action buttons."""

    def __init__(self, kind: str = "info", title: str = "", text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"banner_{kind}")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(16)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = label(title, "h3", wrap=True)
        self.text = label(text, None, wrap=True)
        texts.addWidget(self.title)
        texts.addWidget(self.text)
        self.title.setVisible(bool(title))
        self.text.setVisible(bool(text))
        outer.addLayout(texts, 1)
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(8)
        outer.addLayout(self.action_row)

    def set_kind(self, kind: str) -> None:
        self.setObjectName(f"banner_{kind}")
        restyle(self)

    def set_text(self, title: str, text: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.title.setVisible(bool(title))
        self.text.setVisible(bool(text))

    def add_action(self, text: str, role: str | None = None) -> QPushButton:
        widget = button(text, role)
        self.action_row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        return widget


def notice_banner(kind: str = "info") -> Banner:
    """A screen's notice, hidden until something is said, with an OK button that hides it again."""
    banner = Banner(kind)
    banner.setVisible(False)
    banner.add_action("OK").clicked.connect(lambda: banner.setVisible(False))
    return banner


def panel(spacing: int = 8) -> tuple[QFrame, QVBoxLayout]:
    """A raised panel and the column inside it, with the panels' usual margins."""
    frame = QFrame()
    frame.setObjectName("panel")
    column = QVBoxLayout(frame)
    column.setContentsMargins(18, 14, 18, 14)
    column.setSpacing(spacing)
    return frame, column


def finding_row(name: str, evidence: str, good: bool) -> QWidget:
    """A technique (good) or trigger found in a reply, as a ✓/✗ chip and the words it was found in."""
    row = QWidget()
    h = QHBoxLayout(row)
    h.setContentsMargins(0, 0, 0, 0)
    h.setSpacing(8)
    h.addWidget(chip(("✓ " if good else "✗ ") + name, "chip_success" if good else "chip_danger"))
    if evidence:
        h.addWidget(label(f"in “{evidence}”", "small", wrap=True), 1)
    else:
        h.addStretch(1)
    return row


class Page(QWidget):
    """A screen's background, with generous margins that grow with the window."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)


def scrolled_column(outer: QBoxLayout) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """A page's body: a frameless area that scrolls up and down only (when large text outgrows
    the window), added to `outer`, and the column inside it with the pages' margins and spacing.
    Returns (the scroll area, the body widget, its column)."""
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroller)
    body = QWidget()
    scroller.setWidget(body)
    column = QVBoxLayout(body)
    column.setContentsMargins(36, 28, 36, 28)
    column.setSpacing(16)
    return scroller, body, column


def fit_columns(layout: QBoxLayout, available: int) -> None:
    """Lay the layout's parts side by side when they fit in `available` pixels, else one above the other.

    Large text at 1280x720 makes two columns wider than the window; stacking them keeps every word in view.
    """
    parts = [layout.itemAt(i) for i in range(layout.count())]
    widths = [item.minimumSize().width() for item in parts if item is not None and not item.isEmpty()]
    needed = sum(widths) + layout.spacing() * max(0, len(widths) - 1)
    want = QBoxLayout.Direction.LeftToRight if needed <= available else QBoxLayout.Direction.TopToBottom
    if layout.direction() != want:
        layout.setDirection(want)


class ElidedLabel(QLabel):
    """One line of text that shortens itself with "…" when there is not room for all of it.

    It asks for its full width and takes less only when the row has none to spare; the full text
    is its tooltip.
    """

    def __init__(self, role: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if role:
            self.setObjectName(role)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(as_written(text))
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        self.ensurePolished()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        self.ensurePolished()
        return QSize(min(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("M") * 6),
                     super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self._full) <= self.width():
            shown = self._full
        else:
            shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width() - 4))
        if shown != self.text():
            self.setText(shown)

