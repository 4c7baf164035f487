"""`tf.GradientTape` on torch.autograd, with `tf.stop_gradient` and `tf.UnconnectedGradients`.

torch records every op on tensors that require grad; the tape decides what counts, as
TF does: results computed while no tape records are detached by the `wrap` funnel, a
tape differentiates only with respect to what *it* watches (tensors passed to
`watch`, variables passed to `watch`, and trainable variables unless
`watch_accessed_variables=False`), and anything else gets `None` (or zeros).
"""

from __future__ import annotations

import contextlib
import enum
import warnings

import numpy as np
import torch

from kerastorch.framework import dtypes, recording
from kerastorch.framework.convert import box, dtype_mismatch, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.framework.variable import Variable, _dims

_USED_UP = ("A non-persistent GradientTape can only be used to compute one set of gradients "
            "(or jacobians)")


class UnconnectedGradients(enum.Enum):
    """What `gradient` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class GradientTape:
    """Records operations for automatic differentiation, as `tf.GradientTape`.

    Args:
        persistent: allow more than one `gradient`/`jacobian` call.
        watch_accessed_variables: watch trainable variables automatically; when
            False only what is passed to `watch` is differentiable.

    Example:
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.gradient(y, x)
        <tf.Tensor: shape=(), dtype=float32, numpy=6.0>
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._live = False  # entered and not used up (TF's `_tape is not None`)
        self._tensors = {}  # id -> Tensor passed to watch()
        self._variables = {}  # id(Parameter) -> Variable watched or read while recording
        self._switched = {}  # id(Parameter) -> Parameter that watch() made require grad

    # -- recording ------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        self._push()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._recording:
            self._pop()

    def _push(self) -> None:
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter an "
                             "already-active tape.")
        if not self._live:
            self._clear()
            self._live = True
        recording.state.tapes.append(self)
        self._recording = True
        for param in self._switched.values():
            param.requires_grad_(True)

    def _pop(self) -> None:
        if not self._recording:
            raise ValueError("Tape is not recording.")
        recording.state.tapes.remove(self)
        self._recording = False
        self._switch_off(self._switched.values())

    def _clear(self) -> None:
        self._switch_off(self._switched.values())
        self._tensors, self._variables, self._switched = {}, {}, {}

    @staticmethod
    def _switch_off(params) -> None:
        """Non-trainable Parameters stop requiring grad once no recording tape watches them."""
        for param in params:
            if not _switched_elsewhere(param):
                param.requires_grad_(False)

    def _note_read(self, variable: Variable) -> None:
        """Called on each variable read while this tape records (TF's automatic watch)."""
        if self._watch_accessed_variables and variable._trainable:
            self._variables.setdefault(id(variable._param), variable)

    def watch(self, tensor) -> None:
        """Makes `tensor` (a Tensor, Variable or nest of them) a differentiable source."""
        for obj in _flatten(tensor):
            if isinstance(obj, Variable):
                param = obj._param
                self._variables.setdefault(id(param), obj)
                if _differentiable(param) and (not param.requires_grad or _switched_elsewhere(param)):
                    self._switched[id(param)] = param
                    param.requires_grad_(param.requires_grad or self._recording)
            elif isinstance(obj, Tensor):
                raw = obj._t
                if _differentiable(raw) and not raw.requires_grad:
                    obj._t = _watched(raw)
                self._tensors[id(obj)] = obj
            else:
                raise ValueError(f"Passed in object {obj} of type '{type(obj).__name__}', not tf.Tensor "
                                 f"or tf.Variable or ExtensionType.")

    @contextlib.contextmanager
    def stop_recording(self):
        """A scope in which this tape records nothing (other tapes keep recording)."""
        if not self._live:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self) -> None:
        """Forgets everything recorded so far, as exiting and entering a new tape would."""
        self._pop()
        for obj in self._tensors.values():
            raw = obj._t
            if _differentiable(raw) and raw.requires_grad and raw.grad_fn is None:  # a leaf made by watch(): start anew
                obj._t = _watched(raw)
        self._live = False
        self._push()

    def watched_variables(self) -> tuple:
        """The variables this tape watches (read while recording, or watched), oldest first."""
        return tuple(sorted(self._variables.values(), key=lambda v: v._uid))

    # -- differentiation -----------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """The gradient of `target` (summed over its elements and nest) w.r.t. `sources`.

        Args:
            target: a Tensor or Variable, or a nest of them (their gradients add up).
            sources: a Tensor, Variable or any nest of them; the result has its structure.
            output_gradients: the upstream gradients, one per target (default ones).
            unconnected_gradients: `"none"` (default) or `"zero"` for unconnected sources.
        """
        self._begin_use()
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        flat_sources = _flatten(sources)
        for source in flat_sources:
            _check_source(source)
        mode = _mode(unconnected_gradients)
        targets = _flatten(target)
        seeds = [] if output_gradients is None else _flatten(output_gradients)
        seeds += [None] * (len(targets) - len(seeds))
        outputs, grad_outputs = [], []
        for t, seed in zip(targets, seeds):
            raw = _target_raw(t)
            if raw is not None and raw.requires_grad:
                outputs.append(raw)
                grad_outputs.append(_seed(raw, seed))
        inputs = [self._source_raw(s) for s in flat_sources]
        wanted = [r for r in inputs if r is not None]
        found = iter(())
        if outputs and wanted:
            with self._switched_on():
                found = iter(torch.autograd.grad(outputs, wanted, grad_outputs, retain_graph=True,
                                                 create_graph=recording.is_recording(), allow_unused=True))
        self._end_use()
        results = []
        for source, raw in zip(flat_sources, inputs):
            grad = None if raw is None else next(found, None)
            if grad is None and mode is UnconnectedGradients.ZERO:
                grad = torch.zeros_like(_value_raw(source))
            results.append(None if grad is None else wrap(grad))
        return _pack(sources, iter(results))

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor: bool = True):
        """The full jacobian: `target.shape + source.shape` for each source in the nest."""
        if not self._live:
            raise RuntimeError(_USED_UP)
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError("GradientTape must be created with persistent=True to compute the "
                               "jacobian with eager execution enabled and with  experimental_use_pfor "
                               "set to False.")
        target_shape = target.shape
        self._begin_use()
        flat_sources = _flatten(sources)
        for source in flat_sources:
            _check_source(source)
        mode = _mode(unconnected_gradients)
        raw = _target_raw(target)
        inputs = [self._source_raw(s) for s in flat_sources]
        count = raw.numel()
        seeds = torch.eye(count, dtype=raw.dtype, device=raw.device).reshape(count, *raw.shape)
        grads = self._batched_grads(raw, inputs, seeds)
        self._end_use()
        results = []
        for source, grad in zip(flat_sources, grads):
            shape = tuple(target_shape) + tuple(source.shape)
            if grad is not None:
                results.append(wrap(grad.reshape(shape)))
            elif mode is UnconnectedGradients.ZERO:
                results.append(wrap(torch.zeros(shape, dtype=raw.dtype, device=raw.device)))
            else:
                results.append(None)
        return _pack(sources, iter(results))

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor: bool = True):
        """Per-example jacobians: `(batch,) + target.shape[1:] + source.shape[1:]`.

        Assumes example `i` of `target` depends only on example `i` of `source`.
        """
        if not self._live:
            raise RuntimeError(_USED_UP)
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError("GradientTape must be created with persistent=True to compute the "
                               "batch_jacobian with eager execution enabled and  with "
                               "experimental_use_pfor set to False.")
        target_shape, source_shape = target.shape, source.shape
        for shape in (target_shape, source_shape):
            if shape.rank < 2:
                raise ValueError(f"Shape {shape} must have rank at least 2")
        if target_shape[0] != source_shape[0]:
            raise ValueError(f"Need first dimension of target shape ({target_shape}) and source shape "
                             f"({source_shape}) to match.")
        self._begin_use()
        _check_source(source)
        mode = _mode(unconnected_gradients)
        raw = _target_raw(target)
        batch, rest = raw.shape[0], raw.shape[1:]
        count = rest.numel()
        seeds = torch.eye(count, dtype=raw.dtype, device=raw.device).reshape(count, 1, *rest)
        (grad,) = self._batched_grads(raw, [self._source_raw(source)], seeds.expand(count, batch, *rest))
        self._end_use()
        shape = tuple(target_shape) + tuple(source_shape[1:])
        if grad is not None:
            return wrap(grad.movedim(0, 1).reshape(shape))
        if mode is UnconnectedGradients.ZERO:
            return wrap(torch.zeros(shape, dtype=raw.dtype, device=raw.device))
        return None

    def _batched_grads(self, output, inputs, seeds) -> list:
        """Vector-jacobian products of `output` for each seed, stacked; None where unconnected."""
        wanted = [r for r in inputs if r is not None]
        if not wanted or output is None or not output.requires_grad:
            return [None] * len(inputs)
        create = recording.is_recording()
        with self._switched_on():
            try:
                # torch warns when an op lacks a batching rule and loops internally: still right.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got = torch.autograd.grad(output, wanted, seeds, retain_graph=True, create_graph=create,
                                              allow_unused=True, is_grads_batched=True)
            except RuntimeError:  # an op (e.g. a custom gradient) that vmap cannot batch
                rows = [torch.autograd.grad(output, wanted, seed, retain_graph=True, create_graph=create,
                                            allow_unused=True) for seed in seeds]
                got = [None if rows[0][i] is None else torch.stack([row[i] for row in rows])
                       for i in range(len(wanted))] if rows else [None] * len(wanted)
        found = iter(got)
        return [None if raw is None else next(found) for raw in inputs]

    def _begin_use(self) -> None:
        if not self._live:
            raise RuntimeError(_USED_UP)
        if self._recording and not self._persistent:
            self._pop()

    def _end_use(self) -> None:
        if not self._persistent:
            self._live = False

    def _source_raw(self, source):
        """The torch tensor to differentiate with respect to, or None if not watched here."""
        if isinstance(source, Variable):
            param = source._param
            if not _differentiable(param):
                return None
            watched = id(param) in self._variables or (self._watch_accessed_variables
                                                       and source._trainable)
            return param if watched and (param.requires_grad or id(param) in self._switched) else None
        raw = source._t
        if not _differentiable(raw) or not raw.requires_grad:
            return None
        # Results of recorded ops count as watched (TF's rule for intermediate tensors).
        return raw if id(source) in self._tensors or raw.grad_fn is not None else None

    @contextlib.contextmanager
    def _switched_on(self):
        """Watched non-trainable Parameters require grad while gradients are computed."""
        off = [p for p in self._switched.values() if not p.requires_grad]
        for param in off:
            param.requires_grad_(True)
        try:
            yield
        finally:
            for param in off:
                param.requires_grad_(False)


def stop_gradient(input, name=None) -> Tensor:  # noqa: A002 - TF's name
    """The value of `input`, with no gradient flowing back through it."""
    raw = unwrap(input)
    return box(raw if type(raw) is np.ndarray else raw.detach())


def _switched_elsewhere(param) -> bool:
    """Whether a recording tape has made `param` require grad through `watch`."""
    return any(id(param) in tape._switched for tape in recording.state.tapes)


def _differentiable(raw) -> bool:
    return type(raw) is not np.ndarray and (raw.is_floating_point() or raw.is_complex())


def _check_source(source) -> None:
    if source is None:
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
    if not isinstance(source, TensorLike):
        raise AttributeError(f"'{type(source).__name__}' object has no attribute 'dtype'")


def _mode(unconnected_gradients) -> UnconnectedGradients:
    try:
        return UnconnectedGradients(unconnected_gradients)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}") from None


def _target_raw(target):
    """The torch tensor of a target (a Variable's Parameter itself), None for non-tensors."""
    if isinstance(target, Variable):
        return target._param
    if isinstance(target, TensorLike):
        raw = target._t
        return None if type(raw) is np.ndarray else raw
    return None


def _value_raw(source):
    return source._param if isinstance(source, Variable) else source._t


def _seed(raw: torch.Tensor, seed) -> torch.Tensor:
    """The upstream gradient for target `raw`: ones, or `seed` checked as TF's Mul would."""
    if seed is None:
        return torch.ones_like(raw)
    if isinstance(seed, (TensorLike, torch.Tensor)):
        given = to_raw(seed)
        if given.dtype is not raw.dtype:
            raise dtype_mismatch("Mul", given.dtype, raw.dtype)
    else:
        given = to_raw(seed, dtypes.from_torch(raw.dtype))
    try:
        return torch.broadcast_to(given.to(raw.device), raw.shape)
    except RuntimeError:
        raise op_error(InvalidArgumentError,
                       f"Incompatible shapes: {_dims(raw.shape)} vs. {_dims(given.shape)}", "Mul") from None


def _watched(raw: torch.Tensor) -> torch.Tensor:
    """A fresh leaf over `raw`'s data that requires grad, keeping attributes put on `raw`
    (such as a Keras mask)."""
    leaf = raw.detach().requires_grad_(True)
    if raw.__dict__:
        leaf.__dict__.update(raw.__dict__)
    return leaf


def _flatten(structure) -> list:
    """The leaves of a nest of lists, tuples and dicts (dict values in sorted key order)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _pack(structure, leaves):
    """`structure` with its leaves replaced, in `_flatten` order, from the iterator `leaves`."""
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], leaves) for key in sorted(structure)}
        return type(structure)((key, packed[key]) for key in structure)
    if isinstance(structure, (list, tuple)):
        items = [_pack(item, leaves) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else type(structure)(items)
    return next(leaves)
