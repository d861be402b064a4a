"""Draws the customers' portraits: one flat-vector SVG per customer and mood, from customers.yaml.

Run it from the repository after editing assets/portraits/customers.yaml:

    .venv/bin/python scripts/draw_portraits.py

Every shape is computed, nothing is random, so the same YAML always gives the same bytes; a test
redraws the art and compares it with the committed files. Qt's SVG renderer ignores clipPath, so
shapes are layered (and eyelids painted in skin colour) instead of clipped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PORTRAITS_DIR = ROOT / "assets" / "portraits"
CUSTOMERS_FILE = PORTRAITS_DIR / "customers.yaml"

# The simulator's moods (simulator/engine/vocabulary.py MOODS); a test keeps the two lists equal.
MOODS: tuple[str, ...] = ("pleased", "calm", "uneasy", "annoyed", "angry", "furious")

SIZE = 512
CX = 256  # the face's centre line
EYE_Y = 242
EYE_DX = 42  # from the centre line to each eye
NOSE_Y = 288
MOUTH_Y = 320
FACE_TOP = 124
CHIN_Y = 352
INK = "#2b2226"  # eyes, lash lines, open mouths


class PortraitError(ValueError):
    """customers.yaml asks for something this script cannot draw."""


# ---------------------------------------------------------------- colour and number helpers


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    if len(text) != 6:
        raise PortraitError(f"colour {colour!r} is not #rrggbb")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def mix(a: str, b: str, t: float) -> str:
    """The colour t of the way from a to b."""
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb, strict=True))


def shade(colour: str, t: float) -> str:
    return mix(colour, "#000000", t)


def tint(colour: str, t: float) -> str:
    return mix(colour, "#ffffff", t)


def n(value: float) -> str:
    """A coordinate, short: integers without a point, others to one decimal."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def pts(*points: tuple[float, float]) -> str:
    return " ".join(f"{n(x)},{n(y)}" for x, y in points)


# ---------------------------------------------------------------- the moods


@dataclass(frozen=True)
class Mood:
    background: str
    brow_lift: float  # negative raises both brows
    brow_inner: float  # positive pulls the inner ends down (anger), negative up (worry)
    brow_arch: float
    brow_width: float
    lid_inner: float  # how far the upper lid sits above the eye's centre line, at the nose side
    lid_outer: float
    lower_lid: float  # below the centre line; negative curves it up into smiling eyes
    iris: float
    glance: float  # sideways look, in pixels
    mouth: str
    flush: float  # cheek flush opacity
    face_flush: float  # a red wash over the whole face
    sweat: bool = False
    furrow: bool = False
    tension: bool = False


MOOD_STYLES: dict[str, Mood] = {
    "pleased": Mood("#bfe2c8", -9, -2, 9, 10, 11, 11, 2, 10, 0, "grin", 0.16, 0),
    "calm": Mood("#c2dbe9", 0, 0, 6, 10, 11, 11, 9, 10, 0, "smile", 0.06, 0),
    "uneasy": Mood("#e3dfc2", -8, -11, 1, 10, 14, 13, 11, 9, -5, "wobble", 0, 0, sweat=True),
    "annoyed": Mood("#f2d19a", 4, 7, 2, 10.5, 6, 8, 8, 10, 0, "flat", 0.16, 0),
    "angry": Mood("#f0b08c", 7, 15, 0, 11, 4, 8, 7, 10, 0, "frown", 0.34, 0.06, furrow=True),
    "furious": Mood(
        "#e98f84", 5, 20, -2, 12, 13, 13, 11, 8, 0, "shout", 0.48, 0.12, furrow=True, tension=True
    ),
}


# ---------------------------------------------------------------- the customers


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    age: int
    skin: str
    eyes: str
    hair: dict
    brows: str
    face_width: float
    jaw: float
    lines: int
    facial_hair: dict
    glasses: dict
    hat: dict
    clothes: dict
    extras: tuple[str, ...]

    @property
    def skin_shadow(self) -> str:
        return shade(self.skin, 0.16)

    @property
    def lips(self) -> str:
        return mix(shade(self.skin, 0.28), "#a0433f", 0.35)


_TOP_KEYS = {
    "name", "age", "skin", "eyes", "hair", "brows", "face", "lines", "facial_hair", "glasses",
    "hat", "clothes", "extras",
}  # fmt: skip


def _block(raw: object, where: str, keys: set[str]) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PortraitError(f"{where}: expected a mapping")
    unknown = set(raw) - keys
    if unknown:
        raise PortraitError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    return dict(raw)


def _style(block: dict, where: str, styles: dict[str, Callable]) -> str:
    style = block.get("style", "none")
    if style not in styles:
        raise PortraitError(f"{where}.style: {style!r} is not one of {', '.join(sorted(styles))}")
    return style


def customer_from(portrait: str, raw: object) -> Customer:
    """One customers.yaml block, checked: an error names the portrait and the field."""
    where = portrait
    data = _block(raw, where, _TOP_KEYS)
    for key in ("name", "age", "skin"):
        if key not in data:
            raise PortraitError(f"{where}.{key}: missing")
    hair = _block(data.get("hair"), f"{where}.hair", {"style", "colour", "grey", "tips"})
    _style(hair, f"{where}.hair", HAIR_STYLES)
    hair.setdefault("colour", "#3a2a22")
    hair.setdefault("grey", 0.0)
    face = _block(data.get("face"), f"{where}.face", {"width", "jaw"})
    facial = _block(data.get("facial_hair"), f"{where}.facial_hair", {"style", "colour"})
    _style(facial, f"{where}.facial_hair", FACIAL_HAIR)
    glasses = _block(data.get("glasses"), f"{where}.glasses", {"style", "colour", "chain"})
    _style(glasses, f"{where}.glasses", GLASSES)
    hat = _block(data.get("hat"), f"{where}.hat", {"style", "colour"})
    _style(hat, f"{where}.hat", HATS)
    clothes = _block(data.get("clothes"), f"{where}.clothes", {"style", "colour", "under", "trim"})
    if "style" not in clothes:
        raise PortraitError(f"{where}.clothes.style: missing")
    _style(clothes, f"{where}.clothes", CLOTHES)
    clothes.setdefault("colour", "#5d7a8c")
    extras = tuple(data.get("extras") or ())
    for extra in extras:
        if extra not in EXTRAS:
            raise PortraitError(f"{where}.extras: {extra!r} is not one of {', '.join(sorted(EXTRAS))}")
    age = int(data["age"])
    lines = data.get("lines", 0 if age < 35 else 1 if age < 50 else 2 if age < 65 else 3)
    hair_colour = mix(hair["colour"], "#c9c6c2", float(hair["grey"]) * 0.5)
    return Customer(
        id=portrait,
        name=str(data["name"]),
        age=age,
        skin=str(data["skin"]),
        eyes=str(data.get("eyes", "#4a3326")),
        hair=hair,
        brows=str(data.get("brows", shade(hair_colour, 0.25))),
        face_width=float(face.get("width", 90)),
        jaw=float(face.get("jaw", 52)),
        lines=int(lines),
        facial_hair=facial,
        glasses=glasses,
        hat=hat,
        clothes=clothes,
        extras=extras,
    )


