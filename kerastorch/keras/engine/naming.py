"""Layer names (`dense`, `dense_1`, … per snake-cased class name) and the path scope.

Keras numbers auto-generated names with one process-wide counter per base name;
`keras.backend.clear_session()` starts them again. Variable paths
(`sequential/dense/kernel`) come from the layers being built or called when the
variable is created: the scope stack below.
"""

from __future__ import annotations

import collections
import re
import threading

_counts = collections.Counter()


def to_snake_case(name: str) -> str:
    """`Conv2D` -> `conv2d`, `MultiHeadAttention` -> `multi_head_attention`, as Keras."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return name.lstrip("_") or name


def unique_name(base: str) -> str:
    """`base` the first time, then `base_1`, `base_2`, …"""
    count = _counts[base]
    _counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset() -> None:
    """Forget every name given so far (`keras.backend.clear_session()`)."""
    _counts.clear()


class _Scope(threading.local):
    def __init__(self):
        self.names = []


_scope = _Scope()


class name_scope:  # noqa: N801 -- the Keras spelling
    """Pushes `name` on the path of variables created inside (`with name_scope("block"):`)."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        _scope.names.append(self.name)
        return self

    def __exit__(self, *exc_info):
        _scope.names.pop()


def current_path() -> str:
    """The `a/b` path of the open scopes ('' at the top level)."""
    return "/".join(_scope.names)
