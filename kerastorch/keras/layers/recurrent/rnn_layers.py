"""`RecurrentLayer`: the shell SimpleRNN, LSTM, GRU and ConvLSTM share.

Such a layer makes its built-in cell from its own arguments (the cell is named
`lstm_cell`, `gru_cell`, …, so weight paths read `lstm/lstm_cell/kernel`), exposes the
cell's settings as its own attributes and flattens the cell's config into its own.
"""

from __future__ import annotations

from kerastorch.keras import regularizers
from kerastorch.keras.layers.recurrent.rnn import RNN

_LAYER_KEYS = ("name", "trainable", "dtype")


def cell_properties(*names: str):
    """Class decorator: read-only attributes `layer.<name>` that read `layer.cell.<name>`."""

    def decorate(cls):
        for name in names:
            setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n)))
        return cls

    return decorate


class RecurrentLayer(RNN):
    """An RNN layer with a built-in cell built from its constructor arguments."""

    _cell_class = None
    _cell_name = None
    _cell_keys_not_in_config = ()  # SimpleRNN's config leaves out its cell's `seed`

    def __init__(self, cell_args: dict, use_cudnn=None, **kwargs):
        cell = self._cell_class(**cell_args, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                                name=self._cell_name)
        super().__init__(cell, **kwargs)
        if use_cudnn is not None:  # LSTM and GRU take it (and ignore it: torch picks its kernels)
            if use_cudnn not in ("auto", True, False):
                raise ValueError(f"Invalid valid received for argument `use_cudnn`. Expected one of "
                                 f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}")
            self.use_cudnn = use_cudnn

    def get_config(self) -> dict:
        skipped = (*_LAYER_KEYS, *self._cell_keys_not_in_config)
        cell_config = {k: v for k, v in self.cell.get_config().items() if k not in skipped}
        config = {**super().get_config(), **_layer_order(cell_config, self.activity_regularizer)}
        del config["cell"]
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)


def _layer_order(cell_config: dict, activity_regularizer) -> dict:
    """The cell's entries as Keras's RNN layers list them, with the layer's activity regularizer:
    `unit_forget_bias` after the initializers, `activity_regularizer` after the regularizers."""
    ordered = {}
    for key, value in cell_config.items():
        if key != "unit_forget_bias":
            ordered[key] = value
        if key == "bias_initializer" and "unit_forget_bias" in cell_config:
            ordered["unit_forget_bias"] = cell_config["unit_forget_bias"]
        elif key == "bias_regularizer":
            ordered["activity_regularizer"] = regularizers.serialize(activity_regularizer)
    return ordered
