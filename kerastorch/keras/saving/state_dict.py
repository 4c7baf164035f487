"""Torch interop: which Keras variable each `model.state_dict()` entry is.

A kerastorch model is a `torch.nn.Module`, so `model.state_dict()` and
`model.load_state_dict()` work as in PyTorch. Its keys follow torch's module tree
(attribute names: `0.kernel` in a Sequential, `_graph_layers.lstm.cell.kernel` in a
functional model); `variable_paths` gives the Keras path of each
(`lstm/lstm_cell/kernel`), the name `model.weights` and TF use.
"""

from __future__ import annotations


def variable_paths(model) -> dict:
    """`{state_dict key: Keras variable path}` for every entry of `model.state_dict()`.

    An entry that is not a Keras variable (a buffer of a torch module wrapped by
    `TorchModuleWrapper`) maps to None.

    Example:
        >>> model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
        >>> tf.keras.saving.variable_paths(model)
        {'0.kernel': 'sequential/dense/kernel', '0.bias': 'sequential/dense/bias'}
    """
    by_tensor = {id(v._param): v.path for v in model.weights}
    return {key: by_tensor.get(id(tensor)) for key, tensor in model.state_dict(keep_vars=True).items()}
