"""Per-thread record of the active GradientTapes, read by the wrap funnel.

Kept apart from `tape.py` so the Tensor core can consult it without importing tapes.
"""

from __future__ import annotations

import threading


class _Recording(threading.local):
    def __init__(self):
        self.tapes = []  # recording tapes; `tape.stop_recording()` takes its tape out meanwhile
        self.dry = 0  # > 0 inside `dry_run()`: variable writes are dropped


state = _Recording()


def is_recording() -> bool:
    """True while some GradientTape records (one in its `with` block, not stopped)."""
    return bool(state.tapes)


class dry_run:  # noqa: N801 -- a context manager
    """Runs code for its shapes only: variable assigns inside change nothing.

    Used when a computation is run on placeholder data to learn output shapes
    (Keras's symbolic calls), so layers that update state in their call do not.
    """

    def __enter__(self):
        state.dry += 1

    def __exit__(self, *exc_info):
        state.dry -= 1
