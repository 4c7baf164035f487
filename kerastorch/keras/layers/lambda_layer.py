"""The Lambda layer: a Python function on tensors, as a layer."""

from __future__ import annotations

import base64
import inspect
import marshal
import types

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import TensorLike, wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import config as keras_config
from kerastorch.keras.engine import nest, symbolic
from kerastorch.keras.engine.base_layer import Layer

_UNSAFE_LAMBDA = ("Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This "
                  "carries a potential risk of arbitrary code execution and thus it is disallowed by default. If "
                  "you trust the source of the artifact, you can override this error by passing "
                  "`safe_mode=False` to the loading function, or calling "
                  "`keras.config.enable_unsafe_deserialization().")


class Lambda(Layer):
    """Wraps a function of tensors as a layer: `Lambda(lambda x: x ** 2)`.

    The function gets kerastorch Tensors (gradients flow through it) and may take
    `mask` and `training` arguments, which the layer then passes. Python lambdas are
    saved as bytecode and refused when loading unless safe mode is off; prefer a
    named function (registered with `register_keras_serializable`) or a Layer subclass.

    Args:
        function: the function; its first argument is the input (a tensor or a list).
        output_shape: the output shape without the batch axis (a tuple, or a structure of
            tuples), or a function of the full input shape; None infers it by running
            the function on shapes only.
        mask: None (the output has no mask), a function `(inputs, mask) -> mask`, or a
            fixed mask tensor.
        arguments: keyword arguments for the function.

    Example:
        >>> layer = tf.keras.layers.Lambda(lambda x: x * 2.0)
        >>> layer(tf.ones((1, 2)))
        <tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[2., 2.]], dtype=float32)>
    """

    def __init__(self, function, output_shape=None, mask=None, arguments: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        params = inspect.getfullargspec(function).args
        self._takes_training = "training" in params
        self._takes_mask = "mask" in params

    def forward(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._takes_mask:
            kwargs["mask"] = nest.map(_facade, mask)
        if self._takes_training:
            kwargs["training"] = training
        return nest.map(_raw, self.function(nest.map(_facade, inputs), **kwargs))

    def _raw_mask(self, inputs, mask):
        if callable(self.mask):
            return nest.map(_raw, self.mask(nest.map(_facade, inputs), nest.map(_facade, mask)))
        return nest.map(_raw, self.mask)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return symbolic.traced_output_shape(self, input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = _first_dim(input_shape)
        return _map_shapes(lambda shape: (batch, *shape), self._output_shape)

    def get_config(self) -> dict:
        config = {"function": _serialize_function(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_serialize_function(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = (_serialize_function(self.mask) if callable(self.mask)
                              else ser.serialize_keras_object(self.mask))
        config["arguments"] = ser.serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None, safe_mode: bool | None = None):
        """A Lambda from `get_config()`; serialized Python lambdas need `safe_mode=False`."""
        config = dict(config)
        if safe_mode is None:
            safe_mode = ser.in_safe_mode()  # the enclosing load's `safe_mode`
        safe = safe_mode is not False and not keras_config.is_unsafe_deserialization_enabled()
        config["function"] = _deserialize_function(config["function"], custom_objects, safe)
        if "output_shape" in config:
            shape = _deserialize_function(config["output_shape"], custom_objects, safe)
            if isinstance(shape, list) and all(isinstance(d, (int, type(None))) for d in shape):
                shape = tuple(shape)
            config["output_shape"] = shape
        if "mask" in config:
            config["mask"] = _deserialize_function(config["mask"], custom_objects, safe)
        if "arguments" in config:
            config["arguments"] = ser.deserialize_keras_object(config["arguments"], custom_objects)
        return cls(**config)


def _facade(x):
    return wrap(x) if isinstance(x, torch.Tensor) else x


def _raw(x):
    return unwrap(x) if isinstance(x, TensorLike) else x


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


def _first_dim(shapes):
    """The first number of a structure of shapes (the batch size Keras prepends)."""
    while isinstance(shapes, (tuple, list, dict)):
        shapes = shapes[sorted(shapes)[0]] if isinstance(shapes, dict) else shapes[0]
    return shapes


def _map_shapes(fn, shapes):
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return type(shapes)(_map_shapes(fn, s) for s in shapes)


def _serialize_function(fn):
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
        code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__,
                                                       "closure": closure}}
    if callable(fn):
        return ser.serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


def _deserialize_function(config, custom_objects, safe: bool):
    if not (isinstance(config, dict) and config.get("class_name") == "__lambda__"):
        return ser.deserialize_keras_object(config, custom_objects=custom_objects)
    if safe:
        raise ValueError(_UNSAFE_LAMBDA)
    inner = config["config"]
    code = marshal.loads(base64.decodebytes(inner["code"].encode("ascii")))
    defaults = tuple(inner["defaults"]) if isinstance(inner["defaults"], list) else inner["defaults"]
    closure = tuple(types.CellType(v) for v in inner["closure"]) if inner["closure"] is not None else None
    return types.FunctionType(code, globals(), code.co_name, defaults, closure)
