"""`tf.TensorSpec`: the shape and dtype of a tensor, as `Dataset.element_spec` describes elements."""

from __future__ import annotations

from kerastorch.framework import dtypes
from kerastorch.framework.tensor import TensorLike
from kerastorch.framework.tensor_shape import TensorShape


class TensorSpec:
    """Describes a tensor by its shape (dimensions may be unknown) and dtype.

    Args:
        shape: a `TensorShape` or anything it accepts (`None` for an unknown rank,
            `None` entries for unknown dimensions).
        dtype: the dtype (default `tf.float32`).
        name: an optional name.

    Example:
        >>> tf.TensorSpec((None, 3), tf.int32)
        TensorSpec(shape=(None, 3), dtype=tf.int32, name=None)
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name: str | None = None):
        self._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name: str | None = None) -> TensorSpec:
        """The spec of an existing tensor (or numpy array)."""
        return cls(tensor.shape, dtypes.as_dtype(tensor.dtype), name)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def name(self) -> str | None:
        return self._name

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """Whether the dtypes are equal and the shapes compatible (unknown dimensions match any)."""
        if not isinstance(spec_or_tensor, (TensorSpec, TensorLike)):
            return False
        return self._dtype == spec_or_tensor.dtype and self._shape.is_compatible_with(spec_or_tensor.shape)

    def __eq__(self, other) -> bool:
        return (type(other) is TensorSpec and self._shape == other._shape and self._dtype == other._dtype
                and self._name == other._name)

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        name = None if self._name is None else repr(self._name)
        return f"TensorSpec(shape={self._shape}, dtype=tf.{self._dtype.name}, name={name})"

    def __reduce__(self):
        return TensorSpec, (self._shape, self._dtype, self._name)
