"""`keras.Sequential`: a linear stack of layers, each reading the previous one's output."""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_layer import InputLayer
from kerastorch.keras.engine.symbolic import KerasTensor
from kerastorch.keras.models.model import Model


@ser.keras_export("keras.Sequential", "keras.models.Sequential")
class Sequential(Model):
    """A model whose layers run one after the other (`keras.Sequential`).

    The input shape comes from a leading `keras.Input(shape)` (or Keras 2's
    `input_shape=` on the first layer); without one the model is built by its first call.

    Args:
        layers: the layers, in order (a `keras.Input` first is allowed).
        trainable: whether its weights train.
        name: the model's name (default `sequential`, `sequential_1`, …).

    Example:
        >>> model = tf.keras.Sequential([
        ...     tf.keras.Input(shape=(4,)),
        ...     tf.keras.layers.Dense(16, activation="relu"),
        ...     tf.keras.layers.Dense(1, activation="sigmoid")])
        >>> model.output_shape
        (None, 1)
    """

    def __init__(self, layers=None, trainable: bool = True, name: str | None = None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = []
        self._input = None  # the InputLayer, when the input shape is known
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    # -- the stack ----------------------------------------------------------------------
    def add(self, layer, rebuild: bool = True) -> None:
        """Appends a layer (or a `keras.Input`, which sets the input shape)."""
        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history.operation, InputLayer):
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential model. Received: "
                             f"{layer} (of type {type(layer)})")
        if isinstance(layer, InputLayer):
            if self._stack or self._input is not None:
                raise ValueError(f"Sequential model '{self.name}' has already been configured to use an input "
                                 f"shape; an InputLayer can only be the first layer.")
            self._input = layer
        else:
            if any(existing.name == layer.name for existing in self._stack):
                raise ValueError(f"All layers added to a Sequential model should have unique names. Name "
                                 f"'{layer.name}' is already the name of a layer in this model. Update the "
                                 f"`name` argument to pass a unique name.")
            if not self._stack and self._input is None and layer._batch_input_shape is not None:
                self._input = InputLayer(batch_shape=layer._batch_input_shape)
            self._stack.append(layer)
            self._modules[str(len(self._stack) - 1)] = layer
        self.built = False
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True):
        """Removes and returns the last layer."""
        layer = self._stack[-1]  # IndexError "list index out of range" on an empty model, as Keras
        self._stack.pop()
        del self._modules[str(len(self._stack))]
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self) -> list:
        return list(self._stack)

    def _sublayers(self) -> list:
        return list(self._stack)

    def _internal_modules(self) -> set:
        """The `_modules` keys that hold the stack itself (weight files list `layers` instead)."""
        return {"_input", "_stack", *(str(i) for i in range(len(self._stack)))}

    # -- building -----------------------------------------------------------------------
    def _maybe_rebuild(self) -> None:
        if self._input is not None and self._stack:
            self.build(self._input.batch_shape)

    def build(self, input_shape=None) -> None:
        if input_shape is None:
            raise ValueError(f"You must provide an `input_shape` argument to build the Sequential model "
                             f"'{self.name}'.")
        if self._input is None or tuple(self._input.batch_shape) != tuple(input_shape):
            dtype = self._input.dtype if self._input is not None else "float32"
            self._input = InputLayer(batch_shape=tuple(input_shape), dtype=dtype)
        # Keras builds a Sequential through a functional model; its name takes a number too.
        naming.unique_name("functional")
        x = self._input.output
        for layer in self._stack:  # inside this model's name scope (the build wrapper's)
            x = layer(x)
        self._output = x
        self.built = True
        self._build_shapes = tuple(input_shape)

    @property
    def inputs(self) -> list:
        return [self._input.output] if self._input is not None and self.built else []

    @property
    def outputs(self) -> list:
        return [self._output] if self.built else []

    @property
    def input(self):
        return self.inputs[0] if self.inputs else None

    @property
    def output(self):
        return self._output if self.built else None

    @property
    def input_shape(self):
        if self._input is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input shape yet.")
        return self._input.batch_shape

    @property
    def output_shape(self):
        if not self.built:
            raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")
        return self._output.shape

    # -- running ------------------------------------------------------------------------
    @property
    def input_dtype(self) -> str:
        """Its Input's dtype, when it has one: Keras casts a model's inputs to that, not to the
        compute dtype (a float32 first layer under a mixed policy sees float32 data)."""
        return self._input.dtype if self._input is not None else super().input_dtype

    def forward(self, inputs, training=None):
        x = inputs
        for layer in self._stack:
            x = layer._raw_call((x,), {})
        return x

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    def get_config(self) -> dict:
        from kerastorch.keras.layers import serialization

        layers = []
        if self._input is not None:
            layers.append(serialization.serialize(self._input))
        layers.extend(serialization.serialize(layer) for layer in self._stack)
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": super().get_config()["dtype"], "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = self._build_shapes
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from kerastorch.keras.layers import serialization

        layers = [serialization.deserialize(item, custom_objects=custom_objects) for item in config["layers"]]
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer in layers:
            model.add(layer, rebuild=False)
        if config.get("build_input_shape") is not None and model._input is None:
            model.build(tuple(config["build_input_shape"]))
        else:
            model._maybe_rebuild()
        return model
