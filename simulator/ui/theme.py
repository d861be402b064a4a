"""The app's look: one calm, high-contrast palette and the Qt stylesheet built from it at a text size.

Every font size in the stylesheet is derived from the base size times the user's text scale, so
the Settings text-size option reaches every screen (a stylesheet's fixed sizes would otherwise
override the application font).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import QApplication

BASE_PT = 11.0

# Named for their role, not their hue, so a widget asks for "danger", not "red".
COLORS = {
    "bg": "#F3F5F7",
    "surface": "#FFFFFF",
    "surface_alt": "#F8FAFB",
    "border": "#D5DCE3",
    "text": "#1B2733",
    "muted": "#56636F",
    "accent": "#1D6A85",
    "accent_hover": "#16566C",
    "accent_soft": "#E2F0F4",
    "sidebar": "#1C2936",
    "sidebar_text": "#D8E1EA",
    "sidebar_active": "#2B3D4F",
    "success": "#25744F",
    "success_soft": "#E3F3EA",
    "warning": "#9A5B06",
    "warning_soft": "#FCF1DC",
    "danger": "#A83A32",
    "danger_soft": "#FBE6E4",
    "focus": "#F2A900",
}

# Agitation 0..100 runs through these; the meter and chart share them.
AGITATION_STOPS = [(0.0, "#2F8F62"), (0.35, "#7DA83A"), (0.55, "#D8A118"), (0.75, "#D9652B"), (1.0, "#B3261E")]

MOOD_COLORS = {
    "pleased": "#2F8F62",
    "calm": "#5E9E4A",
    "uneasy": "#C99A1A",
    "annoyed": "#D9822B",
    "angry": "#C9482B",
    "furious": "#A3241C",
}

OUTCOME_TEXT = {
    "resolved": ("Resolved", "success"),
    "unresolved": ("Unresolved", "warning"),
    "escalated": ("Escalated", "danger"),
}


def outcome_text(outcome: str | None, restarted: bool = False) -> tuple[str, str]:
    """How a session ended, as a chip says it, and the chip's kind: a session the trainee restarted
    part-way is "Restarted", not "Not finished" (it is not waiting to be resumed)."""
    if outcome in OUTCOME_TEXT:
        return OUTCOME_TEXT[outcome]
    return ("Restarted", "Muted") if restarted else ("Not finished", "Muted")


def color(name: str) -> QColor:
    return QColor(COLORS[name])


def agitation_color(value: float) -> QColor:
    """The colour for an agitation level, blended between the stops."""
    t = max(0.0, min(1.0, value / 100.0))
    for (t0, c0), (t1, c1) in zip(AGITATION_STOPS, AGITATION_STOPS[1:], strict=False):
        if t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            a, b = QColor(c0), QColor(c1)
            return QColor(round(a.red() + (b.red() - a.red()) * f),
                          round(a.green() + (b.green() - a.green()) * f),
                          round(a.blue() + (b.blue() - a.blue()) * f))
    return QColor(AGITATION_STOPS[-1][1])


_ARROWS: dict[str, str] = {}


def arrow_images() -> dict[str, str]:
    """Paths of small up/down arrow PNGs for combo and spin boxes, drawn once per run.

    A stylesheet that styles a combo or spin box's border stops Qt drawing their arrows, and a box
    without an arrow does not look like something that opens; these put the arrows back.
    """
    if _ARROWS and all(Path(p).is_file() for p in _ARROWS.values()):
        return _ARROWS
    folder = Path(tempfile.mkdtemp(prefix="simulator-theme-"))
    for name, colour in (("", COLORS["muted"]), ("_disabled", "#B4BEC8")):
        for direction in ("down", "up"):
            image = QImage(24, 24, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            top, bottom = (7.0, 17.0) if direction == "down" else (17.0, 7.0)
            painter.drawPolygon(QPolygonF([QPointF(3, top), QPointF(21, top), QPointF(12, bottom)]))
            painter.end()
            path = folder / f"{direction}{name}.png"
            image.save(str(path))
            _ARROWS[f"{direction}{name}"] = path.as_posix()
    return _ARROWS


def pt(scale: float, factor: float = 1.0) -> str:
    return f"{BASE_PT * scale * factor:.1f}pt"


def stylesheet(scale: float = 1.0) -> str:
    c = COLORS

    def s(factor: float = 1.0) -> str:
        return pt(scale, factor)

    pad = max(4, round(6 * scale))
    arrows = arrow_images()
    arrow = round(12 * scale)
    return f"""
    QWidget {{ color: {c['text']}; font-size: {s()}; }}
    QMainWindow, QStackedWidget > QWidget#page, QWidget#page {{ background: {c['bg']}; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
    QToolTip {{ background: {c['sidebar']}; color: white; border: none; padding: 4px; }}

    /* Sidebar */
    QFrame#sidebar {{ background: {c['sidebar']}; }}
    QLabel#brand {{ color: white; font-size: {s(1.25)}; font-weight: 700; }}
    QLabel#brandSub {{ color: {c['sidebar_text']}; font-size: {s(0.85)}; }}
    QPushButton#nav {{
        color: {c['sidebar_text']}; background: transparent; border: none; text-align: left;
        padding: {pad + 4}px {pad * 2}px; border-radius: 6px; font-size: {s(1.05)};
    }}
    QPushButton#nav:hover {{ background: {c['sidebar_active']}; color: white; }}
    QPushButton#nav:checked {{ background: {c['accent']}; color: white; font-weight: 600; }}
    QPushButton#nav:focus {{ outline: none; border: 2px solid {c['focus']}; }}
    QLabel#sidebarFoot {{ color: {c['sidebar_text']}; font-size: {s(0.85)}; }}

    /* Text roles */
    QLabel#h1 {{ font-size: {s(1.75)}; font-weight: 700; }}
    QLabel#h2 {{ font-size: {s(1.3)}; font-weight: 600; }}
    QLabel#h3 {{ font-size: {s(1.08)}; font-weight: 600; }}
    QLabel#muted {{ color: {c['muted']}; }}
    QLabel#small {{ color: {c['muted']}; font-size: {s(0.9)}; }}
    QLabel#subtitle {{ font-size: {s(1.3)}; }}
    QLabel#direction {{ color: {c['muted']}; font-style: italic; }}
    QLabel#speaker {{ color: {c['muted']}; font-size: {s(0.9)}; font-weight: 600; }}
    QLabel#transcript {{ color: {c['accent']}; font-size: {s(1.1)}; font-style: italic; }}
    QLabel#score {{ font-size: {s(2.6)}; font-weight: 700; color: {c['accent']}; }}

    /* Chips */
    QLabel#chip {{ background: {c['accent_soft']}; color: {c['accent_hover']}; border-radius: 10px;
                   padding: 2px 10px; font-size: {s(0.88)}; font-weight: 600; }}
    QLabel#chipMuted {{ background: {c['bg']}; color: {c['muted']}; border: 1px solid {c['border']};
                        border-radius: 10px; padding: 2px 10px; font-size: {s(0.88)}; }}
    QLabel#chip_success {{ background: {c['success_soft']}; color: {c['success']}; border-radius: 10px;
                           padding: 2px 10px; font-size: {s(0.88)}; font-weight: 600; }}
    QLabel#chip_warning {{ background: {c['warning_soft']}; color: {c['warning']}; border-radius: 10px;
                           padding: 2px 10px; font-size: {s(0.88)}; font-weight: 600; }}
    QLabel#chip_danger {{ background: {c['danger_soft']}; color: {c['danger']}; border-radius: 10px;
                          padding: 2px 10px; font-size: {s(0.88)}; font-weight: 600; }}

    /* Surfaces */
    QFrame#card {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px; }}
    QFrame#card:hover {{ border-color: {c['accent']}; }}
    QFrame#panel {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px; }}
    QFrame#bubbleCustomer {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 12px; }}
    QFrame#bubbleTrainee {{ background: {c['accent_soft']}; border: 1px solid #C5DEE6; border-radius: 12px; }}
    QFrame#banner_info {{ background: {c['accent_soft']}; border: 1px solid #BFDCE5; border-radius: 8px; }}
    QFrame#banner_warning {{ background: {c['warning_soft']}; border: 1px solid #EBCF97; border-radius: 8px; }}
    QFrame#banner_danger {{ background: {c['danger_soft']}; border: 1px solid #EDB9B3; border-radius: 8px; }}
    QFrame#banner_success {{ background: {c['success_soft']}; border: 1px solid #B5DCC6; border-radius: 8px; }}
    QFrame#topbar {{ background: {c['surface']}; border-bottom: 1px solid {c['border']}; }}
    QFrame#footbar {{ background: {c['surface']}; border-top: 1px solid {c['border']}; }}
    QFrame#sep {{ background: {c['border']}; max-height: 1px; min-height: 1px; }}

    /* Buttons */
    QPushButton {{
        background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 7px;
        padding: {pad}px {pad * 2 + 2}px; font-weight: 600; color: {c['text']};
    }}
    QPushButton:hover {{ border-color: {c['accent']}; background: {c['surface_alt']}; }}
    QPushButton:pressed {{ background: {c['accent_soft']}; }}
    QPushButton:focus {{ border: 2px solid {c['focus']}; }}
    QPushButton:disabled {{ color: #9AA5B0; background: {c['bg']}; border-color: {c['border']}; }}
    QPushButton#primary {{ background: {c['accent']}; color: white; border: 1px solid {c['accent']}; }}
    QPushButton#primary:hover {{ background: {c['accent_hover']}; }}
    QPushButton#primary:focus {{ border: 2px solid {c['focus']}; }}
    QPushButton#primary:disabled {{ background: #9DBAC6; border-color: #9DBAC6; color: #F3F7F9; }}
    QPushButton#danger {{ color: {c['danger']}; }}
    QPushButton#danger:hover {{ border-color: {c['danger']}; background: {c['danger_soft']}; }}
    QPushButton#link {{ background: transparent; border: none; color: {c['accent']}; padding: 2px 4px;
                        text-decoration: underline; }}
    QPushButton#talk {{
        background: {c['accent']}; color: white; border: none; border-radius: 10px;
        padding: {pad * 2}px {pad * 3}px; font-size: {s(1.1)};
    }}
    QPushButton#talk:hover {{ background: {c['accent_hover']}; }}
    QPushButton#talk:focus {{ border: 3px solid {c['focus']}; }}
    QPushButton#talk[listening="true"] {{ background: {c['danger']}; }}
    QPushButton#talk:disabled {{ background: #AFC3CC; color: #EEF3F5; }}
    QPushButton#filter {{ border-radius: 14px; padding: {pad - 1}px {pad * 2}px; font-weight: 500; }}
    QPushButton#filter:checked {{ background: {c['accent']}; color: white; border-color: {c['accent']}; }}

    /* Inputs */
    QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QDoubleSpinBox {{
        background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 7px;
        padding: {pad}px {pad + 2}px; selection-background-color: {c['accent']};
    }}
    QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus {{
        border: 2px solid {c['accent']};
    }}
    QComboBox::drop-down {{ border: none; width: {round(26 * scale)}px; }}
    QComboBox::down-arrow {{ image: url("{arrows['down']}"); width: {arrow}px; height: {arrow}px; }}
    QComboBox::down-arrow:disabled {{ image: url("{arrows['down_disabled']}"); }}
    QSpinBox::up-button, QDoubleSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::down-button {{
        subcontrol-origin: padding; width: {round(24 * scale)}px; border: none;
        border-left: 1px solid {c['border']}; background: {c['surface_alt']};
    }}
    QSpinBox::up-button, QDoubleSpinBox::up-button {{ subcontrol-position: top right;
                                                      border-top-right-radius: 6px; }}
    QSpinBox::down-button, QDoubleSpinBox::down-button {{ subcontrol-position: bottom right;
                                                          border-bottom-right-radius: 6px; }}
    QSpinBox::up-button:hover, QDoubleSpinBox::up-button:hover,
    QSpinBox::down-button:hover, QDoubleSpinBox::down-button:hover {{ background: {c['accent_soft']}; }}
    QSpinBox::up-arrow, QDoubleSpinBox::up-arrow {{ image: url("{arrows['up']}"); width: {arrow - 2}px;
                                                    height: {arrow - 2}px; }}
    QSpinBox::down-arrow, QDoubleSpinBox::down-arrow {{ image: url("{arrows['down']}"); width: {arrow - 2}px;
                                                        height: {arrow - 2}px; }}
    QSpinBox::up-arrow:disabled, QDoubleSpinBox::up-arrow:disabled, QSpinBox::up-arrow:off,
    QDoubleSpinBox::up-arrow:off {{ image: url("{arrows['up_disabled']}"); }}
    QSpinBox::down-arrow:disabled, QDoubleSpinBox::down-arrow:disabled, QSpinBox::down-arrow:off,
    QDoubleSpinBox::down-arrow:off {{ image: url("{arrows['down_disabled']}"); }}
    QComboBox QAbstractItemView {{ background: {c['surface']}; selection-background-color: {c['accent_soft']};
                                   selection-color: {c['text']}; border: 1px solid {c['border']}; }}
    QCheckBox, QRadioButton {{ spacing: 8px; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: {round(15 * scale)}px; height: {round(15 * scale)}px; }}
    /* A keyboard user must see which box has focus: the same amber ring as buttons, not just a tint. */
    QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 5px; padding: 0; }}
    QCheckBox:focus, QRadioButton:focus {{ color: {c['accent']}; border-color: {c['focus']}; }}
    QSlider::groove:horizontal {{ height: 6px; background: {c['border']}; border-radius: 3px; }}
    QSlider::handle:horizontal {{ background: {c['accent']}; width: 18px; margin: -7px 0; border-radius: 9px; }}
    QSlider:focus {{ border: 1px dashed {c['focus']}; }}
    QProgressBar {{ background: {c['border']}; border: none; border-radius: 3px; max-height: 6px; }}
    QProgressBar::chunk {{ background: {c['accent']}; border-radius: 3px; }}
    QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
    QScrollBar::handle:vertical {{ background: #BCC6D0; border-radius: 4px; min-height: 30px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
    QGroupBox {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px;
                 margin-top: {round(16 * scale)}px; padding: {pad * 2}px; padding-top: {round(18 * scale)}px;
                 font-weight: 600; }}
    QGroupBox::title {{ subcontrol-origin: margin; left: 12px; padding: 0 4px; color: {c['text']}; }}
    QMessageBox QLabel {{ font-size: {s()}; }}
    QDialog {{ background: {c['bg']}; }}
    """


def apply_theme(app: QApplication, scale: float = 1.0) -> None:
    """Set the app font, palette and stylesheet for a text scale (Settings.text_scale)."""
    font = QFont(app.font())
    families = [f for f in ("Inter", "Noto Sans", "DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial")]
    font.setFamilies(families)
    font.setPointSizeF(BASE_PT * scale)
    app.setFont(font)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, color("bg"))
    palette.setColor(QPalette.ColorRole.WindowText, color("text"))
    palette.setColor(QPalette.ColorRole.Base, color("surface"))
    palette.setColor(QPalette.ColorRole.AlternateBase, color("surface_alt"))
    palette.setColor(QPalette.ColorRole.Text, color("text"))
    palette.setColor(QPalette.ColorRole.Button, color("surface"))
    palette.setColor(QPalette.ColorRole.ButtonText, color("text"))
    palette.setColor(QPalette.ColorRole.Highlight, color("accent"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#7A8692"))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(scale))
