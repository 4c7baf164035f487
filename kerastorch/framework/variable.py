"""`tf.Variable`: the one mutable tensor, backed by a `torch.nn.Parameter`.

The Parameter (`variable._param`, also what ops read through `variable._t`) never
changes identity, so torch modules and optimizers can hold it. An assign swaps the
Parameter's storage for a fresh tensor rather than writing in place, so every value
read earlier (`read_value()`, `tf.reshape(v, [-1])`, `v[0]`) keeps the old contents,
as in TF. The swap bumps the Parameter's autograd version, so a gradient through a
graph that used the variable before the assign fails loudly instead of silently
using the new value.
"""

from __future__ import annotations

import copy
import enum
import itertools

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, to_raw
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.recording import state as _recording
from kerastorch.framework.tensor import Reference, Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.framework.tensor_shape import TensorShape


class VariableSynchronization(enum.Enum):
    """When a distributed variable is aggregated (`tf.VariableSynchronization`)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregationV2(enum.Enum):
    """How a distributed variable is aggregated (`tf.VariableAggregation`)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


VariableAggregation = VariableAggregationV2


class Variable(TensorLike):
    """A mutable tensor holding model state, as `tf.Variable`.

    Args:
        initial_value: the value (anything `tf.convert_to_tensor` accepts) or a
            callable returning it.
        trainable: whether `GradientTape` watches it automatically (default True,
            False for `synchronization=ON_READ`).
        name: its name; `name="w"` gives `w.name == "w:0"` (default `"Variable:0"`).
        dtype: converts `initial_value` to this dtype.
        constraint: a projection applied by optimizers after each update.
        shape: the declared shape; `None` dims allow assigns that change them.

    Example:
        >>> v = tf.Variable([1.0, 2.0])
        >>> v.assign_add([1.0, 1.0])
        <tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, numpy=array([2., 3.], dtype=float32)>
    """

    __slots__ = ("_param", "_name", "_shape", "_trainable", "_constraint", "_synchronization",
                 "_aggregation", "_uid", "__weakref__")
    _uids = itertools.count()  # creation order, which is how tapes list their variables

    def __init__(self, initial_value=None, trainable: bool | None = None, validate_shape: bool = True,
                 caching_device=None, name: str | None = None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO, aggregation=VariableAggregation.NONE,
                 shape=None, experimental_enable_variable_lifting: bool = True):
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except when "
                             "you are not providing a `variable_def`. You provided neither.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"Argument `constraint` must be None or a callable. a callable. Got a "
                             f"{type(constraint)}:  {constraint}")
        if not isinstance(synchronization, VariableSynchronization):
            raise ValueError(f"Invalid variable synchronization mode: {synchronization} for variable: {name}")
        if not isinstance(aggregation, VariableAggregation):
            raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: {name}")
        if trainable is None:
            trainable = synchronization is not VariableSynchronization.ON_READ
        if callable(initial_value):
            initial_value = initial_value()
        try:
            raw = to_raw(initial_value, dtype)
        except ValueError as exc:
            raise ValueError(f"initial_value: {exc}") from None
        value_shape = TensorShape(raw.shape)
        if shape is not None and not TensorShape(shape).is_compatible_with(value_shape):
            raise ValueError(f"In this `tf.Variable` creation, the initial value's shape ({value_shape}) "
                             f"is not compatible with the explicitly supplied `shape` argument ({shape}).")
        if type(raw) is np.ndarray:
            self._param = raw.copy()
        else:
            data = raw.detach().to(_device.current(), memory_format=torch.contiguous_format, copy=True)
            grad = bool(trainable) and (data.is_floating_point() or data.is_complex())
            self._param = torch.nn.Parameter(data, requires_grad=grad)
        self._name = f"{'Variable' if name is None else name}:0"
        self._shape = None if shape is None else TensorShape(shape)
        self._trainable = bool(trainable)
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._uid = next(Variable._uids)

    # -- what it is -----------------------------------------------------------------
    @property
    def _t(self):
        """The Parameter, as ops read it; a read inside a recording tape is noted there."""
        return self._read()

    def _read(self):
        tapes = _recording.tapes
        if tapes:
            for tape in tapes:
                tape._note_read(self)
        return self._param

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> dtypes.DType:
        param = self._param
        return dtypes.string if type(param) is np.ndarray else dtypes.from_torch(param.dtype)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._param.shape) if self._shape is None else self._shape

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        """Checks that `shape` is compatible with the variable's shape (nothing to set eagerly)."""
        self.shape.assert_is_compatible_with(shape)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self) -> VariableSynchronization:
        return self._synchronization

    @property
    def aggregation(self) -> VariableAggregation:
        return self._aggregation

    @property
    def device(self) -> str:
        param = self._param
        return _device.tf_name(torch.device("cpu") if type(param) is np.ndarray else param.device)

    @property
    def initial_value(self):
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    def is_initialized(self, name=None) -> Tensor:
        return wrap(torch.tensor(True, device=_device.current()))

    # -- reading ----------------------------------------------------------------------
    def value(self) -> Tensor:
        """The current value as a Tensor (a copy: later assigns do not change it)."""
        raw = self._t
        if type(raw) is np.ndarray:
            return _wrap_strings(raw.copy())
        return wrap(raw.clone())

    def read_value(self) -> Tensor:
        """The current value as a Tensor, differentiable inside a GradientTape."""
        return Variable.value(self)

    def _peek(self) -> Tensor:
        """A transient Tensor sharing the storage, for conversions that copy anyway."""
        param = self._param
        return box(param if type(param) is np.ndarray else param.detach())

    def numpy(self):
        """A numpy copy of the value (a numpy scalar for rank 0)."""
        return self._peek().numpy()

    def __array__(self, dtype=None, copy=None):
        return self._peek().__array__(dtype, copy)

    def __float__(self) -> float:
        return float(self._peek())

    def __int__(self) -> int:
        return int(self._peek())

    def __complex__(self) -> complex:
        return complex(self._peek())

    def __bool__(self) -> bool:
        return bool(self._peek())

    def __iter__(self):
        return iter(Variable.value(self))

    def __getitem__(self, key):
        """`v[key]`: a Tensor; for plain slices it also has `.assign(value)` writing back."""
        result = TensorLike.__getitem__(self, key)
        if type(self._param) is np.ndarray or not _is_strided_key(key):
            return result
        sliced = object.__new__(_SliceTensor)
        sliced._t = result._t
        sliced._variable = self
        sliced._key = key
        return sliced

    def sparse_read(self, indices, name=None) -> Tensor:
        """Rows `indices` of the variable (a gather along axis 0)."""
        param = self._t
        idx = _indices(indices, param.device)
        _check_rows(idx, param.shape[0], "ResourceGather")
        return wrap(param[idx])

    def gather_nd(self, indices, name=None) -> Tensor:
        """`tf.gather_nd` on the variable's value."""
        param = self._t
        idx = _indices(indices, param.device)
        _check_nd(idx, param.shape, "ResourceGatherNd", "param shape")
        return wrap(param[tuple(idx.unbind(-1))])

    # -- printing and identity ----------------------------------------------------------
    def __repr__(self) -> str:
        # The value part is exactly what the Tensor repr shows after `numpy=`.
        shown = repr(self._peek()).split("numpy=", 1)[1][:-1]
        return f"<tf.Variable '{self._name}' shape={self.shape} dtype={self.dtype.name}, numpy={shown}>"

    __str__ = __repr__

    def __hash__(self):
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. "
                        f"(Variable: {self!r})")

    def ref(self) -> Reference:
        """A hashable reference to this variable, for use as a dict key."""
        return Reference(self)

    experimental_ref = ref

    def __copy__(self) -> Variable:
        """A second handle on the same variable (assigns through either show in both)."""
        return self._handle(self._name)

    def __deepcopy__(self, memo) -> Variable:
        twin = self._handle(self._name)
        memo[id(self)] = twin
        twin._uid = next(Variable._uids)
        param = self._param
        if type(param) is np.ndarray:
            twin._param = param.copy()
        else:
            twin._param = torch.nn.Parameter(param.detach().clone(), requires_grad=param.requires_grad)
        if hasattr(self, "__dict__"):
            twin.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return twin

    def _handle(self, name: str) -> Variable:
        """Another Variable object over the same Parameter (TF's `_UnreadVariable`)."""
        twin = object.__new__(type(self))
        for slot in _value_slots(type(self)):
            setattr(twin, slot, getattr(self, slot))
        twin._name = name
        if hasattr(self, "__dict__"):
            twin.__dict__.update(self.__dict__)
        return twin

    # -- writing ------------------------------------------------------------------------
    def assign(self, value, use_locking=None, name=None, read_value: bool = True):
        """Replaces the value; returns the variable (None with `read_value=False`)."""
        raw = to_raw(value, self.dtype)
        if not self.shape.is_compatible_with(raw.shape):
            raise ValueError(f"Cannot assign value to variable ' {self._name}': Shape mismatch.The "
                             f"variable shape {self.shape}, and the assigned value shape "
                             f"{TensorShape(raw.shape)} are incompatible.")
        if type(raw) is np.ndarray:
            self._store(raw.copy())
        else:
            # A Tensor's storage must not become the variable's: updates may write in place.
            shared = isinstance(value, (TensorLike, torch.Tensor))
            self._store(raw.detach().to(self._param.device, memory_format=torch.contiguous_format,
                                        copy=shared))
        return self._handle("UnreadVariable") if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value: bool = True):
        """Adds `delta` (same shape) to the value; returns the variable."""
        return self._update(delta, torch.add, "AssignAddVariableOp", read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value: bool = True):
        """Subtracts `delta` (same shape) from the value; returns the variable."""
        return self._update(delta, torch.sub, "AssignSubVariableOp", read_value)

    def _update(self, delta, fn, op_name, read_value):
        param = self._param
        raw = to_raw(delta, self.dtype)
        if raw.shape != param.shape:
            raise op_error(InvalidArgumentError,
                           f"Cannot update variable with shape {_dims(param.shape)} using a Tensor with "
                           f"shape {_dims(raw.shape)}, shapes must be equal.", op_name)
        with torch.no_grad():
            self._store(fn(param, raw.to(param.device)))
        return self._handle("UnreadVariable") if read_value else None

    def scatter_nd_update(self, indices, updates, name=None):
        """Writes `updates` at the index tuples `indices`; returns the variable."""
        return self._scatter_nd(indices, updates, None, "ResourceScatterNdUpdate")

    def scatter_nd_add(self, indices, updates, name=None):
        """Adds `updates` at the index tuples `indices`; returns the variable."""
        return self._scatter_nd(indices, updates, 1, "ResourceScatterNdAdd")

    def scatter_nd_sub(self, indices, updates, name=None):
        """Subtracts `updates` at the index tuples `indices`; returns the variable."""
        return self._scatter_nd(indices, updates, -1, "ResourceScatterNdSub")

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Writes `sparse_delta.values` into rows `sparse_delta.indices` (IndexedSlices)."""
        return self._scatter_rows(sparse_delta, None, "ResourceScatterUpdate")

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Adds `sparse_delta.values` to rows `sparse_delta.indices` (IndexedSlices)."""
        return self._scatter_rows(sparse_delta, 1, "ResourceScatterAdd")

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtracts `sparse_delta.values` from rows `sparse_delta.indices` (IndexedSlices)."""
        return self._scatter_rows(sparse_delta, -1, "ResourceScatterSub")

    def _scatter_nd(self, indices, updates, sign, op_name):
        param = self._param
        idx = _indices(indices, param.device)
        _check_nd(idx, param.shape, op_name, "shape")
        return self._put(tuple(idx.unbind(-1)), updates, sign)

    def _scatter_rows(self, sparse_delta, sign, op_name):
        param = self._param
        idx = _indices(sparse_delta.indices, param.device)
        _check_rows(idx, param.shape[0], op_name)
        return self._put((idx,), sparse_delta.values, sign)

    def _put(self, index, updates, sign):
        param = self._param
        values = to_raw(updates, self.dtype).to(param.device)
        new = param.detach().clone()
        if sign is None:
            new[index] = values
        else:
            new.index_put_(index, values if sign > 0 else -values, accumulate=True)
        self._store(new)
        return self._handle("UnreadVariable")

    def _assign_slice(self, key, value):
        """Writes `value` (broadcast) into `self[key]`, as TF's strided-slice assign."""
        from kerastorch.ops.indexing import _index_item, _plan

        param = self._param
        items = tuple(_index_item(k) for k in (key if isinstance(key, tuple) else (key,)))
        plain, flips = _plan(items, param.shape)
        new = param.detach().clone()
        target = new[plain]
        for dim, step in flips:
            target = target[(slice(None),) * dim + (slice(None, None, step),)]
        raw = to_raw(value, self.dtype).to(param.device)
        try:
            raw = torch.broadcast_to(raw, target.shape)
        except RuntimeError:
            raise op_error(InvalidArgumentError,
                           f"Cannot broadcast input shape {_dims(raw.shape)} into final shape "
                           f"{_dims(target.shape)}", "ResourceStridedSliceAssign") from None
        if flips:
            raw = torch.flip(raw, [dim for dim, _ in flips])
        target.copy_(raw)
        self._store(new)
        return self._handle("UnreadVariable")

    def _store(self, new) -> None:
        """Makes `new` (a fresh tensor, not shared with any Tensor) the variable's value."""
        if _recording.dry:
            return
        param = self._param
        if type(param) is np.ndarray:
            self._param = new
            return
        param.data = new
        torch.autograd.graph.increment_version(param)