def load_customers(path: Path = CUSTOMERS_FILE) -> list[Customer]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise PortraitError(f"{path}: expected one block per portrait")
    customers = []
    for portrait, block in raw.items():
        if not isinstance(portrait, str) or not portrait.replace("-", "").replace("_", "").isalnum():
            raise PortraitError(f"{path}: {portrait!r} is not a usable folder name")
        try:
            customers.append(customer_from(portrait, block))
        except PortraitError as exc:
            raise PortraitError(f"{path}: {exc}") from None
    return customers


# ---------------------------------------------------------------- SVG helpers


def el(tag: str, **attrs: object) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f'{name}="{n(value) if isinstance(value, float | int) else value}"')
    return f"<{tag} {' '.join(parts)}/>"


def path(d: str, fill: str = "none", **attrs: object) -> str:
    return el("path", d=d, fill=fill, **attrs)


def stroke(d: str, colour: str, width: float, opacity: float | None = None) -> str:
    return path(
        d, stroke=colour, stroke_width=width, stroke_linecap="round", stroke_linejoin="round",
        opacity=opacity,
    )  # fmt: skip


class Portrait:
    """The geometry every layer shares for one customer."""

    def __init__(self, customer: Customer, mood: Mood):
        self.c = customer
        self.m = mood
        self.w = customer.face_width
        self.defs: list[str] = []

    def face_path(self) -> str:
        w, j, t, b, e = self.w, self.c.jaw, FACE_TOP, CHIN_Y, EYE_Y
        return (
            f"M{pts((CX, t))}C{pts((CX + 0.56 * w, t), (CX + w, t + 0.36 * (e - t)), (CX + w, e))}"
            f"C{pts((CX + w, e + 0.62 * (b - e)), (CX + j, b), (CX, b))}"
            f"C{pts((CX - j, b), (CX - w, e + 0.62 * (b - e)), (CX - w, e))}"
            f"C{pts((CX - w, t + 0.36 * (e - t)), (CX - 0.56 * w, t), (CX, t))}Z"
        )

    def pattern(self, pid: str, size: float, background: str | None, shapes: str) -> str:
        """A tiled fill. Qt can leave hairline seams between tiles, so a pattern laid over a solid
        fill of the same shape is best given no background of its own."""
        back = el("rect", width=size, height=size, fill=background) if background else ""
        self.defs.append(
            f'<pattern id="{pid}" width="{n(size)}" height="{n(size)}" patternUnits="userSpaceOnUse">'
            f"{back}{shapes}</pattern>"
        )
        return f"url(#{pid})"


# ---------------------------------------------------------------- background and body


def background(p: Portrait) -> list[str]:
    bg = p.m.background
    return [
        el("rect", width=SIZE, height=SIZE, rx=44, fill=bg),
        el("circle", cx=CX, cy=250, r=206, fill=tint(bg, 0.32)),
    ]


def torso_path(depth: float = 28, half: float = 44, top: float = 402, v: bool = False) -> str:
    """The shoulders, with a scooped (or V) neckline `half` wide; a scoop dips depth / 2."""
    neckline = f"L{pts((CX, top + depth))}" if v else f"Q{pts((CX, top + depth))}"
    return (
        f"M48,512C48,448 96,418 166,409L{pts((CX - half, top))}"
        f"{neckline} {pts((CX + half, top))}L346,409C416,418 464,448 464,512Z"
    )


def neck(p: Portrait) -> list[str]:
    return [path(f"M{pts((CX - 37, 290), (CX - 40, 470), (CX + 40, 470), (CX + 37, 290))}Z", p.c.skin)]


def chin_shadow(p: Portrait) -> list[str]:
    return [
        path(
            f"M{pts((CX - 40, 318))}Q{pts((CX, 404), (CX + 40, 318))}L{pts((CX + 40, 296), (CX - 40, 296))}Z",
            p.c.skin_shadow,
        )
    ]


