"""How the screens write what they share: times, for now (library, debrief, history, classes)."""

from __future__ import annotations

from datetime import datetime


def friendly_time(iso: str) -> str:
    """An ISO time in the computer's time zone, as '06 Dec 2026, 14:05'; text that is not a time as it is."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%d %b %Y, %H:%M")