class _SliceTensor(Tensor):
    """`variable[key]` for a strided key: a Tensor that can write back with `.assign`."""

    __slots__ = ("_variable", "_key")

    def assign(self, val, name=None) -> Variable:
        """Writes `val` (broadcast to this slice's shape) into the variable at this slice."""
        return self._variable._assign_slice(self._key, val)


def _value_slots(cls) -> list:
    """Every slot of `cls` and its bases that holds state (subclasses add their own)."""
    return [slot for klass in cls.__mro__ for slot in klass.__dict__.get("__slots__", ())
            if slot != "__weakref__" and hasattr(klass, slot)]


def _is_strided_key(key) -> bool:
    """Whether `key` is a strided slice (ints, slices, `...`, None): the assignable kind."""
    for k in key if isinstance(key, tuple) else (key,):
        if isinstance(k, TensorLike):
            if k.shape.rank != 0 or not k.dtype.is_integer:
                return False
        elif isinstance(k, bool) or not (k is None or k is Ellipsis
                                          or isinstance(k, (int, slice, np.integer))):
            return False
    return True


def _indices(indices, device) -> torch.Tensor:
    return to_raw(indices).to(device=device, dtype=torch.int64)


def _check_rows(idx: torch.Tensor, rows: int, op_name: str) -> None:
    bad = ((idx < 0) | (idx >= rows)).reshape(-1).nonzero()
    if bad.numel():
        i = int(bad[0])
        raise op_error(InvalidArgumentError,
                       f"indices[{i}] = {int(idx.reshape(-1)[i])} is not in [0, {rows})", op_name)


def _check_nd(idx: torch.Tensor, shape, op_name: str, what: str) -> None:
    bound = torch.tensor(shape[:idx.shape[-1]], device=idx.device)
    rows = idx.reshape(-1, idx.shape[-1])
    bad = ((rows < 0) | (rows >= bound)).any(-1).nonzero()
    if bad.numel():
        i = int(bad[0])
        shown = ", ".join(str(int(d)) for d in rows[i])
        raise op_error(InvalidArgumentError,
                       f"indices[{i}] = [{shown}] does not index into {what} {_dims(shape)}", op_name)


def _dims(shape) -> str:
    """A shape as TF's kernels print it: `[2,3]`."""
    return "[" + ",".join(str(int(d)) for d in shape) + "]"