def clothes_sweater(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    rib = shade(col, 0.14)
    return [
        path(torso_path(26, 46), col),
        stroke(f"M{pts((CX - 47, 403))}Q{pts((CX, 440), (CX + 47, 403))}", rib, 12),
        stroke("M150,470Q160,490 158,512M362,470Q352,490 354,512", shade(col, 0.08), 4),
    ]


def clothes_hoodie(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    dark = shade(col, 0.18)
    return [
        path(torso_path(34, 40), col),
        # The hood bunched round the neck, and its opening crossing at the front.
        path(
            f"M{pts((CX - 96, 420))}C{pts((CX - 90, 378), (CX - 52, 370), (CX - 40, 396))}"
            f"Q{pts((CX, 452), (CX + 40, 396))}C{pts((CX + 52, 370), (CX + 90, 378), (CX + 96, 420))}"
            f"C{pts((CX + 70, 462), (CX - 70, 462), (CX - 96, 420))}Z",
            dark,
        ),
        path(
            f"M{pts((CX - 40, 398))}Q{pts((CX, 450), (CX + 40, 398))}Q{pts((CX, 476), (CX - 40, 398))}Z",
            shade(col, 0.35),
        ),
        stroke(f"M{pts((CX - 22, 446), (CX - 26, 500))}M{pts((CX + 22, 446), (CX + 26, 500))}", tint(col, 0.7), 5),
        el("rect", x=CX - 30, y=496, width=8, height=14, rx=3, fill=tint(col, 0.45)),
        el("rect", x=CX + 22, y=496, width=8, height=14, rx=3, fill=tint(col, 0.45)),
    ]


def _lapels(col: str, open_half: float, bottom_half: float) -> list[str]:
    """Two front panels of a jacket or cardigan, open in a V over what is underneath."""
    return [
        path(f"M48,512C48,448 96,418 166,409L{pts((CX - open_half, 403), (CX - bottom_half, 512))}Z", col),
        path(f"M464,512C464,448 416,418 346,409L{pts((CX + open_half, 403), (CX + bottom_half, 512))}Z", col),
    ]


def clothes_blazer(p: Portrait) -> list[str]:
    col, under = p.c.clothes["colour"], p.c.clothes.get("under", "#f3eee6")
    lapel = shade(col, 0.22)
    return [
        path(torso_path(30, 44), under),
        stroke(f"M{pts((CX - 44, 403), (CX - 6, 440), (CX - 30, 446))}", shade(under, 0.12), 3),
        stroke(f"M{pts((CX + 44, 403), (CX + 6, 440), (CX + 30, 446))}", shade(under, 0.12), 3),
        *_lapels(col, 46, 12),
        path(f"M{pts((CX - 46, 403), (CX - 78, 442), (CX - 58, 452), (CX - 14, 512), (CX - 12, 512))}Z", lapel),
        path(f"M{pts((CX + 46, 403), (CX + 78, 442), (CX + 58, 452), (CX + 14, 512), (CX + 12, 512))}Z", lapel),
    ]


def clothes_cardigan(p: Portrait) -> list[str]:
    col, under = p.c.clothes["colour"], p.c.clothes.get("under", "#f4efe4")
    trim = shade(col, 0.15)
    gold = "#d9a93b"
    return [
        path(torso_path(24, 44), under),
        # A rounded blouse collar.
        path(f"M{pts((CX - 46, 402))}Q{pts((CX - 40, 440), (CX - 2, 432))}Q{pts((CX - 20, 418), (CX - 40, 400))}Z", "#ffffff"),
        path(f"M{pts((CX + 46, 402))}Q{pts((CX + 40, 440), (CX + 2, 432))}Q{pts((CX + 20, 418), (CX + 40, 400))}Z", "#ffffff"),
        *_lapels(col, 56, 34),
        stroke(f"M{pts((CX - 56, 404), (CX - 34, 512))}M{pts((CX + 56, 404), (CX + 34, 512))}", trim, 9),
        el("circle", cx=CX - 46, cy=478, r=5, fill=trim),
        # The brooch.
        el("circle", cx=CX + 86, cy=456, r=13, fill=gold),
        el("circle", cx=CX + 86, cy=456, r=7, fill="#5a8fc4"),
        el("circle", cx=CX + 84, cy=454, r=2.5, fill="#ffffff", opacity=0.8),
    ]


def _collar(col: str, spread: float, length: float) -> list[str]:
    """Shirt collar points either side of the neck."""
    return [
        path(f"M{pts((CX - 42, 398), (CX - 4 - spread, 398 + length), (CX - 2, 430))}Q{pts((CX - 26, 408), (CX - 42, 398))}Z", col),
        path(f"M{pts((CX + 42, 398), (CX + 4 + spread, 398 + length), (CX + 2, 430))}Q{pts((CX + 26, 408), (CX + 42, 398))}Z", col),
    ]


def clothes_checked_shirt(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    base = p.c.clothes.get("under", "#eef0f2")
    band = f'<rect width="28" height="13" fill="{col}" opacity="0.5"/><rect width="13" height="28" fill="{col}" opacity="0.5"/>'
    fill = p.pattern("check", 28, None, band)
    return [
        path(torso_path(22, 40), base),
        path(torso_path(22, 40), fill),
        *_collar(mix(col, base, 0.35), 30, 40),
        stroke(f"M{pts((CX, 432), (CX, 512))}", shade(col, 0.2), 3),
        el("circle", cx=CX + 7, cy=458, r=3.5, fill="#f7f7f7"),
        el("circle", cx=CX + 7, cy=494, r=3.5, fill="#f7f7f7"),
    ]


def clothes_going_out_shirt(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    print_ = p.c.clothes.get("trim", tint(col, 0.35))  # the shirt's printed motif
    leaves = el("ellipse", cx=10, cy=10, rx=6, ry=2.6, fill=print_, transform="rotate(-35 10 10)") + el(
        "ellipse", cx=30, cy=30, rx=6, ry=2.6, fill=print_, transform="rotate(35 30 30)"
    )
    fill = p.pattern("print", 40, None, leaves)
    return [
        path(torso_path(48, 38, v=True), col),
        path(torso_path(48, 38, v=True), fill),
        *_collar(shade(col, 0.18), 44, 40),
        el("circle", cx=CX, cy=480, r=3.5, fill=tint(col, 0.6)),
    ]


def clothes_denim_jacket(p: Portrait) -> list[str]:
    col, under = p.c.clothes["colour"], p.c.clothes.get("under", "#f5f3ee")
    seam = tint(col, 0.45)
    return [
        path(torso_path(22, 40), under),
        *_lapels(col, 44, 26),
        *_collar(shade(col, 0.15), 48, 46),
        stroke("M130,452Q170,448 204,458M382,452Q342,448 308,458", seam, 2.5, 0.8),
        el("rect", x=148, y=462, width=50, height=34, rx=6, fill=shade(col, 0.1)),
        el("rect", x=314, y=462, width=50, height=34, rx=6, fill=shade(col, 0.1)),
        el("circle", cx=173, cy=486, r=4, fill="#c9a45a"),
        el("circle", cx=339, cy=486, r=4, fill="#c9a45a"),
    ]


def clothes_wax_jacket(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    trim = p.c.clothes.get("trim", "#6b4a2e")
    under = p.c.clothes.get("under", "#6e3b34")
    worn = tint(col, 0.3)
    return [
        path(torso_path(30, 44), under),
        *_lapels(col, 46, 22),
        # Cord collar turned up round the neck.
        path(f"M{pts((CX - 48, 398), (CX - 90, 414), (CX - 62, 452), (CX - 40, 408))}Z", trim),
        path(f"M{pts((CX + 48, 398), (CX + 90, 414), (CX + 62, 452), (CX + 40, 408))}Z", trim),
        # Worn, paler patches where the wax has rubbed off.
        path("M100,474C110,460 134,464 130,478C126,492 104,490 100,474Z", worn, opacity=0.3),
        path("M384,456C398,450 410,462 402,472C394,480 378,468 384,456Z", worn, opacity=0.3),
        stroke(f"M{pts((CX - 30, 470), (CX - 24, 512))}", shade(col, 0.3), 3),
        el("rect", x=CX + 64, y=480, width=58, height=8, rx=3, fill=shade(col, 0.2)),
    ]


def clothes_party_top(p: Portrait) -> list[str]:
    col = p.c.clothes["colour"]
    glint = p.c.clothes.get("trim", tint(col, 0.7))
    sequins = "".join(
        el("circle", cx=x, cy=y, r=r, fill=glint, opacity=o)
        for x, y, r, o in [(6, 8, 3, 0.9), (26, 4, 2, 0.5), (40, 18, 2.6, 0.75), (16, 26, 1.8, 0.6),
                           (30, 36, 3, 0.85), (8, 42, 2, 0.5), (44, 44, 1.6, 0.6)]
    )  # fmt: skip
    fill = p.pattern("sequins", 48, None, sequins)
    star = "M0,-10L2.4,-2.4L10,0L2.4,2.4L0,10L-2.4,2.4L-10,0L-2.4,-2.4Z"
    return [
        path(torso_path(34, 52, 408), col),
        path(torso_path(34, 52, 408), fill),
        stroke(f"M{pts((CX - 52, 408))}Q{pts((CX, 442), (CX + 52, 408))}", shade(col, 0.25), 4),
        path(star, "#ffffff", transform=f"translate({CX - 100},466)"),
        path(star, "#ffffff", transform=f"translate({CX + 108},444) scale(0.7)"),
        path(star, "#ffffff", transform=f"translate({CX + 46},494) scale(0.6)"),
    ]


CLOTHES: dict[str, Callable[[Portrait], list[str]]] = {
    "sweater": clothes_sweater,
    "hoodie": clothes_hoodie,
    "blazer": clothes_blazer,
    "cardigan": clothes_cardigan,
    "checked_shirt": clothes_checked_shirt,
    "going_out_shirt": clothes_going_out_shirt,
    "denim_jacket": clothes_denim_jacket,
    "wax_jacket": clothes_wax_jacket,
    "party_top": clothes_party_top,
}


# ---------------------------------------------------------------- hair


def _hair_colours(p: Portrait) -> tuple[str, str]:
    base = mix(p.c.hair["colour"], "#c9c6c2", float(p.c.hair["grey"]) * 0.5)
    return base, shade(base, 0.2)


def _grey_streaks(p: Portrait, strokes: str) -> list[str]:
    grey = float(p.c.hair["grey"])
    return [stroke(strokes, "#dcd8d2", 4, round(min(grey * 2, 0.9), 2))] if grey > 0 else []


def hair_none(p: Portrait, front: bool) -> list[str]:
    return []


def hair_crop(p: Portrait, front: bool) -> list[str]:
    """Short hair close to the head."""
    if not front:
        return []
    col, dark = _hair_colours(p)
    w = p.w
    return [
        path(
            f"M{pts((CX - w - 2, 222))}C{pts((CX - w - 8, 120), (CX - 50, 96), (CX, 98))}"
            f"C{pts((CX + 50, 96), (CX + w + 8, 120), (CX + w + 2, 222))}"
            f"L{pts((CX + w - 6, 214))}C{pts((CX + w - 10, 170), (CX + 60, 150), (CX + 20, 156))}"
            f"Q{pts((CX - 40, 150), (CX - w + 10, 176))}L{pts((CX - w + 6, 214))}Z",
            col,
        ),
        stroke(f"M{pts((CX - 30, 118))}Q{pts((CX + 10, 110), (CX + 50, 124))}", dark, 4, 0.5),
    ]


def hair_side_part(p: Portrait, front: bool) -> list[str]:
    """Neat, combed from a side parting, greying at the temples (hair.grey)."""
    if not front:
        return []
    col, dark = _hair_colours(p)
    w = p.w
    temples = mix(col, "#cfcac4", 0.2 + float(p.c.hair.get("grey", 0)))
    return [
        path(
            f"M{pts((CX - w - 1, 232))}C{pts((CX - w - 10, 130), (CX - 62, 84), (CX + 4, 84))}"
            f"C{pts((CX + 72, 84), (CX + w + 14, 124), (CX + w + 1, 232))}"
            f"L{pts((CX + w - 7, 226))}C{pts((CX + w - 8, 190), (CX + w - 14, 160), (CX + 50, 150))}"
            f"C{pts((CX + 10, 140), (CX - 20, 140), (CX - 34, 128))}"
            f"C{pts((CX - 54, 146), (CX - w + 8, 160), (CX - w + 7, 226))}Z",
            col,
        ),
        path(f"M{pts((CX - w - 1, 232))}C{pts((CX - w - 4, 206), (CX - w - 3, 190), (CX - w + 1, 178))}L{pts((CX - w + 9, 190), (CX - w + 7, 226))}Z", temples),
        path(f"M{pts((CX + w + 1, 232))}C{pts((CX + w + 4, 206), (CX + w + 3, 190), (CX + w - 1, 178))}L{pts((CX + w - 9, 190), (CX + w - 7, 226))}Z", temples),
        stroke(f"M{pts((CX - 34, 128))}C{pts((CX - 32, 110), (CX - 26, 98), (CX - 20, 90))}", dark, 3),
        stroke(f"M{pts((CX - 14, 108))}Q{pts((CX + 40, 98), (CX + 72, 126))}", tint(col, 0.18), 5, 0.7),
    ]


def hair_shoulder(p: Portrait, front: bool) -> list[str]:
    """Shoulder length, parted on one side, swept across the forehead."""
    col, dark = _hair_colours(p)
    w = p.w
    if not front:
        return [
            path(
                f"M{pts((CX, 90))}C{pts((CX + 112, 88), (CX + 130, 180), (CX + 124, 280))}"
                f"C{pts((CX + 120, 340), (CX + 140, 384), (CX + 128, 410))}"
                f"Q{pts((CX + 100, 420), (CX + 60, 398))}L{pts((CX - 60, 398))}"
                f"Q{pts((CX - 100, 420), (CX - 128, 410))}C{pts((CX - 140, 384), (CX - 120, 340), (CX - 124, 280))}"
                f"C{pts((CX - 130, 180), (CX - 112, 88), (CX, 90))}Z",
                dark,
            )
        ]
    return [
        path(
            f"M{pts((CX - w - 18, 346))}C{pts((CX - w - 30, 250), (CX - w - 24, 108), (CX - 40, 90))}"
            f"C{pts((CX + 10, 80), (CX + w + 26, 96), (CX + w + 22, 200))}"
            f"C{pts((CX + w + 22, 262), (CX + w + 28, 318), (CX + w + 20, 350))}"
            f"C{pts((CX + w - 2, 322), (CX + w - 6, 262), (CX + w - 8, 214))}"
            f"C{pts((CX + w - 22, 160), (CX + 20, 150), (CX - 32, 120))}"
            f"C{pts((CX - 58, 140), (CX - w + 2, 168), (CX - w + 2, 232))}"
            f"C{pts((CX - w - 2, 282), (CX - w - 2, 322), (CX - w - 18, 346))}Z",
            col,
        ),
        *_grey_streaks(
            p,
            f"M{pts((CX - 26, 106))}C{pts((CX + 10, 120), (CX + 60, 140), (CX + w + 4, 214))}"
            f"M{pts((CX - 60, 106))}Q{pts((CX - w - 10, 160), (CX - w - 10, 290))}",
        ),
        stroke(f"M{pts((CX - 10, 100))}C{pts((CX + 30, 104), (CX + 70, 120), (CX + w + 6, 170))}", tint(col, 0.22), 5, 0.6),
        stroke(f"M{pts((CX - 32, 120))}Q{pts((CX - 34, 104), (CX - 40, 92))}", dark, 3, 0.8),
    ]


def hair_curls(p: Portrait, front: bool) -> list[str]:
    """Short curly hair: overlapping rounds, lighter ones on top for depth."""
    if not front:
        return []
    col, dark = _hair_colours(p)
    w = p.w
    curls = [
        (-w - 6, 210, 20), (-w - 4, 178, 22), (-w + 4, 146, 24), (-62, 118, 26), (-28, 102, 26),
        (10, 98, 27), (48, 106, 26), (78, 126, 24), (w - 2, 152, 24), (w + 4, 182, 22),
        (w + 6, 212, 20), (-50, 146, 20), (-14, 138, 20), (24, 138, 20), (58, 150, 18),
    ]  # fmt: skip
    out = [el("circle", cx=CX + x, cy=y, r=r + 3, fill=dark) for x, y, r in curls]
    out += [el("circle", cx=CX + x, cy=y, r=r, fill=col) for x, y, r in curls]
    out += [
        stroke(f"M{pts((CX + x - r * 0.5, y - r * 0.2))}q{pts((r * 0.4, -r * 0.5), (r * 0.9, 0))}", tint(col, 0.5), 3, 0.8)
        for x, y, r in curls[3:9]
    ]
    return out


def hair_high_top(p: Portrait, front: bool) -> list[str]:
    """Curly high-top with faded sides."""
    if not front:
        return []
    col, _ = _hair_colours(p)
    w = p.w
    faded = mix(p.c.skin, col, 0.6)
    bumps = [(-66, 86, 16), (-42, 76, 18), (-14, 72, 18), (14, 72, 18), (42, 76, 18), (66, 86, 16)]
    coils = [(-50, 96), (-20, 88), (12, 90), (44, 98), (-60, 124), (-32, 116), (0, 114), (30, 118), (60, 126),
             (-46, 146), (-14, 140), (18, 142), (48, 148)]  # fmt: skip
    light = tint(col, 0.2)
    return [
        # The faded sides: skin showing through very short hair.
        path(
            f"M{pts((CX - w - 1, 232))}C{pts((CX - w - 6, 170), (CX - 60, 136), (CX, 136))}"
            f"C{pts((CX + 60, 136), (CX + w + 6, 170), (CX + w + 1, 232))}"
            f"L{pts((CX + w - 6, 224))}C{pts((CX + w - 10, 190), (CX + 54, 170), (CX, 170))}"
            f"C{pts((CX - 54, 170), (CX - w + 10, 190), (CX - w + 6, 224))}Z",
            faded,
        ),
        path(
            f"M{pts((CX - 80, 172))}C{pts((CX - 86, 140), (CX - 84, 100), (CX - 74, 78))}L{pts((CX + 74, 78))}"
            f"C{pts((CX + 84, 100), (CX + 86, 140), (CX + 80, 172))}Q{pts((CX, 156), (CX - 80, 172))}Z",
            col,
        ),
        *(el("circle", cx=CX + x, cy=y, r=r, fill=col) for x, y, r in bumps),
        *(stroke(f"M{pts((CX + x - 5, y + 2))}q{pts((5, -8), (10, 0))}", light, 3) for x, y in coils),
    ]


def hair_ponytail(p: Portrait, front: bool) -> list[str]:
    """Long hair pulled back; the tail falls forward over one shoulder."""
    col, dark = _hair_colours(p)
    w = p.w
    if not front:
        return [
            path(
                f"M{pts((CX + 60, 110))}C{pts((CX + 150, 120), (CX + 150, 240), (CX + 124, 320))}"
                f"C{pts((CX + 110, 370), (CX + 130, 420), (CX + 150, 450))}"
                f"C{pts((CX + 110, 450), (CX + 80, 400), (CX + 90, 330))}"
                f"C{pts((CX + 100, 250), (CX + 100, 170), (CX + 60, 110))}Z",
                dark,
            )
        ]
    return [
        path(
            f"M{pts((CX - w - 4, 236))}C{pts((CX - w - 12, 120), (CX - 50, 88), (CX + 6, 88))}"
            f"C{pts((CX + 66, 88), (CX + w + 14, 130), (CX + w + 4, 236))}"
            f"L{pts((CX + w - 4, 226))}C{pts((CX + w - 8, 170), (CX + 50, 140), (CX + 6, 144))}"
            f"C{pts((CX - 40, 146), (CX - w + 4, 170), (CX - w + 4, 226))}Z",
            col,
        ),
        stroke(f"M{pts((CX - 50, 112))}Q{pts((CX, 96), (CX + 56, 116))}", tint(col, 0.22), 5, 0.6),
        el("ellipse", cx=CX + 100, cy=126, rx=10, ry=14, fill="#b0485a", transform=f"rotate(40 {CX + 100} 126)"),
    ]


def hair_bob(p: Portrait, front: bool) -> list[str]:
    """A chin-length bob with a straight fringe; the ends dyed (hair.tips)."""
    col, dark = _hair_colours(p)
    tips = p.c.hair.get("tips", col)
    w = p.w
    if not front:
        return [
            path(
                f"M{pts((CX, 86))}C{pts((CX + 128, 86), (CX + 134, 240), (CX + 118, 336))}"
                f"Q{pts((CX, 352), (CX - 118, 336))}C{pts((CX - 134, 240), (CX - 128, 86), (CX, 86))}Z",
                shade(tips, 0.12),
            ),
            path(
                f"M{pts((CX, 86))}C{pts((CX + 128, 86), (CX + 132, 220), (CX + 122, 304))}"
                f"Q{pts((CX, 322), (CX - 122, 304))}C{pts((CX - 132, 220), (CX - 128, 86), (CX, 86))}Z",
                dark,
            ),
        ]
    out = [
        path(
            f"M{pts((CX - w - 26, 336))}C{pts((CX - w - 36, 250), (CX - w - 30, 150), (CX - w - 10, 120))}"
            f"C{pts((CX - 60, 76), (CX + 60, 76), (CX + w + 10, 120))}"
            f"C{pts((CX + w + 30, 150), (CX + w + 36, 250), (CX + w + 26, 336))}"
            f"Q{pts((CX + w + 8, 344), (CX + w - 6, 334))}C{pts((CX + w - 4, 280), (CX + w - 2, 220), (CX + w - 12, 178))}"
            # A straight fringe, cut just above the brows so that they still show the mood.
            f"L{pts((CX + 40, 182), (CX + 30, 176), (CX - 10, 182), (CX - 20, 176), (CX - 60, 182))}"
            f"L{pts((CX - w + 12, 178))}C{pts((CX - w + 2, 220), (CX - w + 4, 280), (CX - w + 6, 334))}"
            f"Q{pts((CX - w - 8, 344), (CX - w - 26, 336))}Z",
            col,
        ),
        stroke(f"M{pts((CX - 50, 104))}Q{pts((CX, 92), (CX + 50, 104))}", tint(col, 0.25), 5, 0.6),
    ]
    # Dyed ends: the last stretch of each side.
    for s in (-1, 1):
        out.append(
            path(
                f"M{pts((CX + s * (w + 33), 300))}C{pts((CX + s * (w + 33), 316), (CX + s * (w + 30), 328), (CX + s * (w + 26), 336))}"
                f"Q{pts((CX + s * (w + 8), 344), (CX + s * (w - 6), 334))}C{pts((CX + s * (w - 5), 322), (CX + s * (w - 5), 312), (CX + s * (w - 4), 300))}"
                f"Q{pts((CX + s * (w + 14), 308), (CX + s * (w + 33), 300))}Z",
                tips,
            )
        )
    return out


HAIR_STYLES: dict[str, Callable[[Portrait, bool], list[str]]] = {
    "none": hair_none,
    "crop": hair_crop,
    "side_part": hair_side_part,
    "shoulder": hair_shoulder,
    "curls": hair_curls,
    "high_top": hair_high_top,
    "ponytail": hair_ponytail,
    "bob": hair_bob,
}


def hat_none(p: Portrait) -> list[str]:
    return []


def hat_flat_cap(p: Portrait) -> list[str]:
    col = p.c.hat.get("colour", "#6d6558")
    w = p.w
    return [
        path(
            f"M{pts((CX - w - 10, 190))}C{pts((CX - w - 16, 120), (CX - 60, 84), (CX + 10, 86))}"
            f"C{pts((CX + 90, 88), (CX + w + 22, 130), (CX + w + 12, 190))}"
            f"Q{pts((CX, 170), (CX - w - 10, 190))}Z",
            col,
        ),
        path(
            f"M{pts((CX - w - 6, 186))}Q{pts((CX, 156), (CX + w + 8, 186))}"
            f"Q{pts((CX + w - 10, 206), (CX, 200))}Q{pts((CX - w + 6, 206), (CX - w - 6, 186))}Z",
            shade(col, 0.22),
        ),
        stroke(f"M{pts((CX - 60, 110))}Q{pts((CX + 10, 100), (CX + 80, 130))}", tint(col, 0.15), 4, 0.7),
    ]


HATS: dict[str, Callable[[Portrait], list[str]]] = {"none": hat_none, "flat_cap": hat_flat_cap}


# ---------------------------------------------------------------- the face


def ears(p: Portrait) -> list[str]:
    c, w = p.c, p.w
    out = []
    for s in (-1, 1):
        x = CX + s * (w - 2)
        out.append(el("ellipse", cx=x, cy=EYE_Y + 24, rx=15, ry=25, fill=c.skin))
        out.append(el("ellipse", cx=x + s * 3, cy=EYE_Y + 24, rx=7, ry=14, fill=c.skin_shadow))
    return out


def age_lines(p: Portrait) -> list[str]:
    c, level = p.c, p.c.lines
    col = shade(c.skin, 0.24)
    out = []
    if level >= 1:
        out.append(stroke(f"M{pts((CX - 26, 290))}Q{pts((CX - 38, 306), (CX - 36, 324))}", col, 3, 0.55))
        out.append(stroke(f"M{pts((CX + 26, 290))}Q{pts((CX + 38, 306), (CX + 36, 324))}", col, 3, 0.55))
    if level >= 2:
        for s in (-1, 1):
            x = CX + s * (EYE_DX + 26)
            out.append(stroke(f"M{pts((x, EYE_Y - 2), (x + s * 9, EYE_Y - 7))}M{pts((x, EYE_Y + 4), (x + s * 9, EYE_Y + 7))}", col, 2.5, 0.6))
        out.append(stroke(f"M{pts((CX - 30, 174))}Q{pts((CX, 168), (CX + 30, 174))}", col, 2.5, 0.45))
    if level >= 3:
        out.append(stroke(f"M{pts((CX - 40, 162))}Q{pts((CX, 154), (CX + 40, 162))}", col, 2.5, 0.45))
        for s in (-1, 1):
            ex = CX + s * EYE_DX
            out.append(stroke(f"M{pts((ex - 12, EYE_Y + 18))}Q{pts((ex, EYE_Y + 24), (ex + 12, EYE_Y + 18))}", col, 2.5, 0.5))
    return out


def eye(p: Portrait, s: int) -> list[str]:
    """One eye; s is -1 for the eye on the left of the picture, 1 for the right."""
    c, m = p.c, p.m
    ex, ey, rx = CX + s * EYE_DX, EYE_Y, 19
    inner, outer = (ex - s * rx, ey), (ex + s * rx, ey)
    k = 1.33  # a cubic's control points sit this far out to reach the wanted height

    def lid(up_inner: float, up_outer: float) -> str:
        return pts((ex - s * rx * 0.45, ey - k * up_inner), (ex + s * rx * 0.45, ey - k * up_outer), outer)

    upper = f"M{pts(inner)}C{lid(m.lid_inner, m.lid_outer)}"
    lower = pts((ex + s * rx * 0.45, ey + k * m.lower_lid), (ex - s * rx * 0.45, ey + k * m.lower_lid), inner)
    gx = ex + m.glance
    out = [
        path(f"{upper}C{lower}Z", "#fbf8f4"),
        el("circle", cx=gx, cy=ey + 1, r=m.iris, fill=c.eyes),
        el("circle", cx=gx, cy=ey + 1, r=m.iris * 0.5, fill=INK),
        el("circle", cx=gx + 3, cy=ey - 3, r=2.6, fill="#ffffff"),
        # Skin-coloured lids cover whatever of the iris lies outside the eye.
        path(f"{upper}L{pts((outer[0] + s * 4, ey), (outer[0] + s * 4, ey - 26), (inner[0] - s * 4, ey - 26), (inner[0] - s * 4, ey))}Z", c.skin),
        path(f"M{pts(outer)}C{lower}L{pts((inner[0] - s * 4, ey), (inner[0] - s * 4, ey + 22), (outer[0] + s * 4, ey + 22), (outer[0] + s * 4, ey))}Z", c.skin),
        stroke(upper, INK, 4),
    ]
    if m.lower_lid < 5:  # cheeks pushed up by a smile
        out.append(stroke(f"M{pts(outer)}C{lower}", INK, 2.5, 0.6))
    return out


def eyes(p: Portrait) -> list[str]:
    return [*eye(p, -1), *eye(p, 1)]


def brows(p: Portrait) -> list[str]:
    c, m = p.c, p.m
    y = EYE_Y - 34 + m.brow_lift
    out = []
    for s in (-1, 1):
        inner = (CX + s * (EYE_DX - 24), y + m.brow_inner)
        outer = (CX + s * (EYE_DX + 24), y - m.brow_inner * 0.25)
        mid = ((inner[0] + outer[0]) / 2, (inner[1] + outer[1]) / 2 - m.brow_arch)
        out.append(stroke(f"M{pts(inner)}Q{pts(mid, outer)}", c.brows, m.brow_width))
    if m.furrow:
        fy = y + m.brow_inner - 16
        out.append(stroke(f"M{pts((CX - 6, fy), (CX - 4, fy + 14))}M{pts((CX + 6, fy), (CX + 4, fy + 14))}", shade(c.skin, 0.26), 3, 0.7))
    return out


def nose(p: Portrait) -> list[str]:
    col = shade(p.c.skin, 0.2)
    return [
        stroke(f"M{pts((CX - 2, 254))}C{pts((CX + 8, 268), (CX + 14, 280), (CX + 10, NOSE_Y))}", col, 4, 0.5),
        stroke(f"M{pts((CX - 12, NOSE_Y - 2))}Q{pts((CX, NOSE_Y + 8), (CX + 12, NOSE_Y - 2))}", col, 4.5),
    ]


def cheeks(p: Portrait) -> list[str]:
    m = p.m
    out = []
    if m.face_flush:
        out.append(path(p.face_path(), "#d8342a", opacity=m.face_flush))
    if m.flush:
        for s in (-1, 1):
            out.append(el("ellipse", cx=CX + s * 56, cy=288, rx=24, ry=15, fill="#e0443a", opacity=m.flush))
    return out


def mouth(p: Portrait) -> list[str]:
    c, shape, y = p.c, p.m.mouth, MOUTH_Y
    lips = c.lips
    if shape == "grin":
        return [
            path(f"M{pts((CX - 36, y - 6))}Q{pts((CX, y + 2), (CX + 36, y - 6))}Q{pts((CX + 30, y + 34), (CX, y + 34))}Q{pts((CX - 30, y + 34), (CX - 36, y - 6))}Z", INK),
            path(f"M{pts((CX - 30, y - 3))}Q{pts((CX, y + 4), (CX + 30, y - 3))}L{pts((CX + 27, y + 6))}Q{pts((CX, y + 12), (CX - 27, y + 6))}Z", "#ffffff"),
            path(f"M{pts((CX - 16, y + 29))}Q{pts((CX, y + 18), (CX + 16, y + 29))}Q{pts((CX, y + 35), (CX - 16, y + 29))}Z", "#d9756e"),
        ]
    if shape == "smile":
        return [stroke(f"M{pts((CX - 28, y))}Q{pts((CX, y + 16), (CX + 28, y))}", lips, 7)]
    if shape == "wobble":
        return [stroke(f"M{pts((CX - 24, y + 6))}C{pts((CX - 14, y - 2), (CX - 6, y + 8), (CX + 2, y + 4))}S{pts((CX + 16, y), (CX + 24, y + 6))}", lips, 6.5)]
    if shape == "flat":
        return [stroke(f"M{pts((CX - 26, y + 6))}Q{pts((CX, y - 2), (CX + 26, y + 6))}", lips, 7.5)]
    if shape == "frown":
        return [
            path(f"M{pts((CX - 32, y + 14))}Q{pts((CX, y - 14), (CX + 32, y + 14))}Q{pts((CX, y + 2), (CX - 32, y + 14))}Z", INK),
            path(f"M{pts((CX - 20, y + 5))}Q{pts((CX, y - 7), (CX + 20, y + 5))}Q{pts((CX, y), (CX - 20, y + 5))}Z", "#ffffff"),
        ]
    if shape == "shout":
        return [
            path(f"M{pts((CX - 32, y - 4))}Q{pts((CX, y - 16), (CX + 32, y - 4))}Q{pts((CX + 34, y + 40), (CX, y + 42))}Q{pts((CX - 34, y + 40), (CX - 32, y - 4))}Z", INK),
            path(f"M{pts((CX - 27, y - 3))}Q{pts((CX, y - 12), (CX + 27, y - 3))}L{pts((CX + 26, y + 3))}Q{pts((CX, y - 4), (CX - 26, y + 3))}Z", "#ffffff"),
            path(f"M{pts((CX - 20, y + 34))}Q{pts((CX, y + 20), (CX + 20, y + 34))}Q{pts((CX, y + 42), (CX - 20, y + 34))}Z", "#d9756e"),
        ]
    raise PortraitError(f"unknown mouth {shape!r}")


def _beard_path(p: Portrait, top: float) -> str:
    """From ear to ear round the jaw, a little outside the face; `top` is where it starts on the cheeks."""
    w, j = p.w, p.c.jaw
    return (
        f"M{pts((CX - w + 2, top))}C{pts((CX - w + 2, 330), (CX - j - 8, CHIN_Y + 10), (CX, CHIN_Y + 10))}"
        f"C{pts((CX + j + 8, CHIN_Y + 10), (CX + w - 2, 330), (CX + w - 2, top))}"
        f"C{pts((CX + w - 20, 300), (CX + 50, 300), (CX + 36, MOUTH_Y - 18))}"
        f"Q{pts((CX, MOUTH_Y - 26), (CX - 36, MOUTH_Y - 18))}"
        f"C{pts((CX - 50, 300), (CX - w + 20, 300), (CX - w + 2, top))}Z"
        # The lips stay clear.
        f"M{pts((CX - 34, MOUTH_Y + 2))}Q{pts((CX, MOUTH_Y - 14), (CX + 34, MOUTH_Y + 2))}"
        f"Q{pts((CX, MOUTH_Y + 24), (CX - 34, MOUTH_Y + 2))}Z"
    )


def facial_hair_under(p: Portrait) -> list[str]:
    """The part drawn before the mouth, so an open mouth shows over it."""
    style = p.c.facial_hair.get("style", "none")
    col = p.c.facial_hair.get("colour", shade(_hair_colours(p)[0], 0.1))
    if style == "beard":
        return [path(_beard_path(p, 250), col, fill_rule="evenodd")]
    if style == "stubble":
        dots = el("circle", cx=1.5, cy=1.5, r=1, fill=col) + el("circle", cx=4.5, cy=4.5, r=1, fill=col)
        fill = p.pattern("stubble", 6, None, dots)
        return [path(_beard_path(p, 276), fill, fill_rule="evenodd", opacity=0.8)]
    return []


def facial_hair_over(p: Portrait) -> list[str]:
    style = p.c.facial_hair.get("style", "none")
    col = p.c.facial_hair.get("colour", shade(_hair_colours(p)[0], 0.1))
    if style in ("beard", "moustache"):
        y = MOUTH_Y
        return [
            path(
                f"M{pts((CX - 34, y - 2))}C{pts((CX - 30, y - 22), (CX - 10, y - 26), (CX, y - 20))}"
                f"C{pts((CX + 10, y - 26), (CX + 30, y - 22), (CX + 34, y - 2))}"
                f"Q{pts((CX + 16, y - 12), (CX, y - 10))}Q{pts((CX - 16, y - 12), (CX - 34, y - 2))}Z",
                col,
            )
        ]
    return []


FACIAL_HAIR = {"none": None, "beard": None, "moustache": None, "stubble": None}


def glasses(p: Portrait) -> list[str]:
    style = p.c.glasses.get("style", "none")
    if style == "none":
        return []
    col = p.c.glasses.get("colour", "#3b3b44")
    w = p.w
    out = []
    if style == "reading":
        for s in (-1, 1):
            ex = CX + s * EYE_DX
            out.append(el("rect", x=ex - 27, y=EYE_Y - 12, width=54, height=32, rx=11, fill="#ffffff", fill_opacity=0.18, stroke=col, stroke_width=5))
        out.append(stroke(f"M{pts((CX - 15, EYE_Y - 2))}Q{pts((CX, EYE_Y - 10), (CX + 15, EYE_Y - 2))}", col, 5))
        out.append(stroke(f"M{pts((CX - 69, EYE_Y - 4), (CX - w + 2, EYE_Y + 4))}M{pts((CX + 69, EYE_Y - 4), (CX + w - 2, EYE_Y + 4))}", col, 5))
    else:  # round
        for s in (-1, 1):
            out.append(el("circle", cx=CX + s * EYE_DX, cy=EYE_Y + 2, r=27, fill="#ffffff", fill_opacity=0.18, stroke=col, stroke_width=4.5))
        out.append(stroke(f"M{pts((CX - 15, EYE_Y - 4))}Q{pts((CX, EYE_Y - 12), (CX + 15, EYE_Y - 4))}", col, 4.5))
        out.append(stroke(f"M{pts((CX - 69, EYE_Y - 2), (CX - w + 2, EYE_Y + 2))}M{pts((CX + 69, EYE_Y - 2), (CX + w - 2, EYE_Y + 2))}", col, 4.5))
    return out


def glasses_chain(p: Portrait) -> list[str]:
    """Drawn behind the face: hangs from the glasses' arms down the sides of the neck."""
    if not p.c.glasses.get("chain"):
        return []
    w = p.w
    d = (
        f"M{pts((CX - w + 4, EYE_Y + 4))}C{pts((CX - w + 2, 340), (CX - 70, 400), (CX - 30, 432))}"
        f"M{pts((CX + w - 4, EYE_Y + 4))}C{pts((CX + w - 2, 340), (CX + 70, 400), (CX + 30, 432))}"
    )
    return [path(d, stroke="#c99a3a", stroke_width=3.5, stroke_dasharray="1 5", stroke_linecap="round")]


GLASSES = {"none": None, "reading": None, "round": None}


def extra_earring(p: Portrait) -> list[str]:
    x, y = CX - p.w - 2, EYE_Y + 48
    return [el("circle", cx=x, cy=y, r=6, fill="none", stroke="#e0b43c", stroke_width=3)]


def extra_smudged_makeup(p: Portrait) -> list[str]:
    out = []
    for s in (-1, 1):
        ex = CX + s * EYE_DX
        out.append(el("ellipse", cx=ex + s * 4, cy=EYE_Y + 17, rx=17, ry=6, fill="#5a4a6e", opacity=0.28))
        out.append(stroke(f"M{pts((ex + s * 16, EYE_Y - 6), (ex + s * 27, EYE_Y - 12))}", INK, 3.5))
    return out


EXTRAS: dict[str, Callable[[Portrait], list[str]]] = {
    "earring": extra_earring,
    "smudged_makeup": extra_smudged_makeup,
    "backpack_strap": lambda p: [
        path("M116,512C118,470 132,436 150,412L186,409C168,440 156,474 156,512Z", "#3d3a3c"),
        el("rect", x=136, y=452, width=34, height=16, rx=4, fill="#9a9aa2"),
    ],
}


# ---------------------------------------------------------------- symbols of the mood


def sweat(p: Portrait) -> list[str]:
    if not p.m.sweat:
        return []
    x, y = CX + 74, 184
    return [
        path(
            f"M{pts((x, y))}C{pts((x + 10, y + 14), (x + 12, y + 20), (x, y + 26))}"
            f"C{pts((x - 12, y + 20), (x - 10, y + 14), (x, y))}Z",
            "#a9dcf5", stroke="#5d9cc4", stroke_width=2,
        ),  # fmt: skip
        el("ellipse", cx=x - 3, cy=y + 18, rx=2.5, ry=4, fill="#ffffff"),
    ]


def tension(p: Portrait) -> list[str]:
    """Short strokes flaring from the head: the comic-strip sign for boiling over."""
    if not p.m.tension:
        return []
    col = shade(p.m.background, 0.35)
    out = []
    for s in (-1, 1):
        x, y = CX + s * 150, 112
        out.append(
            stroke(
                f"M{pts((x, y), (x + s * 22, y - 16))}M{pts((x + s * 10, y + 24), (x + s * 34, y + 20))}"
                f"M{pts((x - s * 14, y - 12), (x - s * 6, y - 34))}",
                col, 6,
            )  # fmt: skip
        )
    return out


# ---------------------------------------------------------------- assembly


# The head is drawn in its own coordinates and then enlarged a little about the eyes, so the face,
# which carries the mood, fills more of the picture.
HEAD = "translate(-20.48,-13.2) scale(1.08)"


def head(layers: list[str]) -> list[str]:
    return [f'<g transform="{HEAD}">', *layers, "</g>"] if layers else []


def draw(customer: Customer, mood: str) -> str:
    """The SVG text for one customer at one mood."""
    p = Portrait(customer, MOOD_STYLES[mood])
    c = customer
    hair = HAIR_STYLES[c.hair.get("style", "none")]
    extras = {name: EXTRAS[name](p) for name in c.extras}
    layers = [
        *background(p),
        *head(hair(p, False)),
        *neck(p),
        *head(chin_shadow(p)),
        *CLOTHES[c.clothes["style"]](p),
        *extras.get("backpack_strap", []),
        *head(
            [
                *glasses_chain(p),
                *ears(p),
                path(p.face_path(), c.skin),
                *age_lines(p),
                *eyes(p),
                *extras.get("smudged_makeup", []),
                *cheeks(p),
                *nose(p),
                *facial_hair_under(p),
                *mouth(p),
                *facial_hair_over(p),
                *brows(p),
                *glasses(p),
                *hair(p, True),
                *HATS[c.hat.get("style", "none")](p),
                *extras.get("earring", []),
                *sweat(p),
            ]
        ),
        *tension(p),
    ]
    defs = f"<defs>{''.join(p.defs)}</defs>\n" if p.defs else ""
    body = "\n".join(layers)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}">\n'
        f"<title>{c.name}, {mood}</title>\n{defs}{body}\n</svg>\n"
    )


def draw_all(out_dir: Path = PORTRAITS_DIR, customers_file: Path = CUSTOMERS_FILE) -> list[Path]:
    """Writes <out_dir>/<portrait>/<mood>.svg for every customer and mood; returns the files."""
    written = []
    for customer in load_customers(customers_file):
        folder = out_dir / customer.id
        folder.mkdir(parents=True, exist_ok=True)
        for mood in MOODS:
            target = folder / f"{mood}.svg"
            target.write_text(draw(customer, mood), encoding="utf-8", newline="\n")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PORTRAITS_DIR, help="folder to write into")
    parser.add_argument("--customers", type=Path, default=CUSTOMERS_FILE, help="the parameters file")
    args = parser.parse_args(argv)
    try:
        written = draw_all(args.out, args.customers)
    except PortraitError as exc:
        print(f"draw_portraits: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} portraits to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
