"""`TorchModuleWrapper`: any `torch.nn.Module` used as a Keras layer."""

from __future__ import annotations

import torch

from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.variables import from_parameter


class TorchModuleWrapper(Layer):
    """Uses a `torch.nn.Module` as a layer: its parameters become the layer's weights.

    The module's Parameters are shared, not copied: training the layer trains the
    module and the other way round. Inputs reach the module as torch tensors.

    Args:
        module: the torch module (lazy modules are built by the first call).
        name: the layer's name.
        output_shape: accepted and kept in the config, as Keras; symbolic calls run
            the module on data-free tensors to find shapes.

    Example:
        >>> layer = tf.keras.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
        >>> layer(tf.ones((3, 4))).shape
        TensorShape([3, 2])
    """

    def __init__(self, module, name: str | None = None, output_shape=None, **kwargs):
        if not isinstance(module, torch.nn.Module):
            raise ValueError(f"`module` must be an instance of `torch.nn.Module`. Received: module={module} "
                             f"(of type {type(module)})")
        super().__init__(name=name, **kwargs)
        self.module = module
        self._output_shape = None if output_shape is None else tuple(output_shape)
        self._wrap_parameters()

    def _wrap_parameters(self) -> None:
        seen = {id(v._param) for v in self._own_trainable + self._own_non_trainable}
        for name, param in self.module.named_parameters():
            if id(param) not in seen and not isinstance(param, torch.nn.parameter.UninitializedParameter):
                self._track_variable(from_parameter(param, name, self.name), register=False)

    def forward(self, *args, training=None, **kwargs):
        if self.module.training != bool(training):
            self.module.train(bool(training))  # dropout/batch-norm modules follow Keras's flag
        out = self.module(*args, **kwargs)
        if not self._own_trainable and not self._own_non_trainable:
            self._wrap_parameters()  # lazy modules have parameters only now
        return out

    def get_config(self) -> dict:
        return {**super().get_config(), "module": self.module, "output_shape": self._output_shape}
