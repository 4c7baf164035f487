"""Recurrent layers under masks, and the fused torch kernels against the step loop.

Masked steps must repeat the previous output and keep the states (Keras's
`backend.rnn` rule), which is checked against the same layer run on each sample's
unmasked steps alone; the fused kernels (packed for padded masks) must give the
step loop's values and gradients.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.layers.recurrent import fused, sequence
from tests.keras.layers.harness import normal

L = keras.layers


# -- masks -----------------------------------------------------------------------------------

MASKS = {
    "right_padded": [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]],
    "left_padded": [[0, 0, 1, 1, 1], [0, 1, 1, 1, 1]],
    "all_masked_row": [[0, 0, 0, 0, 0], [1, 1, 0, 0, 0]],
}
LAYERS = {
    "lstm": lambda **kw: L.LSTM(3, **kw),
    "gru": lambda **kw: L.GRU(3, **kw),
    "gru_v1": lambda **kw: L.GRU(3, reset_after=False, **kw),
    "simple_rnn": lambda **kw: L.SimpleRNN(3, **kw),
}


@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("mask_name", list(MASKS))
def test_masked_steps_repeat_the_previous_output_and_keep_the_states(kind, mask_name):
    mask = np.array(MASKS[mask_name], bool)
    layer = LAYERS[kind](return_sequences=True, return_state=True)
    x = normal(2, 5, 3)
    out, *states = layer(x, mask=tf.constant(mask))
    out = out.numpy()
    for b in range(2):
        steps = np.flatnonzero(mask[b])
        if len(steps) == 0:  # nothing to see: zero outputs, the initial (zero) states
            np.testing.assert_array_equal(out[b], 0)
            assert all(np.all(s.numpy()[b] == 0) for s in states)
            continue
        first, last = steps[0], steps[-1]
        alone, *alone_states = layer(x[b:b + 1, first:last + 1])
        np.testing.assert_array_equal(out[b, :first], 0)
        np.testing.assert_allclose(out[b, first:last + 1], alone.numpy()[0], atol=1e-6)
        np.testing.assert_allclose(out[b, last + 1:], np.broadcast_to(alone.numpy()[0, -1], out[b, last + 1:].shape),
                                   atol=1e-6)
        for s, want in zip(states, alone_states):
            np.testing.assert_allclose(s.numpy()[b], want.numpy()[0], atol=1e-6)


def _loop_twin(layer):
    """The same layer with the activation as a user function: forces the step loop."""
    config = layer.get_config()
    config["activation"] = lambda v: tf.tanh(v)
    twin = type(layer).from_config(config)
    return twin


@pytest.mark.parametrize("kind", ["lstm", "gru", "simple_rnn"])
@pytest.mark.parametrize("go_backwards", [False, True], ids=["forward", "backwards"])
@pytest.mark.parametrize("mask_name", list(MASKS))
def test_fused_kernels_equal_the_step_loop_values_and_gradients(kind, go_backwards, mask_name):
    layer = LAYERS[kind](return_sequences=True, return_state=True, go_backwards=go_backwards)
    x = tf.constant(normal(2, 5, 3))
    mask = tf.constant(np.array(MASKS[mask_name], bool))
    layer(x)
    twin = _loop_twin(layer)
    twin(x)
    twin.set_weights(layer.get_weights())
    results = []
    for each in (layer, twin):
        with tf.GradientTape() as tape:
            tape.watch(x)
            outputs = each(x, mask=mask)
            loss = sum(tf.reduce_sum(o * o) for o in outputs)
        results.append((outputs, tape.gradient(loss, [x, *each.trainable_weights])))
    for a, b in zip([*results[0][0], *results[0][1]], [*results[1][0], *results[1][1]]):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-5)


def test_fused_path_is_taken_for_padded_masks(monkeypatch):
    kinds = []
    original = fused.run
    monkeypatch.setattr(fused, "run", lambda kind, *a: kinds.append((kind, a[-1] is not None)) or original(kind, *a))
    mask = tf.constant(np.array(MASKS["left_padded"], bool))
    L.LSTM(3)(normal(2, 5, 3), mask=mask)
    L.GRU(3)(normal(2, 5, 3))
    L.SimpleRNN(3, activation="relu")(normal(2, 5, 3), mask=tf.constant(np.ones((2, 5), bool)))
    assert kinds == [("lstm", True), ("gru", False), ("rnn_relu", False)]


def test_mask_with_holes_runs_the_loop(monkeypatch):
    loops = []
    original = sequence.masked_loop
    monkeypatch.setattr(sequence, "masked_loop", lambda *a: loops.append(1) or original(*a))
    L.LSTM(3)(normal(2, 5, 3), mask=tf.constant(np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 1]], bool)))
    assert loops == [1]


@pytest.mark.parametrize(("return_sequences", "return_state", "want"), [
    (True, False, [True]), (False, False, [False]), (True, True, [True, False, False]),
    (False, True, [False, False, False])])
def test_output_masks(return_sequences, return_state, want):
    mask = np.array(MASKS["right_padded"], bool)
    outputs = L.LSTM(3, return_sequences=return_sequences, return_state=return_state)(
        normal(2, 5, 3), mask=tf.constant(mask))
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    assert [o._keras_mask is not None for o in outputs] == want
    if want[0]:
        np.testing.assert_array_equal(outputs[0]._keras_mask.numpy(), mask)


def test_mask_from_embedding_mask_zero():
    tokens = np.array([[3, 5, 2, 0, 0], [4, 1, 1, 1, 7]], "int32")
    embedded = L.Embedding(10, 3, mask_zero=True)(tokens)
    layer = L.GRU(4, return_sequences=True)
    out = layer(embedded).numpy()
    np.testing.assert_array_equal(out[0, 3], out[0, 2])
    np.testing.assert_array_equal(out[0, 4], out[0, 2])
    np.testing.assert_allclose(out[0, :3], layer(embedded[:1, :3]).numpy()[0], atol=1e-6)


def test_zero_output_for_mask():
    mask = np.array(MASKS["right_padded"], bool)
    layer = L.RNN(L.GRUCell(3), return_sequences=True, zero_output_for_mask=True)
    out = layer(normal(2, 5, 3), mask=tf.constant(mask)).numpy()
    np.testing.assert_array_equal(out[0, 3:], 0)
    assert np.all(out[1] != 0)


def test_cuda_weight_buffer_views_carry_gradients():
    # On CUDA the fused kernels take the weights as views of one buffer (cuDNN's layout).
    params = [torch.randn(12, 3, requires_grad=True), torch.randn(12, 4, requires_grad=True),
              torch.randn(12, requires_grad=True), torch.randn(12, requires_grad=True)]
    views = fused._one_buffer(params)
    assert all(v.is_contiguous() for v in views)
    assert [v.data_ptr() - views[0].data_ptr() for v in views] == [0, 36 * 4, 84 * 4, 96 * 4]
    x, h = torch.randn(2, 5, 3), torch.zeros(2, 4)
    results = []
    for weights in (params, views):
        out, states = fused.run("gru", x, [h], weights, True)
        grads = torch.autograd.grad(out.sum() + states[0].sum(), params)
        results.append([out, *grads])
    for a, b in zip(*results):
        torch.testing.assert_close(a, b)


def test_mask_from_masking_layer():
    x = normal(2, 5, 3)
    x[0, 3:] = 0.0
    masked = L.Masking(0.0)(x)
    out = L.LSTM(3, return_sequences=True)(masked)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    np.testing.assert_array_equal(out.numpy()[0, 4], out.numpy()[0, 2])
