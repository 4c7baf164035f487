"""A TF name kerastorch lacks says so: `tf.signal` raises "kerastorch does not implement
tf.signal yet" (an AttributeError, so `hasattr` and `getattr(..., default)` still work).

Each public namespace sets `__getattr__ = missing_names("tf.math", __name__)`; Python calls it
only for names the module does not have, so existing names cost nothing more. A lookup
from kerastorch's own code gets Python's usual message: there it is a bug, not a TF name
the user asked for.
"""

from __future__ import annotations

import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def missing_names(tf_name: str, module: str):
    """The module-level `__getattr__` of `module`, the namespace TF calls `tf_name`."""

    def __getattr__(name: str):  # noqa: N807 -- the module attribute hook's own name
        caller = sys._getframe(1).f_code.co_filename
        if name.startswith("__") or caller.startswith(_PACKAGE_DIR):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        raise AttributeError(f"kerastorch does not implement {tf_name}.{name} yet")

    return __getattr__
