"""`Layer`: the Keras layer, as a `torch.nn.Module`.

Anatomy of a call (`layer(x, training=..., mask=...)`):

1. inputs become torch tensors (Tensors unwrap, numpy converts, floats are cast to
   the layer's compute dtype as Keras's autocast does);
2. the layer is built once from the first input's shape, inside its name scope so
   variable paths read `outer/dense/kernel`;
3. `input_spec` is checked; `training` comes from the argument, else the enclosing
   layer call; the mask from the argument, else the input's `_keras_mask`;
4. built-in layers run `forward` on torch tensors; user layers run `call` on facade
   Tensors; outputs get their mask and return as Tensors (or as torch tensors when
   torch tensors came in, for plain-PyTorch callers).

Weights live in Keras variables (`add_weight`) whose Parameters are also registered
on the Module, so `parameters()`, `state_dict()` and `.to(device)` work as in torch.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import warnings

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes, recording
from kerastorch.framework.convert import box, to_raw
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.framework.variable import Variable
from kerastorch.keras import dtype_policies
from kerastorch.keras.engine import call_context, input_spec, layer_state, masking, naming, nest, symbolic
from kerastorch.keras.engine.layer_state import LayerState
from kerastorch.keras.engine.variables import KerasVariable

_SLOW = object()  # `_fast_call`'s answer when a call needs the general path
_INIT_KWARGS = {"input_dim", "input_shape", "batch_input_shape", "batch_size", "weights"}


class Layer(LayerState, torch.nn.Module):
    """The base class of Keras layers (`keras.layers.Layer`).

    Subclasses set configuration in `__init__`, create weights with `add_weight` in
    `build(input_shape)` and compute in `call(inputs, training=None, mask=None)`.

    Args:
        trainable: whether the layer's weights are updated by training.
        dtype: the dtype policy (a dtype name such as `"float32"`, or a DTypePolicy).
        name: the layer's name; by default the snake-cased class name made unique
            (`dense`, `dense_1`, …).
        activity_regularizer: a regularizer applied to the outputs, added to `losses`.
        autocast: cast floating inputs to the compute dtype.

    Example:
        >>> class Linear(tf.keras.layers.Layer):
        ...     def __init__(self, units):
        ...         super().__init__()
        ...         self.units = units
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1], self.units))
        ...     def call(self, inputs):
        ...         return tf.matmul(inputs, self.w)
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _build_wrapper(cls.__dict__["build"])

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        torch.nn.Module.__init__(layer)
        object.__setattr__(layer, "_lock", True)
        object.__setattr__(layer, "_auto_config", _auto_config(cls, args, kwargs))
        return layer

    def __init__(self, *, activity_regularizer=None, trainable: bool = True, dtype=None,
                 autocast: bool = True, name: str | None = None, **kwargs):
        unknown = {k: v for k, v in kwargs.items() if k not in _INIT_KWARGS}
        if unknown:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {unknown}")
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. "
                             f"Received: name={name} (of type {type(name)})")
        object.__setattr__(self, "_lock", False)
        self.name = name if name else naming.unique_name(naming.to_snake_case(type(self).__name__))
        self.built = False
        self._trainable = bool(trainable)
        self._set_dtype_policy(dtype)
        self.autocast = autocast
        self.input_spec = None
        self.supports_masking = _overrides(type(self), "compute_mask") or self._default_masking
        self._own_trainable = []
        self._own_non_trainable = []
        self._losses = []
        self._losses_generation = -1
        self._build_shapes = None
        self._last_shapes = None  # (input shapes, output shapes) with the batch axis None
        self.activity_regularizer = _regularizer(activity_regularizer)
        self._batch_input_shape = _batch_input_shape(kwargs)
        if "weights" in kwargs and kwargs["weights"] is not None:
            self._initial_weights = kwargs["weights"]

    _default_masking = False  # built-in layers that pass masks through set True
    _keep_input_dtype = False  # built-in layers that only move values around set True
    _allow_non_tensor_positional_args = False  # layers taking strings/lists positionally set True


    # -- configuration ----------------------------------------------------------------
    @property
    def dtype_policy(self) -> dtype_policies.DTypePolicy:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value) -> None:
        self._set_dtype_policy(value)

    def _set_dtype_policy(self, value) -> None:
        policy = dtype_policies.get(value)
        self._dtype_policy = policy
        # The dtype variables are read in during a call: the compute dtype under a mixed
        # policy (float32 variables, float16/bfloat16 compute), else None.
        mixed = policy.compute_dtype != policy.variable_dtype
        self._autocast_dtype = _TORCH.get(policy.compute_dtype) if mixed else None

    @property
    def dtype(self) -> str:
        """The variable dtype's name (`"float32"`)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self) -> str:
        """The dtype floating inputs are cast to (the compute dtype; a model's Input dtype)."""
        return self._dtype_policy.compute_dtype

    def get_config(self) -> dict:
        """The layer's constructor arguments, for `from_config` (Keras's keys)."""
        self._check_super_called()
        config = {"name": self.name}
        if not _overrides(type(self), "get_config") and self._auto_config is not None:
            config.update(self._auto_config)
            params = inspect.signature(type(self).__init__).parameters
            # Keras's rule, spelling included: `name` is kept when __init__ takes it or `**kwargs`.
            has_kwargs = "kwargs" in params and params["kwargs"].kind is inspect.Parameter.VAR_KEYWORD
            if "name" not in params and not has_kwargs:
                config.pop("name")
        config["trainable"] = self.trainable
        config["dtype"] = dtype_policies.serialize(self._dtype_policy)
        if self.activity_regularizer is not None:
            from kerastorch.keras import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        """A new layer from `get_config()`'s dict."""
        try:
            return cls(**config)
        except TypeError as exc:
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
                            f"Exception encountered: {exc}") from None

    def _check_super_called(self) -> None:
        if self.__dict__.get("_lock", True):
            raise RuntimeError(f"In layer '{type(self).__name__}', you forgot to call `super().__init__()` "
                               f"as the first statement in the `__init__()` method. Go add it!")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    # -- weights ----------------------------------------------------------------------
    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable: bool = True,
                   autocast: bool = True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient: bool = False, name: str | None = None) -> KerasVariable:
        """Creates a weight variable owned by this layer.

        Args:
            shape: its shape (default `()`); also the first positional argument.
            initializer: an initializer or its name; default `"glorot_uniform"` for
                floats and `"zeros"` otherwise (second positional argument).
            dtype: default the layer's variable dtype (third positional argument).
            trainable: whether training updates it.
            regularizer, constraint: a regularizer (its value joins `losses`) and a
                constraint applied after optimizer updates, or their names.
            name: the variable's name (`path` is `<layer path>/<name>`), keyword only.
        """
        from kerastorch.keras import constraints, initializers, regularizers

        self._check_super_called()
        if args:
            shape, initializer, dtype = _positional_weight_args(args, shape, initializer, dtype)
        shape = () if shape is None else tuple(shape)
        if any(d is None for d in shape):
            raise ValueError(f"Shapes used to initialize variables must be fully-defined (no `None` "
                             f"dimensions). Received: shape={shape} for variable "
                             f"path='{self._variable_path()}/{name or 'variable'}'")
        dtype = dtypes.as_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        value = initializers.raw_initializer(initializers.get(initializer))(shape, dtype._torch, _device.current())
        variable = KerasVariable(value, shape=shape, dtype=dtype, trainable=trainable and self._trainable,
                                 name=name, autocast=autocast,
                                 constraint=constraints.get(constraint),
                                 regularizer=regularizers.get(regularizer), path=self._variable_path())
        self._track_variable(variable)
        return variable

    def _variable_path(self) -> str:
        outer = naming.current_path()
        if outer.endswith(self.name) and (outer == self.name or outer.endswith("/" + self.name)):
            return outer
        return f"{outer}/{self.name}" if outer else self.name

    def get_weights(self) -> list:
        """The weights' values as numpy arrays, in `weights` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights) -> None:
        """Sets the weights from numpy arrays, checking count and shapes first."""
        layer_weights = self.weights
        if len(weights) != len(layer_weights):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a weight list "
                             f"of length {len(weights)}, but the layer was expecting "
                             f"{len(layer_weights)} weights.")
        values = [np.asarray(w) for w in weights]
        for variable, value in zip(layer_weights, values):
            if tuple(variable.shape.as_list()) != value.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape.as_list())} is not "
                                 f"compatible with provided weight shape {value.shape}.")
        for variable, value in zip(layer_weights, values):
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                             f"built. You can build it manually via: `layer.build(input_shape)`.")
        return sum(int(np.prod(v.shape.as_list(), dtype=np.int64)) for v in self.weights)

    # -- building ---------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        """Creates the weights once the input shape is known (override it)."""
        self.built = True

    def _maybe_build(self, first_shape, all_shapes=(), named_shapes=None) -> None:
        """Builds once from the inputs' shapes: `build(input_shape)`, or, as Keras, by name
        when `build` takes several `<arg>_shape` parameters (`build(query_shape, value_shape)`)."""
        if self.built:
            return
        build = type(self).build
        signature = inspect.signature(getattr(build, "_keras_build_wrapper", build))
        params = list(signature.parameters.values())[1:]
        required = [p for p in params
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        by_name = [p.name for p in params if p.name.endswith("_shape")]
        if named_shapes and len(by_name) > 1:
            build(self, **{name: named_shapes[name[:-6]] for name in by_name if name[:-6] in named_shapes})
        elif len(required) > 1:
            build(self, *all_shapes[:len(required)])
        elif required or _accepts_argument(getattr(build, "_keras_build_wrapper", build)):
            build(self, first_shape)
        else:
            build(self)
        self.built = True
        self._build_shapes = first_shape
        self._sync_containers()
        initial = self.__dict__.pop("_initial_weights", None)
        if initial is not None:
            self.set_weights(initial)

    def _in_own_scope(self) -> bool:
        path = naming.current_path()
        return path == self.name or path.endswith("/" + self.name)

    def get_build_config(self) -> dict | None:
        """The input shape the layer was built with (`{"input_shape": ...}`), for saving."""
        if self.built and self._build_shapes is not None:
            return {"input_shape": self._build_shapes}
        return None

    def build_from_config(self, config: dict) -> None:
        """Builds the layer from `get_build_config()`'s dict."""
        if config and not self.built:
            shape = config["input_shape"]
            self._maybe_build(shape, (shape,))

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for an input shape, found by running the layer on shapes only."""
        return symbolic.output_shape(self, *args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return symbolic.output_spec(self, *args, **kwargs)

    # -- masks ------------------------------------------------------------------------
    def compute_mask(self, inputs, previous_mask):
        """The output mask: by default the input's mask when the layer supports masking."""
        return previous_mask if self.supports_masking else None

    def _raw_mask(self, inputs, mask):
        """`compute_mask` on torch tensors; built-in layers with their own rule override it."""
        if not _overrides(type(self), "compute_mask"):
            return mask if self.supports_masking else None
        out = self.compute_mask(nest.map(_to_facade, inputs), nest.map(_to_facade, mask))
        return nest.map(_to_torch, out)

    # -- calling ----------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if self.__dict__.get("_lock", True):
            self._check_super_called()
        if symbolic.any_symbolic(args, kwargs):
            return symbolic.call(self, args, kwargs)
        if not call_context._context.training:
            layer_state.new_generation()  # a top-level call: losses of earlier calls are stale
        torch_in = isinstance(args[0], torch.Tensor) if len(args) == 1 else nest.any_torch(args)
        if torch_in or recording.state.tapes:
            out = self._raw_call(args, kwargs)
        else:
            # Nothing records: build no autograd graph (torch.no_grad() without its object).
            enabled = torch.is_grad_enabled()
            torch._C._set_grad_enabled(False)
            try:
                out = self._raw_call(args, kwargs)
            finally:
                torch._C._set_grad_enabled(enabled)
        if torch_in:
            return out
        return wrap(out) if type(out) is torch.Tensor else nest.map(_to_facade, out)

    def _raw_call(self, args, kwargs):
        """The call on torch tensors: build, checks, `forward` or `call`, masks, losses."""
        if len(args) == 1 and not kwargs and self.built:
            out = self._fast_call(args[0])
            if out is not _SLOW:
                return out
        if not args:
            if "inputs" not in kwargs:
                raise ValueError(f"Layer {self.name} was called without any input.")
            args = (kwargs.pop("inputs"),)
        autocast = self.input_dtype if self.autocast else None
        if len(args) == 1 and type(args[0]) is not list and type(args[0]) is not tuple and type(args[0]) is not dict:
            args = (_to_input(args[0], autocast),)
        else:
            args = tuple(nest.map(lambda x: _to_input(x, autocast), a) for a in args)
        first = args[0]
        if not self._allow_non_tensor_positional_args:
            self._check_positional(args)
        spec = self._call_spec()
        if kwargs:
            kwargs = self._convert_kwargs(args, kwargs, autocast, spec)
        if self.input_spec is not None:
            self._check_input_spec(first)  # before building, as Keras: build may need the rank
        if not self.built:
            named = dict(zip(spec.params, args))
            named.update((k, v) for k, v in kwargs.items() if isinstance(v, torch.Tensor))
            self._maybe_build(nest.map(_shape_of, first), tuple(nest.map(_shape_of, a) for a in args),
                              {k: nest.map(_shape_of, v) for k, v in named.items()})
        training = kwargs.pop("training", None)
        if training is None:
            training = call_context.outer_training()
        if spec.training:
            kwargs["training"] = training
        mask = kwargs.get("mask")
        if mask is None:
            mask = _input_mask(first)
            if mask is not None and spec.mask:
                kwargs["mask"] = mask
        elif "mask" in kwargs:
            kwargs["mask"] = nest.map(lambda m: _to_input(m, None), mask)
            mask = kwargs["mask"]
        # The layer's name scope, its `training` for sublayers and its autocast dtype, pushed
        # by hand: this runs on every call of every layer.
        context, names = call_context._context, naming._scope.names
        names.append(self.name)
        context.training.append(training)
        saved_autocast, context.autocast = context.autocast, self._autocast_dtype
        try:
            if spec.raw:
                outputs = self.forward(*args, **kwargs)
            else:
                outputs = nest.map(_to_torch, self.call(*nest.map(_to_facade, args),
                                                        **nest.map(_to_facade, kwargs)))
        finally:
            names.pop()
            context.training.pop()
            context.autocast = saved_autocast
        self._after_call(first, outputs, mask, spec)
        return outputs

    def _fast_call(self, x):
        """`_raw_call` for the most common call: a built built-in layer on one tensor, no
        keyword arguments, no mask in or out and no activity regularizer. The same steps,
        without the general machinery; `_SLOW` when the call is not of that kind."""
        spec = self._call_spec()
        if not spec.fast or self.activity_regularizer is not None:
            return _SLOW
        raw = _to_input(x, self.input_dtype if self.autocast else None)
        if type(raw) is not torch.Tensor or getattr(raw, "_keras_mask", None) is not None:
            return _SLOW
        if self.input_spec is not None:
            self._check_input_spec(raw)
        # A built built-in layer creates no variables, so its name scope is not pushed here;
        # Keras 2's input/output shapes were recorded by the first (general) call.
        context = call_context._context
        stack = context.training
        training = stack[-1] if stack else None
        stack.append(training)
        saved_autocast, context.autocast = context.autocast, self._autocast_dtype
        try:
            out = self.forward(raw, training=training) if spec.training else self.forward(raw)
        finally:
            stack.pop()
            context.autocast = saved_autocast
        if type(out) is not torch.Tensor:
            self._after_call(raw, out, None, spec)
        return out

    def _convert_kwargs(self, args, kwargs, autocast, spec) -> dict:
        """Tensor keyword arguments as torch tensors (floats autocast, masks as they are), and
        Keras's `<arg>_mask` arguments filled from the tensors' own masks."""
        out = {}
        for key, value in kwargs.items():
            if key == "training" or value is None or isinstance(value, (bool, int, float, str)):
                out[key] = value
            else:
                cast = None if key.endswith("mask") else autocast
                out[key] = nest.map(lambda x, c=cast: _to_input(x, c), value)
        if spec.mask_args:
            named = dict(zip(spec.params, args))
            named.update(out)
            for name in spec.mask_args:
                if out.get(f"{name}_mask") is None and isinstance(named.get(name), torch.Tensor):
                    mask = masking.get_mask(named[name])
                    if mask is not None:
                        out[f"{name}_mask"] = mask
        return out

    @property
    def input_spec(self):
        """What the layer accepts (an InputSpec, a list of them, or None), checked on every call."""
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value) -> None:
        object.__setattr__(self, "_input_spec", value)
        object.__setattr__(self, "_spec_passed", None)

    def _check_input_spec(self, first) -> None:
        if isinstance(first, torch.Tensor):
            # A compiled step (`jit_compile`) checks while tracing; the cache would make torch recompile.
            compiling = torch.compiler.is_compiling()
            passed = self._spec_passed
            if not compiling and passed is not None and passed[0] == first.shape and passed[1] is first.dtype:
                return  # the spec passed this shape and dtype last time
            input_spec.check(self._input_spec, [tuple(first.shape)], [_dtype_name(first)], self.name)
            if not compiling:
                object.__setattr__(self, "_spec_passed", (first.shape, first.dtype))
            return
        flat = nest.flatten(first)
        input_spec.check(self.input_spec, [_shape_of(x) for x in flat], [_dtype_name(x) for x in flat],
                         self.name)

    def _after_call(self, first, outputs, mask, spec) -> None:
        if self.activity_regularizer is not None:
            from kerastorch.keras import regularizers

            for out in nest.flatten(outputs):
                if isinstance(out, torch.Tensor):
                    loss = regularizers.raw_regularizer(self.activity_regularizer)(out)
                    if out.dim() > 0 and out.shape[0] > 0:
                        loss = loss / out.shape[0]
                    self._add_raw_loss(loss)
        if self.supports_masking:
            out_mask = self._raw_mask(first, mask)
            if out_mask is not None:
                if isinstance(outputs, torch.Tensor):
                    masking.set_mask(outputs, out_mask if isinstance(out_mask, torch.Tensor) else None)
                else:
                    for out, m in zip(nest.flatten(outputs), nest.flatten(out_mask)):
                        masking.set_mask(out, m)
        elif mask is not None and any(m is not None for m in nest.flatten(mask)):
            warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a "
                          f"mask attached to it. However, this layer does not support masking and will "
                          f"therefore destroy the mask information. Downstream layers will not see the mask.",
                          stacklevel=_user_stacklevel())
        object.__setattr__(self, "_last_shapes", (_shapes(first), _shapes(outputs)))

    def _check_positional(self, args) -> None:
        if type(args[0]) is torch.Tensor and len(args) == 1:
            return
        for arg in args:
            for leaf in nest.flatten(arg):
                if not (leaf is None or isinstance(leaf, torch.Tensor) or type(leaf) is np.ndarray):
                    raise ValueError(f"Only input tensors may be passed as positional arguments. The following "
                                     f"argument value should be passed as a keyword argument: {leaf} "
                                     f"(of type {type(leaf)})")

    def _call_spec(self):
        cls = type(self)
        spec = cls.__dict__.get("_spec_cache")
        if spec is None:
            spec = _CallSpec(cls)
            cls._spec_cache = spec
        return spec

    def call(self, *args, **kwargs):
        """The computation on facade Tensors (override it, or `forward` for torch tensors)."""
        if not _overrides(type(self), "forward"):
            raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method "
                                      f"implemented.")
        outputs = self.forward(*nest.map(_to_input_plain, args), **nest.map(_to_input_plain, kwargs))
        return nest.map(_to_facade, outputs)

    def forward(self, *args, **kwargs):
        """The computation on torch tensors; built-in layers implement this."""
        outputs = self.call(*nest.map(_to_facade, args), **nest.map(_to_facade, kwargs))
        return nest.map(_to_torch, outputs)


