"""What a layer call inherits from the call around it: the `training` flag, and
whether facade results keep their autograd graph.

Keras passes `training` down: a layer called inside another layer's `call` without an
explicit `training=` gets the outer value. The facade's `wrap` detaches results unless
a GradientTape records; the Keras engine differentiates with torch.autograd directly
(model training steps), so while it runs a step it registers a recorder that keeps
graphs without being a tape.
"""

from __future__ import annotations

import threading

from kerastorch.framework import recording


class _Context(threading.local):
    def __init__(self):
        self.training = []  # the resolved `training` of each enclosing layer call
        self.autocast = None  # torch dtype Keras variables are read in (mixed precision), or None


_context = _Context()


def in_call() -> bool:
    """Whether some layer's call is running (this call is nested)."""
    return bool(_context.training)


def outer_training():
    """The `training` value of the innermost enclosing layer call (None at the top)."""
    stack = _context.training
    return stack[-1] if stack else None


class training_scope:  # noqa: N801 -- used as a context manager, like Keras's scopes
    """Makes `training` the value inherited by layers called inside."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __enter__(self):
        _context.training.append(self.value)

    def __exit__(self, *exc_info):
        _context.training.pop()


def autocast_dtype():
    """The torch dtype Keras variables are cast to when read in the running call, or None."""
    return _context.autocast


class autocast_scope:  # noqa: N801
    """Variables read inside are cast to `dtype` (a layer's compute dtype under a mixed policy)."""

    __slots__ = ("dtype", "saved")

    def __init__(self, dtype):
        self.dtype = dtype

    def __enter__(self):
        self.saved = _context.autocast
        _context.autocast = self.dtype

    def __exit__(self, *exc_info):
        _context.autocast = self.saved


class _GraphKeeper:
    """Stands in the tape list so `wrap` keeps graphs; watches nothing."""

    _switched = {}

    def _note_read(self, variable) -> None:
        pass


_KEEPER = _GraphKeeper()


class keep_graph:  # noqa: N801
    """Facade ops inside keep their autograd graph (for steps differentiated by torch)."""

    def __enter__(self):
        recording.state.tapes.append(_KEEPER)

    def __exit__(self, *exc_info):
        recording.state.tapes.remove(_KEEPER)
