"""`keras.Input` and `InputLayer`: where a functional model's symbolic tensors start."""

from __future__ import annotations

from kerastorch.framework import dtypes
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.symbolic import KerasHistory, KerasTensor, Node


class InputLayer(Layer):
    """The layer behind `keras.Input`: it holds the input's `output` KerasTensor.

    Args:
        shape: the shape of one sample (no batch axis), e.g. `(28, 28, 1)`.
        batch_size: a fixed batch size, or None.
        dtype: the input dtype (default float32).
        sparse, ragged: accepted for compatibility (dense tensors only).
        batch_shape: the full shape, batch axis included (instead of `shape`).
        input_tensor: an existing KerasTensor to use as the output.
        optional: the input may be None.
        name: the layer's name (also the output tensor's name when given).
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional: bool = False, name: str | None = None, **kwargs):
        kwargs.pop("ragged", None)
        super().__init__(name=name, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if shape is None and batch_shape is None and input_tensor is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            batch_shape = (batch_size, *_shape(shape))
        elif batch_shape is None:
            batch_shape = input_tensor.shape
        self._batch_shape = tuple(batch_shape)
        self._input_dtype = dtypes.as_dtype(dtype or "float32").name
        self.sparse = bool(sparse)
        self.ragged = False
        self.optional = optional
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, self._input_dtype, sparse=self.sparse, name=name,
                                       record_history=KerasHistory(self, 0, 0))
            self._inbound_nodes = [Node(self, (), {}, input_tensor)]
        self._output = input_tensor

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def output(self) -> KerasTensor:
        return self._output

    @property
    def dtype(self) -> str:
        return self._input_dtype

    def call(self):
        return self._output

    def get_config(self) -> dict:
        return {"batch_shape": self._batch_shape, "dtype": self._input_dtype, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,  # noqa: N802
          tensor=None, optional: bool = False) -> KerasTensor:
    """A symbolic input tensor for a functional model (`keras.Input`).

    Args:
        shape: the shape of one sample, without the batch axis, e.g. `(32,)`.
        batch_size: a fixed batch size, or None.
        dtype: the input dtype (default float32).
        batch_shape: the full shape including the batch axis, instead of `shape`.
        name: the input's name.

    Example:
        >>> x = tf.keras.Input(shape=(8,))
        >>> x.shape
        (None, 8)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape,
                       input_tensor=tensor, optional=optional, name=name)
    return layer.output


def _shape(shape) -> tuple:
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        raise ValueError(f"Cannot convert '{shape}' to a shape.") from None
