"""The conversation core: one session (runner, record, saving, stale results, say-again and overrides), with no Qt.

Every screen that plays a scenario drives a `Conversation`: the trainee's conversation page, the
classroom and the authoring play-through. See simulator/conversation/core.py.
"""

from simulator.conversation.core import (
    MIN_RECOGNITION_CONFIDENCE,
    SAY_AGAIN,
    Conversation,
    Notes,
    Saved,
    Store,
    Tasks,
    Ticket,
    heard,
    rewound_state,
)

__all__ = ["MIN_RECOGNITION_CONFIDENCE", "SAY_AGAIN", "Conversation", "Notes", "Saved", "Store", "Tasks", "Ticket",
           "heard", "rewound_state"]
