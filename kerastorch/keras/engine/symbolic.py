"""Symbolic tensors (`KerasTensor`) and calling layers on them.

`keras.Input(shape=(8,))` gives a KerasTensor: a shape with a None batch axis and a
dtype, no data. Calling a layer on one builds the layer and returns KerasTensors for
the outputs, remembering the call (a `Node`) so a functional model can replay it.
Output shapes come from the layer's `compute_output_shape` when it has one;
otherwise the layer runs on zero placeholders, twice, with different sizes for the
unknown axes: axes whose size follows those stay unknown (Keras's torch backend does
the same on torch's meta device).
"""

from __future__ import annotations

import collections

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes, recording
from kerastorch.keras.engine import naming, nest

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])

# (batch, other unknown axes) sizes of the two placeholder runs: small batches keep the runs
# cheap; the other axes are Keras's distinct primes, so no size is mistaken for another.
_PROBES = ((2, 83), (3, 89))


class KerasTensor:
    """A symbolic tensor: shape and dtype without data, as `keras.KerasTensor`."""

    def __init__(self, shape, dtype="float32", sparse: bool = False, ragged: bool = False,
                 name: str | None = None, record_history=None):
        self._shape = tuple(None if d is None else int(d) for d in shape)
        self._dtype = dtypes.as_dtype(dtype).name
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name if name else naming.unique_name("keras_tensor")
        self._keras_history = record_history
        if not _OPS_READY:
            _enable_symbolic_ops()

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no length: its first axis is the batch.")


_OPS_READY = []


def _enable_symbolic_ops() -> None:
    """Operators and `tf.*` ops on KerasTensors (engine/symbolic_ops.py), set up by the first one."""
    from kerastorch.keras.engine import symbolic_ops

    _OPS_READY.append(True)
    symbolic_ops.install_op_dispatch()


class Node:
    """One call of a layer on symbolic tensors: what a functional model replays."""

    def __init__(self, layer, args, kwargs, outputs):
        self.operation = layer
        self.call_args = args
        self.call_kwargs = kwargs
        self.outputs = outputs

    @property
    def input_tensors(self) -> list:
        leaves = nest.flatten(self.call_args) + nest.flatten(self.call_kwargs)
        return [x for x in leaves if isinstance(x, KerasTensor)]


def any_symbolic(args, kwargs) -> bool:
    """Whether a call argument is (or holds) a KerasTensor."""
    for value in (*args, *kwargs.values()):
        kind = type(value)
        if kind is KerasTensor:
            return True
        if (kind is list or kind is tuple or kind is dict) and any(
                isinstance(x, KerasTensor) for x in nest.flatten(value)):
            return True
    return False


def call(layer, args, kwargs):
    """`layer(*args, **kwargs)` on KerasTensors: builds the layer, returns output KerasTensors."""
    first = args[0] if args else kwargs["inputs"]
    if not layer.built:
        layer._maybe_build(nest.map(_spec_shape, first), tuple(nest.map(_spec_shape, a) for a in args))
    spec = layer.compute_output_spec(*args, **kwargs)
    node = Node(layer, args, kwargs, None)
    index = len(layer.__dict__.setdefault("_inbound_nodes", []))
    counter = iter(range(1 << 30))
    outputs = nest.map(lambda s: KerasTensor(s.shape, s.dtype, record_history=KerasHistory(
        layer, index, next(counter))), spec)
    node.outputs = outputs
    layer._inbound_nodes.append(node)
    object.__setattr__(layer, "_last_shapes", (nest.map(_spec_shape_leaf, first),
                                               nest.map(_spec_shape_leaf, outputs)))
    return outputs


def output_spec(layer, *args, **kwargs):
    """KerasTensors (without history) describing `layer`'s outputs for symbolic inputs."""
    from kerastorch.keras.engine.base_layer import _overrides

    if _overrides(type(layer), "compute_output_shape"):
        first = args[0] if args else kwargs["inputs"]
        shapes = layer.compute_output_shape(nest.map(_spec_shape, first))
        dtype = layer.compute_dtype
        if layer._keep_input_dtype and isinstance(first, KerasTensor):
            dtype = first.dtype  # layers that only move values (Flatten, Reshape, …) keep the dtype
        return _specs_from_shapes(shapes, dtype)
    return traced_spec(layer, *args, **kwargs)


