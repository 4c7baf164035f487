"""Per-thread record of the active GradientTapes, read by the wrap funnel.

Kept apart from `tape.py` so the Tensor core can consult it without importing tapes.
"""

from __future__ import annotations

import threading


class _Recording(threading.local):
    def __init__(self):
        self.tapes = []  # active tapes, innermost last
        self.paused = 0  # depth of `stop_recording()` scopes


state = _Recording()


def is_recording() -> bool:
    """True inside a GradientTape that is not paused by `stop_recording()`."""
    return bool(state.tapes) and not state.paused
