"""Offline de-escalation simulator: voiced, branching scenarios judged on words and tone."""

__version__ = "0.1.0"
