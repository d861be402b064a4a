"""A tiny scenario for the voice tests: Dana's late order, two lines and a thank-you."""

from __future__ import annotations

import textwrap

from simulator.engine.model import Voice

DANA = Voice(gender="female", pitch=55, rate=185, volume=0.85, accent="en-gb")

LATE_ORDER = textwrap.dedent("""\
    format_version: 1
    id: tiny
    title: A late order
    setting: retail
    difficulty: 1
    brief: The order is late.
    skills: [empathy]
    customer:
      name: Dana Whitfield
      agitation: 60
      voice: {gender: female, pitch: 55, rate: 185, accent: en-gb}
    nodes:
      start:
        say: ["Where is my order?", "I've waited forty minutes!"]
        branches:
          - otherwise: true
            goto: done
    endings:
      done:
        outcome: resolved
        say: Thank you.
    """)
