"""`keras.metrics.Metric`: state in non-trainable Keras variables, updated on the device.

A metric has two faces (DESIGN.md, "Training loop principles"):

- the Keras API on kerastorch tensors: `update_state`, `result`, `reset_state`, and
  `metric(y_true, y_pred)` (update, then result);
- the fit loop's entry points on torch tensors: `metric.raw_update(y_true, y_pred,
  sample_weight=None)` adds a batch to the state in place, on the state's device, with
  no host sync and no wrapping; `metric.raw_result()` computes the result on the device
  as a fresh torch tensor (a dict of them for a dict result); `reset_state()` zeroes the
  state in place.

A built-in metric implements `_update` and `_result` on torch tensors and its public
methods are thin shells over them (marked `@facade`). A user subclass that implements
`update_state` / `result` on kerastorch tensors (also a subclass of a built-in that
overrides either) is reached by the raw entry points through the facade.
"""

from __future__ import annotations

import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import config, dtype_policies, initializers
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.variables import KerasVariable


def facade(method):
    """Marks a built-in's public `update_state` / `result` as a shell over `_update` / `_result`."""
    method._kerastorch_facade = True
    return method


def _is_facade(method) -> bool:
    return getattr(method, "_kerastorch_facade", False)


def raw_or_none(value):
    """The torch tensor of an optional argument (sample weights)."""
    return None if value is None else unwrap(value)


def _unwrap_result(value):
    # A user metric may return a dict of results (Keras allows it); built-ins return one tensor.
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    return unwrap(value)


@ser.keras_export("keras.Metric", "keras.metrics.Metric")
class Metric:
    """Encapsulates metric logic and state (`keras.metrics.Metric`).

    Subclasses create their state in `__init__` with `self.add_variable(...)`, implement
    `update_state(...)` (assigning to the variables) and `result()` (a scalar tensor or
    a dict of them).

    Args:
        dtype: the dtype of the metric's computations (default `keras.config.floatx()`);
            a `DTypePolicy` gives its compute dtype.
        name: the metric's name (default: the snake-cased class name, made unique).

    Example:
        >>> class Positives(tf.keras.metrics.Metric):
        ...     def __init__(self, name="positives", **kwargs):
        ...         super().__init__(name=name, **kwargs)
        ...         self.count = self.add_variable(shape=(), initializer="zeros", name="count")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.count.assign_add(tf.reduce_sum(tf.cast(y_pred > 0.5, "float32")))
        ...     def result(self):
        ...         return self.count.value
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._raw_updates = _is_facade(cls.update_state)
        cls._raw_results = _is_facade(cls.result)

    def __init__(self, dtype=None, name: str | None = None):
        self._variables = []
        self._metrics = []
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self._dtype_policy = dtype_policies.get("int64" if dtype == "int" else dtype or config.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._torch_dtype = dtypes.as_dtype(self._dtype)._torch

    _raw_updates = False
    _raw_results = False

    def __setattr__(self, name: str, value) -> None:
        tracked = self.__dict__.get("_metrics")
        if tracked is not None:
            if isinstance(value, Metric) and not any(m is value for m in tracked):
                tracked.append(value)
            elif isinstance(value, KerasVariable) and not any(v is value for v in self._variables):
                self._variables.append(value)
        object.__setattr__(self, name, value)

    def _check_super_called(self) -> None:
        if "_metrics" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` method. Go add it!")

    @property
    def dtype(self) -> str:
        """The compute dtype name, e.g. `"float32"`."""
        return self._dtype

    @property
    def variables(self) -> list:
        """The state variables, the metric's own then those of metrics it holds."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def add_variable(self, shape, initializer, dtype=None, aggregation: str = "sum",
                     name: str | None = None) -> KerasVariable:
        """A non-trainable state variable at path `<metric name>/<name>`."""
        self._check_super_called()
        variable = KerasVariable(initializers.get(initializer), shape=shape, dtype=dtype or config.floatx(),
                                 trainable=False, aggregation=aggregation, name=name,
                                 path=self.name.replace("/", ">"))
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name: str | None = None) -> KerasVariable:
        """`add_variable` under its Keras 2 name."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    # -- the Keras API ----------------------------------------------------------------
    def update_state(self, *args, **kwargs):
        """Accumulates statistics for the metric."""
        raise NotImplementedError

    def result(self):
        """The current value: a scalar tensor, or a dict of scalar tensors."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Zeroes every state variable, in place."""
        params = [v._param for v in self.variables]
        if params:
            with torch.no_grad():
                torch._foreach_zero_(params)

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # -- the fit loop's entry points --------------------------------------------------
    def raw_update(self, *args, sample_weight=None) -> None:
        """`update_state` on torch tensors: the state changes in place, no host sync."""
        if self._raw_updates:
            if torch.is_grad_enabled():
                self._run_update(*args, sample_weight=sample_weight)
            else:
                self._update(*args, sample_weight=sample_weight)
            return
        if sample_weight is None:
            self.update_state(*(wrap(arg) for arg in args))
        else:
            self.update_state(*(wrap(arg) for arg in args), sample_weight=wrap(sample_weight))

    def raw_result(self):
        """`result()` as a fresh torch tensor (or dict of them) on the state's device."""
        if self._raw_results:
            return self._result()
        return _unwrap_result(self.result())

    def _run_update(self, *args, sample_weight=None) -> None:
        # Metric state never takes part in a gradient: the in-place updates must not
        # record the (differentiable) predictions they read.
        with torch.no_grad():
            self._update(*args, sample_weight=sample_weight)

    def _update(self, *args, sample_weight=None) -> None:
        raise NotImplementedError

    def _result(self):
        raise NotImplementedError

    # -- configuration ----------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """A metric from its `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


class Builtin(Metric):
    """A built-in metric of `(y_true, y_pred, sample_weight)`: `_update`/`_result` on torch tensors."""

    @facade
    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._run_update(unwrap(y_true), unwrap(y_pred), sample_weight=raw_or_none(sample_weight))

    @facade
    def result(self):
        return wrap(self._result())
