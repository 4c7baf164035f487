"""The one test harness every built-in layer goes through.

`check_layer(make, *input_shapes)` builds a fresh layer with `make()` and checks:

- building: the first call builds it; weight shapes and counts add up to `count_params()`;
- shapes: the eager output shape equals `compute_output_shape` and the shape of a
  symbolic call on `keras.Input`s (batch axis None in both);
- config: `from_config(get_config())` gives the same config and, with the same
  weights, the same outputs;
- training: with `trainable=True` weights, a GradientTape gives a gradient for every
  trainable weight and one SGD step changes the output.

It returns the layer and its output so a test can go on checking values.
"""

from __future__ import annotations

import numpy as np

import kerastorch as tf
from kerastorch import keras


def normal(*shape, seed=0, dtype="float32") -> np.ndarray:
    """Standard normal values of `shape`, the same for the same seed."""
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def unbuilt(layer):
    """`layer` marked unbuilt: Keras builds weightless layers at creation; the harness wants to see the
    first call build."""
    layer.built = False
    return layer


def make_input(shape, dtype="float32", seed=0, high=10):
    if np.dtype(dtype).kind in "iu":
        return tf.constant(np.random.default_rng(seed).integers(0, high, shape).astype(dtype))
    return tf.constant(normal(*shape, seed=seed, dtype=dtype))


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat(item)]
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in _flat(x[k])]
    return [x]


def _shape(s):
    return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)


def check_layer(make, *input_shapes, input_dtype="float32", call_kwargs=None, expect_weights=None,
                train=True, symbolic=True, compute_shape=True, high=10, built_at_init=False, as_list=False):
    """Runs the shared checks on the layer `make()` builds (see the module docstring).

    `built_at_init`: the layer (weightless) is built when created, as Keras marks some.
    `as_list`: the inputs are passed as one list (`Add()([a, b])`).
    """
    call_kwargs = call_kwargs or {}
    tensors = [make_input(s, input_dtype, seed=i, high=high) for i, s in enumerate(input_shapes)]
    inputs = [tensors] if as_list else tensors
    layer = make()
    assert layer.built == built_at_init
    out = layer(*inputs, **call_kwargs)
    assert layer.built
    sizes = [int(np.prod(w.shape.as_list())) for w in layer.weights]
    assert layer.count_params() == sum(sizes)
    if expect_weights is not None:
        assert [tuple(w.shape.as_list()) for w in layer.weights] == [tuple(s) for s in expect_weights]
    eager = [tuple(o.shape.as_list()) for o in _flat(out) if o is not None]
    batchless = [(None, *s[1:]) for s in eager]
    if compute_shape:
        shapes = [(None, *tuple(s)[1:]) for s in input_shapes]
        computed = layer.compute_output_shape(shapes) if as_list else layer.compute_output_shape(*shapes)
        computed = computed if isinstance(computed, list) or (
            isinstance(computed, tuple) and computed and isinstance(computed[0], (tuple, list))) else [computed]
        assert [_shape(c)[1:] for c in computed] == [s[1:] for s in eager]
    if symbolic:
        fresh = make()
        sym_in = [keras.Input(batch_shape=(None, *s[1:]), dtype=input_dtype) for s in input_shapes]
        sym_in = [sym_in] if as_list else sym_in
        sym_out = fresh(*sym_in, **{k: v for k, v in call_kwargs.items() if not hasattr(v, "shape")})
        assert [tuple(o.shape) for o in _flat(sym_out) if o is not None] == batchless

    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone(*inputs, **call_kwargs)
    clone.set_weights(layer.get_weights())
    for a, b in zip(_flat(clone(*inputs, **call_kwargs)), _flat(layer(*inputs, **call_kwargs))):
        if a is not None and not call_kwargs.get("training"):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)

    if train and layer.trainable_weights:
        with tf.GradientTape() as tape:
            loss = sum(tf.reduce_sum(tf.cast(o, "float32") ** 2) for o in _flat(layer(*inputs, **call_kwargs))
                       if o is not None and o.dtype.is_floating)
        grads = tape.gradient(loss, layer.trainable_weights)
        assert all(g is not None for g in grads), [w.path for w, g in zip(layer.trainable_weights, grads)
                                                   if g is None]
        before = [np.asarray(o) for o in _flat(layer(*inputs, **call_kwargs)) if o is not None]
        for w, g in zip(layer.trainable_weights, grads):
            w.assign_sub(0.1 * tf.convert_to_tensor(g))
        after = [np.asarray(o) for o in _flat(layer(*inputs, **call_kwargs)) if o is not None]
        assert any(not np.allclose(a, b) for a, b in zip(before, after))
    return layer, out