class _CallSpec:
    """What a layer class's call accepts (computed once per class)."""

    __slots__ = ("raw", "training", "mask", "params", "mask_args", "fast")

    def __init__(self, cls):
        self.raw = not _overrides(cls, "call")
        fn = cls.forward if self.raw else cls.call
        params = inspect.signature(fn).parameters
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        self.training = "training" in params or var_kw
        self.mask = "mask" in params or var_kw
        self.params = [p.name for p in list(params.values())[1:]
                       if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        # Keras fills `query_mask` from `query._keras_mask` when call takes both.
        self.mask_args = [name for name in self.params if f"{name}_mask" in params]
        # `_fast_call` suits built-in layers that compute no mask of their own.
        self.fast = self.raw and not _overrides(cls, "_raw_mask") and not _overrides(cls, "compute_mask")


def _positional_weight_args(args, shape, initializer, dtype):
    """`add_weight(shape, initializer, dtype)` given positionally, with Keras's errors."""
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments but {len(args)} were given.")
    if isinstance(args[0], str):
        raise ValueError(f"`name` must be passed as a keyword argument. Received: add_weight('{args[0]}', ...). "
                         f"Use: add_weight(shape=..., name='{args[0]}').")
    given = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for key, value in zip(given, args):
        if given[key] is not None:
            raise ValueError(f"`{key}` was passed both positionally and as a keyword argument.")
        given[key] = value
    return given["shape"], given["initializer"], given["dtype"]


def _build_wrapper(build):
    """`build` run in the layer's name scope, marking it built (as Keras wraps every build)."""

    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        if self._in_own_scope():
            build(self, *args, **kwargs)
        else:
            with naming.name_scope(self.name):
                build(self, *args, **kwargs)
        self.built = True
        if args and self._build_shapes is None:
            self._build_shapes = args[0]

    wrapped._keras_build_wrapper = build
    return wrapped


def _overrides(cls, name: str) -> bool:
    """Whether `cls` defines `name` itself or below Layer (not Layer's default)."""
    return getattr(cls, name) is not getattr(Layer, name)


def _accepts_argument(fn) -> bool:
    params = list(inspect.signature(fn).parameters.values())[1:]
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params)


