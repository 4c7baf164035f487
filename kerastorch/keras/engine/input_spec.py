"""`InputSpec`: what a layer accepts (rank, dtype, fixed axes), checked on every call."""

from __future__ import annotations

from kerastorch.framework import dtypes


def standardize_shape(shape) -> tuple:
    """A shape as a tuple of ints and Nones (TensorShape, torch.Size, list…)."""
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    return tuple(None if d is None else int(d) for d in shape)


class InputSpec:
    """The rank, dtype and axis sizes a layer accepts, as `keras.InputSpec`.

    Args:
        dtype: the expected dtype, or None.
        shape: the expected shape (None for any size in an axis); sets `ndim`.
        ndim, max_ndim, min_ndim: the expected rank, or bounds on it.
        axes: `{axis: size}` for axes whose size is fixed (e.g. `{-1: 8}` for Dense).
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or less.
        name: the input's name, for dict inputs.
        optional: the input may be None.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = None if dtype is None else dtypes.as_dtype(dtype).name
        if shape is not None:
            self.shape = standardize_shape(shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: axes={axes}") from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed value: {max_dim}")

    def __repr__(self) -> str:
        parts = [f"dtype={self.dtype}" if self.dtype else "",
                 f"shape={self.shape}" if self.shape else "",
                 f"ndim={self.ndim}" if self.ndim else "",
                 f"max_ndim={self.max_ndim}" if self.max_ndim else "",
                 f"min_ndim={self.min_ndim}" if self.min_ndim else "",
                 f"axes={self.axes}" if self.axes else ""]
        return f"InputSpec({', '.join(p for p in parts if p)})"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes, "optional": self.optional}

    @classmethod
    def from_config(cls, config: dict) -> InputSpec:
        return cls(**config)


def check(spec, shapes, dtype_names, layer_name: str) -> None:
    """Raises Keras's ValueError when inputs (given as shapes and dtype names) break `spec`."""
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    if len(shapes) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
                         f"{len(shapes)} input tensors.")
    for index, (s, shape, dtype) in enumerate(zip(specs, shapes, dtype_names)):
        if s is None or (shape is None and s.optional):
            continue
        _check_one(s, shape, dtype, f"Input {index} with name '{s.name}' of layer '{layer_name}' is "
                                     f"incompatible with the layer: ")


def _check_one(spec, shape, dtype, head):
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(f"{head}expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    if spec.dtype is not None and dtype != spec.dtype:
        raise ValueError(f"{head}expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, value in spec.axes.items():
        if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
            raise ValueError(f"{head}expected axis {axis} of input shape to have value {value}, but "
                             f"received input with shape {shape}")
    if spec.shape is not None:
        spec_shape = spec.shape
        if spec.allow_last_axis_squeeze:
            shape = shape[:-1] if shape and shape[-1] == 1 else shape
            spec_shape = spec_shape[:-1] if spec_shape and spec_shape[-1] == 1 else spec_shape
        for want, got in zip(spec_shape, shape):
            if want is not None and got is not None and want != got:
                raise ValueError(f"{head}expected shape={spec.shape}, found shape={shape}")