def traced_spec(layer, *args, **kwargs):
    """The output KerasTensors found by running `layer` on placeholders (see the module docstring)."""
    runs = _runs(layer, args, kwargs)
    return nest.pack_like(runs[0], [
        _spec(tuple(a if a == b else None for a, b in zip(x.shape, y.shape)), dtypes.from_torch(x.dtype))
        for x, y in zip(nest.flatten(runs[0]), nest.flatten(runs[1]))])


def output_shape(layer, input_shape, *more):
    """The output shape(s) for input shape(s): `compute_output_shape`'s default."""
    return _shapes_via(output_spec, layer, input_shape, more)


def traced_output_shape(layer, input_shape, *more):
    """The output shape(s) found by running `layer` on placeholders, even when the layer
    defines `compute_output_shape` (for layers whose own rule falls back to tracing)."""
    return _shapes_via(traced_spec, layer, input_shape, more)


def _shapes_via(fn, layer, input_shape, more):
    if not layer.built:
        layer._maybe_build(input_shape, (input_shape, *more))
    specs = nest.map(lambda s: _spec(s[0], layer.compute_dtype), _as_shape_structure(input_shape))
    more_specs = [nest.map(lambda s: _spec(s[0], layer.compute_dtype), _as_shape_structure(m)) for m in more]
    out = fn(layer, specs, *more_specs)
    return nest.map(lambda t: t.shape, out)


def _as_shape_structure(shape):
    """Shapes given as tuples of ints are leaves, not lists to walk into."""
    if isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in shape):
        return _ShapeLeaf(shape)
    if isinstance(shape, (tuple, list)):
        return type(shape)(_as_shape_structure(s) for s in shape)
    if isinstance(shape, dict):
        return {k: _as_shape_structure(v) for k, v in shape.items()}
    return _ShapeLeaf(shape)


class _ShapeLeaf(tuple):
    """A shape inside a structure of shapes (a tuple subclass `nest` does not walk into)."""

    def __new__(cls, shape):
        return super().__new__(cls, (tuple(shape),))


def _runs(layer, args, kwargs) -> list:
    """Two runs of `layer` on zero placeholders, with different sizes for the unknown axes.

    The runs use real (small) tensors on the current device: torch's `meta` device would
    need no memory, but its first mixed meta/CPU op imports torch's compiler stack
    (seconds). Nothing a layer writes to its variables during these runs is kept.
    """
    from kerastorch.keras.engine import call_context

    training = kwargs.get("training", False) or False
    saved = layer._losses, layer._losses_generation, layer._last_shapes
    try:
        with torch.no_grad(), recording.dry_run(), call_context.training_scope(training):
            return [layer._raw_call(*_placeholders(args, kwargs, sizes)) for sizes in _PROBES]
    finally:
        layer._losses, layer._losses_generation, layer._last_shapes = saved


def _placeholders(args, kwargs, sizes):
    batch, other = sizes
    device = _device.current()

    def placeholder(x):
        if isinstance(x, _ShapeLeaf):
            x = _spec(x[0], "float32")
        if not isinstance(x, KerasTensor):
            return x
        shape = tuple((batch if i == 0 else other) if d is None else d for i, d in enumerate(x.shape))
        dtype = dtypes.as_dtype(x.dtype)
        if dtype is dtypes.string:
            return np.full(shape, b"", dtype=object)
        return torch.zeros(shape, dtype=dtype._torch, device=device)

    return nest.map(placeholder, args), dict(nest.map(placeholder, kwargs))


def _spec(shape, dtype) -> KerasTensor:
    """A KerasTensor that only describes (it takes no name from the counter)."""
    return KerasTensor(shape, dtype, name="spec")


def _spec_shape(x):
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, _ShapeLeaf):
        return x[0]
    return None


def _spec_shape_leaf(x):
    from kerastorch.keras.engine.base_layer import Shape

    return Shape(x.shape) if isinstance(x, KerasTensor) else None


def _specs_from_shapes(shapes, dtype):
    if isinstance(shapes, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in shapes):
        return _spec(shapes, dtype)
    if isinstance(shapes, dict):
        return {k: _specs_from_shapes(v, dtype) for k, v in shapes.items()}
    return type(shapes)(_specs_from_shapes(s, dtype) for s in shapes)