def _auto_config(cls, args, kwargs):
    """The constructor arguments, when all are plain values (Keras's automatic config)."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    config = {}
    for key, value in list(bound.arguments.items())[1:]:
        param = inspect.signature(cls.__init__).parameters[key]
        if param.kind is param.VAR_KEYWORD:
            config.update(value)
        elif param.kind is param.VAR_POSITIONAL:
            return None
        else:
            config[key] = value
    config.pop("name", None)
    if not all(_plain(v) for v in config.values()):
        return None
    return config


def _plain(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _regularizer(identifier):
    if identifier is None:
        return None
    from kerastorch.keras import regularizers

    return regularizers.get(identifier)


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _user_stacklevel() -> int:
    """The `stacklevel` that points a warning raised by the caller at the user's line: the
    first frame outside kerastorch (constructor chains have no fixed depth)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def _batch_input_shape(kwargs):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    shape = kwargs.get("input_shape")
    if shape is None and kwargs.get("input_dim") is not None:
        shape = (kwargs["input_dim"],)
    if shape is None:
        return None
    warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
                  "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
                  UserWarning, stacklevel=_user_stacklevel())
    return (kwargs.get("batch_size"), *tuple(shape))


# -- conversions between the facade and torch -------------------------------------------

_TORCH = {name: dtypes.as_dtype(name)._torch for name in ("float16", "bfloat16", "float32", "float64")}

