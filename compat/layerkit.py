"""Layer parity: case specs, and one runner that works under TensorFlow and kerastorch alike.

A layer case is a dict made by `layer_case`:

- `id`: unique, used for the input seed and the fixture keys;
- `layer`: a Python expression building the layer, evaluated with `layers`, `keras`,
  `tf` and `np` in scope (`"layers.Dense(3, activation='relu')"`);
- `inputs`: the positional inputs, as casekit specs (`N(2, 4)`, `I(0, 10, 2, 5)`, …);
- `kwargs`: a Python expression for the call's keyword arguments (`"{'training': True}"`),
  evaluated with the inputs bound as `x0`, `x1`, … so masks can be derived from them;
- `positional`: how many of the inputs are passed positionally (default all; the rest are
  only bound for `kwargs`, e.g. a mask or an initial state);
- `as_list`: pass the positional inputs as one list (`Add()([a, b])`);
- `mask_from`: the index of an input (not positional) put on the first input as its
  `_keras_mask`, so the mask arrives the way an upstream layer would pass it;
- `grad`: record gradients of `sum(outputs * cotangents)` with respect to the float
  inputs and the trainable weights;
- `set_weights`: replace the layer's initial weights by seeded uniform values before the
  call (so biases and BatchNorm statistics are not trivial); False keeps the layer's own
  (lookup tables, layers whose weights have structure);
- `rtol`/`atol` with `why` when a case needs looser tolerances than 1e-5.

The generator (`generate_layers.py`, run under TF) runs each case with TF and stores the
inputs, weights, outputs, masks, gradients, parameter count, weight names and shapes,
config keys and the symbolic output shape. The test runs the same case with kerastorch,
loading TF's weights, and compares. Nothing here imports TensorFlow or kerastorch: the
caller passes its `tf` module in.
"""

from __future__ import annotations

import numpy as np

from compat.casekit import A, I, N, U  # noqa: F401 -- re-exported for the case lists
from compat.harness import case_seed


def layer_case(case_id: str, layer: str, *inputs, kwargs: str = "{}", positional: int | None = None,
               as_list: bool = False, mask_from: int | None = None, grad: bool = True, set_weights: bool = True, symbolic: bool = True,
               rtol: float | None = None, atol: float | None = None, why: str | None = None) -> dict:
    """One layer parity case (see the module docstring)."""
    spec = {"id": case_id, "layer": layer, "inputs": list(inputs), "kwargs": kwargs, "grad": grad,
            "set_weights": set_weights, "symbolic": symbolic, "as_list": as_list, "mask_from": mask_from,
            "positional": len(inputs) if positional is None else positional}
    if rtol is not None or atol is not None:
        if not why:
            raise ValueError(f"A case with its own tolerances says why. Received: why={why!r}")
        spec.update(rtol=rtol, atol=atol, why=why)
    return spec


def make_inputs(case: dict) -> list:
    """The case's input arrays, from its seed."""
    rng = np.random.default_rng(case_seed(case["id"]))
    arrays = []
    for spec in case["inputs"]:
        kind = spec[0]
        if kind == "normal":
            arrays.append(rng.standard_normal(spec[1]).astype(spec[2]))
        elif kind == "uniform":
            arrays.append(rng.uniform(spec[3], spec[4], spec[1]).astype(spec[2]))
        elif kind == "int":
            arrays.append(rng.integers(spec[3], spec[4], spec[1]).astype(spec[2]))
        elif kind == "array":
            arrays.append(np.asarray(spec[1], dtype=spec[2]))
        else:
            raise ValueError(f"Unknown input spec {spec!r}")
    return arrays


def seeded_weights(case: dict, shapes: list, names: list) -> list:
    """Uniform(-0.5, 0.5) values for each weight; variances in (0.5, 1.5) so they stay positive."""
    rng = np.random.default_rng(case_seed(case["id"]) + 1)
    out = []
    for shape, name in zip(shapes, names):
        if "variance" in name:
            out.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            out.append(rng.uniform(-0.5, 0.5, shape).astype("float32"))
    return out


def build_layer(case: dict, tf, keras):
    scope = {"layers": keras.layers, "keras": keras, "tf": tf, "np": np}
    return eval(case["layer"], scope)  # noqa: S307 -- case expressions are ours


