"""The options built-in layers take per weight, and their activation.

A weight `kernel` comes with `kernel_initializer`, `kernel_regularizer` and
`kernel_constraint` arguments (likewise `bias`, `recurrent`, `depthwise`, `gamma`, …):
`set_weight_options` resolves and stores them, `add_weight_with_options` creates the
weight with them, `weight_options_config` serializes them in Keras's config order —
every initializer, then every regularizer (the activity regularizer after them where the
layer lists it), then every constraint.
"""

from __future__ import annotations

from collections.abc import Callable

from kerastorch.keras import activations, constraints, initializers, regularizers
from kerastorch.keras.engine.base_layer import Layer

_FAMILIES = {"initializer": initializers, "regularizer": regularizers, "constraint": constraints}


def set_weight_options(layer: Layer, prefix: str, initializer, regularizer=None, constraint=None) -> None:
    """Stores `layer.<prefix>_initializer`, `_regularizer` and `_constraint`, resolved by their families."""
    for (suffix, family), value in zip(_FAMILIES.items(), (initializer, regularizer, constraint)):
        setattr(layer, f"{prefix}_{suffix}", family.get(value))


def add_weight_with_options(layer: Layer, prefix: str, shape: tuple, name: str | None = None, **kwargs):
    """`layer.add_weight` with the `<prefix>_*` options (named `prefix` unless `name`; `kwargs` override)."""
    options = {suffix: getattr(layer, f"{prefix}_{suffix}") for suffix in _FAMILIES}
    return layer.add_weight(name=name or prefix, shape=shape, **{**options, **kwargs})


def weight_options_config(layer: Layer, *prefixes: str, activity: bool = False,
                          families: tuple = ("initializer", "regularizer", "constraint")) -> dict:
    """The serialized `<prefix>_<family>` entries, family by family, each family in `prefixes` order.

    Args:
        layer: the layer holding the options.
        *prefixes: the weights' prefixes (`"kernel"`, `"bias"`, …).
        activity: list `activity_regularizer` after the regularizers.
        families: the families to list (a layer interleaving other keys lists them in parts).
    """
    config = {}
    for suffix in families:
        for prefix in prefixes:
            config[f"{prefix}_{suffix}"] = _FAMILIES[suffix].serialize(getattr(layer, f"{prefix}_{suffix}"))
        if activity and suffix == "regularizer":
            config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    return config


def resolve_activation(identifier) -> tuple[Callable, Callable]:
    """The activation `identifier` names and its torch-tensor form: `(activation, raw)`."""
    activation = activations.get(identifier)
    return activation, activations.raw_activation(activation)