def _to_input(x, compute_dtype):
    """A call argument as a torch tensor; floats cast to `compute_dtype` (autocast)."""
    if type(x) is Tensor:
        raw = x._t
        if compute_dtype is None or type(raw) is np.ndarray or not raw.is_floating_point() \
                or raw.dtype is _TORCH.get(compute_dtype, raw.dtype):
            return raw
    elif isinstance(x, torch.Tensor):
        raw = x
        if compute_dtype is None or not raw.is_floating_point() or raw.dtype is _TORCH.get(compute_dtype, raw.dtype):
            return raw
    if isinstance(x, TensorLike):
        raw = x._t
    elif type(x) is np.ndarray or isinstance(x, np.generic):
        raw = to_raw(x)
        if isinstance(raw, torch.Tensor):
            raw = raw.to(_device.current())
    elif not isinstance(x, torch.Tensor):  # a torch tensor to cast goes on with `raw`
        return x
    if compute_dtype in _TORCH and isinstance(raw, torch.Tensor) and raw.is_floating_point():
        target = _TORCH[compute_dtype]
        if raw.dtype != target:
            mask = masking.get_mask(raw)
            raw = raw.to(target)
            if mask is not None:
                masking.set_mask(raw, mask)
    return raw


def _to_input_plain(x):
    return _to_input(x, None)