def _flat(outputs) -> list:
    if isinstance(outputs, (list, tuple)):
        return [leaf for x in outputs for leaf in _flat(x)]
    if isinstance(outputs, dict):
        return [leaf for k in sorted(outputs) for leaf in _flat(outputs[k])]
    return [outputs]


def run_case(case: dict, tf, keras, arrays: list, weights: list | None = None) -> dict:
    """Builds the layer, sets `weights` (if given), calls it and records what parity compares.

    Returns a dict of numpy arrays and plain values: `outputs`, `masks` (None where an
    output has no mask), `input_grads`, `weight_grads`, `weights` (before the recorded
    call), `weights_after` (after it: moving statistics, states), `weight_names`,
    `weight_shapes`, `trainable`, `count_params`, `config_keys`, `symbolic_shapes`.
    """
    layer = build_layer(case, tf, keras)
    tensors, args, kwargs = _call_args(case, tf, keras, arrays)
    layer(*args, **kwargs)  # builds
    if weights is not None:
        layer.set_weights(weights)
    initial = [np.asarray(w) for w in layer.get_weights()]
    names = [_bare(w.path) for w in layer.weights]
    with tf.GradientTape(persistent=True) as tape:
        floats = [t for t in tensors if t.dtype.is_floating]
        for t in floats:
            tape.watch(t)
        outputs = layer(*args, **kwargs)
        flat = [o for o in _flat(outputs) if o is not None]
        rng = np.random.default_rng(case_seed(case["id"]) + 2)
        cotangents = [rng.standard_normal(tuple(o.shape)).astype("float32") for o in flat]
        total = None
        for o, c in zip(flat, cotangents):
            if o.dtype.is_floating:
                term = tf.reduce_sum(tf.cast(o, "float32") * c)
                total = term if total is None else total + term
    result = {
        "outputs": [np.asarray(o) for o in flat],
        "masks": [None if getattr(o, "_keras_mask", None) is None else np.asarray(o._keras_mask) for o in flat],
        "weights": initial,
        "weights_after": [np.asarray(w) for w in layer.get_weights()],
        "weight_names": names,
        "weight_shapes": [list(w.shape) for w in layer.weights],
        "trainable": [bool(w.trainable) for w in layer.weights],
        "count_params": int(layer.count_params()),
        "config_keys": sorted(layer.get_config().keys()),
    }
    if case["grad"] and total is not None:
        grads = tape.gradient(total, floats + list(layer.trainable_weights))
        result["input_grads"] = [None if g is None else np.asarray(g) for g in grads[:len(floats)]]
        result["weight_grads"] = [None if g is None else np.asarray(tf.convert_to_tensor(g))
                                  for g in grads[len(floats):]]
    if case["symbolic"]:
        symbolic = build_layer(case, tf, keras)
        ins = [keras.Input(batch_shape=(None, *a.shape[1:]), dtype=str(a.dtype))
               for a in arrays[:case["positional"]]]
        sym_kwargs = {k: v for k, v in kwargs.items() if not hasattr(v, "shape")}
        out = symbolic(*([ins] if case["as_list"] else ins), **sym_kwargs)
        result["symbolic_shapes"] = [list(o.shape) for o in _flat(out) if o is not None]
    return result


def built_layer(case: dict, tf, keras, arrays: list):
    """The case's layer, built by one call on the case's inputs (what a weight file would save)."""
    layer = build_layer(case, tf, keras)
    _, args, kwargs = _call_args(case, tf, keras, arrays)
    layer(*args, **kwargs)
    return layer


def _call_args(case: dict, tf, keras, arrays: list) -> tuple:
    """The input tensors, the positional arguments and the keyword arguments of the case's call."""
    tensors = [tf.constant(a) for a in arrays]
    scope = {f"x{i}": t for i, t in enumerate(tensors)}
    scope.update(tf=tf, np=np, keras=keras)
    kwargs = eval(case["kwargs"], scope)  # noqa: S307
    if case.get("mask_from") is not None:
        tensors[0]._keras_mask = tf.cast(tensors[case["mask_from"]], "bool")
    args = tensors[:case["positional"]]
    return tensors, [args] if case["as_list"] else args, kwargs


def _bare(path: str) -> str:
    """A variable path without its layer prefix: `dense_3/kernel` -> `kernel`."""
    return path.split("/", 1)[1] if "/" in path else path
