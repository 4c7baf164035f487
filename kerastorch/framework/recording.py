"""Per-thread record of the active GradientTapes, read by the wrap funnel.

Kept apart from `tape.py` so the Tensor core can consult it without importing tapes.
"""

from __future__ import annotations

import threading


class _Recording(threading.local):
    def __init__(self):
        self.tapes = []  # recording tapes; `tape.stop_recording()` takes its tape out meanwhile


state = _Recording()


def is_recording() -> bool:
    """True while some GradientTape records (one in its `with` block, not stopped)."""
    return bool(state.tapes)
