"""`functools.lru_cache` for the host-side helpers of layers (padding plans, resize weights).

torch.compile ignores an `lru_cache` wrapper, traces the function it wraps and warns
about it; `host_cache` caches in eager mode and calls the function itself while a
compiled step (`jit_compile`) is traced, where its result becomes part of the graph.
"""

from __future__ import annotations

import functools

import torch


def host_cache(maxsize: int):
    """A decorator: `functools.lru_cache(maxsize)` in eager mode, no cache while torch.compile traces."""

    def decorate(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args):
            if torch.compiler.is_compiling():
                return function(*args)
            return cached(*args)

        call.cache_clear = cached.cache_clear
        call.cache_info = cached.cache_info
        return call

    return decorate
