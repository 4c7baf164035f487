"""`keras.Model`: a layer that can be trained (the Trainer mixin) and that holds layers.

`Model(inputs, outputs)` builds a functional model (`functional.py`); subclasses of
`Model` define `call` like a layer; `Sequential` (`sequential.py`) is a stack.
"""

from __future__ import annotations

import json
import warnings

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.models.trainer import Trainer


@ser.keras_export("keras.Model", "keras.models.Model")
class Model(Trainer, Layer):
    """A layer with training (`compile`/`fit`/`evaluate`/`predict`) and layer access.

    `keras.Model(inputs, outputs)` makes a functional model; subclass it and define
    `call` for a model written as Python code.

    Example:
        >>> class MLP(tf.keras.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = tf.keras.layers.Dense(8, activation="relu")
        ...         self.out = tf.keras.layers.Dense(1)
        ...     def call(self, x, training=False):
        ...         return self.out(self.hidden(x))
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from kerastorch.keras.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            from kerastorch.keras.models.functional import Functional

            if isinstance(self, Functional):
                raise TypeError("Model(inputs, outputs) needs both `inputs` and `outputs`.")
            # A subclass of Model given inputs and outputs becomes functional, as in Keras:
            # Functional takes Model's place among its bases (its train_step etc. stay).
            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Trainer.__init__(self)
        Layer.__init__(self, **kwargs)

    @property
    def layers(self) -> list:
        """The model's direct sublayers, in the order they were assigned."""
        return self._sublayers()

    def get_layer(self, name: str | None = None, index: int | None = None):
        """A sublayer by name or by index in `layers`."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                 f"{len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def to_json(self, **kwargs) -> str:
        """The model's architecture as JSON (`keras.models.model_from_json` reads it back)."""
        return json.dumps(ser.serialize_keras_object(self), default=_json_default, **kwargs)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A model from its config: a functional model's config (layers and their calls) builds a
        functional model, as Keras does for `Model` and for subclasses taking `(inputs, outputs)`;
        any other config is passed to the constructor."""
        from kerastorch.keras.models import functional_config
        from kerastorch.keras.models.functional import Functional

        functional_keys = ("name", "layers", "input_layers", "output_layers")
        if all(key in config for key in functional_keys) and _revivable_as_functional(cls):
            return functional_config.from_config(cls if issubclass(cls, Functional) else Functional, config,
                                                 custom_objects)
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(f"Unable to revive model from config. When overriding the `get_config()` method, make "
                            f"sure that the returned config contains all items used as arguments in the "
                            f"constructor to {cls}, which is the default behavior. You can override this default "
                            f"behavior by defining a `from_config(cls, config)` class method to specify how to "
                            f"create an instance of {cls.__name__} from its config.\n\nReceived config={config}"
                            f"\n\nError encountered during deserialization: {error}") from None

    def build_from_config(self, config: dict) -> None:
        """Builds the model from `get_build_config()`'s dict: a model without its own `build`
        is called once on symbolic inputs of that shape, which creates its layers' weights."""
        if not config or self.built:
            return
        shape = _shapes_from_json(config.get("input_shape"))
        if type(self).build is not Layer.build or shape is None:
            super().build_from_config(config)
            return
        from kerastorch.keras.engine.input_layer import Input

        try:
            self(_map_shapes(lambda s: Input(batch_shape=s), shape))
        except Exception as error:  # noqa: BLE001 -- Keras warns and goes on with an unbuilt model
            warnings.warn(f"Model '{self.name}' had a build config, but the model cannot be built automatically in "
                          f"`build_from_config(config)`. You should implement `def build_from_config(self, "
                          f"config)`, and you might also want to implement the method that generates the config at "
                          f"saving time, `def get_build_config(self)`. The method `build_from_config()` is meant to "
                          f"create the state of the model (i.e. its variables) upon deserialization. ({error})",
                          stacklevel=2)

    # -- files --------------------------------------------------------------------------
    def save(self, filepath, overwrite: bool = True, zipped: bool | None = None, **kwargs) -> None:
        """Saves the model (architecture, weights, compile state) as a `.keras` file (or legacy `.h5`)."""
        from kerastorch.keras.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        """Saves every variable (the optimizer's included) to a `.weights.h5` file."""
        from kerastorch.keras.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch: bool = False, **kwargs) -> None:
        """Loads weights from a `.weights.h5`, `.keras` or legacy `.h5` file (`by_name=` for `.h5`)."""
        from kerastorch.keras.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                layer_range=None):
        """Prints the layers, their output shapes and parameter counts (Keras's table)."""
        from kerastorch.keras.models.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)


def _inject_functional(cls):
    from kerastorch.keras.models.functional import Functional

    if cls is Model:
        return Functional
    if cls is object or not issubclass(cls, Model) or issubclass(cls, Functional):
        return cls
    cls.__bases__ = tuple(_inject_functional(base) for base in cls.__bases__)
    return cls


def _revivable_as_functional(cls) -> bool:
    """Model itself, or a subclass whose constructor takes what Functional's does."""
    import inspect

    if cls is Model or cls.__name__ == "Functional":
        return True
    spec = inspect.getfullargspec(cls.__init__)
    return spec.args[1:] == ["inputs", "outputs"] or (spec.varargs == "args" and spec.varkw == "kwargs")


def _is_shape(value) -> bool:
    return isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value)


def _shapes_from_json(value):
    """A shape (tuple) or a structure of shapes, from JSON's lists."""
    if value is None or _is_shape(value):
        return None if value is None else tuple(value)
    if isinstance(value, dict):
        return {k: _shapes_from_json(v) for k, v in value.items()}
    return [_shapes_from_json(v) for v in value]


def _map_shapes(fn, shapes):
    if isinstance(shapes, tuple):
        return fn(shapes)
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return [_map_shapes(fn, s) for s in shapes]


def _json_default(value):
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable: {value!r}")