def _to_facade(x):
    if isinstance(x, torch.Tensor):
        return wrap(x)
    return box(x) if type(x) is np.ndarray and x.dtype == object else x


def _to_torch(x):
    if isinstance(x, TensorLike):
        return x._t
    if isinstance(x, (np.ndarray, np.generic, float, int)) and not isinstance(x, bool):
        return to_raw(x)
    return x


def _shape_of(x):
    if isinstance(x, torch.Tensor):
        return tuple(x.shape)
    if type(x) is np.ndarray:
        return x.shape
    return None


def _shapes(x):
    """The shapes of a structure of tensors (torch.Size leaves)."""
    if isinstance(x, torch.Tensor):
        return x.shape
    return nest.map(lambda t: t.shape if isinstance(t, torch.Tensor) else None, x)


class Shape(tuple):
    """A symbolic shape kept as one leaf of a structure of shapes (like torch.Size)."""


def batchless(shapes):
    """Shapes with the batch axis None, as Keras 2 reported them."""
    if isinstance(shapes, (torch.Size, Shape)):
        return (None, *shapes[1:]) if len(shapes) else ()
    return nest.map(lambda s: None if s is None else batchless(s), shapes)


def _dtype_name(x) -> str | None:
    if isinstance(x, torch.Tensor):
        return dtypes.from_torch(x.dtype).name
    if type(x) is np.ndarray:
        return "string" if x.dtype.kind in "OSU" else np.dtype(x.dtype).name
    return None


def _input_mask(first):
    if isinstance(first, torch.Tensor):
        return getattr(first, "_keras_mask", None)
    masks = [masking.get_mask(x) for x in nest.flatten(first)]
    if all(m is None for m in masks):
        return None
    return masks[0] if isinstance(first, torch.Tensor) else nest.pack_like(first, masks)


__all__ = ["Layer", "Variable"]
