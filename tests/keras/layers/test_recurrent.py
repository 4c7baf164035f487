"""Recurrent layers: SimpleRNN, LSTM, GRU, RNN with built-in, stacked and user cells.

Values are checked against hand-derived results (numpy recurrences) and torch.nn's
LSTM/GRU with the same weights; error messages and output structures were read from
TF 2.21 / Keras 3.15 running the same code. Masks and the fused kernels are in
test_recurrent_masks.py, the TF-fixture comparisons in compat/layer_cases/recurrent.py.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer, normal

L = keras.layers


HARNESS = [
    ("simple_rnn", lambda: L.SimpleRNN(4), [(2, 5, 3)], {}),
    ("simple_rnn_relu_seq", lambda: L.SimpleRNN(4, activation="relu", return_sequences=True), [(2, 5, 3)], {}),
    ("lstm", lambda: L.LSTM(4), [(2, 5, 3)], {}),
    ("lstm_seq_state", lambda: L.LSTM(4, return_sequences=True, return_state=True), [(2, 5, 3)], {}),
    ("lstm_backwards_nobias", lambda: L.LSTM(4, go_backwards=True, use_bias=False), [(2, 5, 3)], {}),
    ("lstm_dropout_training", lambda: L.LSTM(4, dropout=0.5, recurrent_dropout=0.3), [(2, 5, 3)],
     {"call_kwargs": {"training": True}}),
    ("gru", lambda: L.GRU(4, return_state=True), [(2, 5, 3)], {}),
    ("gru_reset_before", lambda: L.GRU(4, reset_after=False, go_backwards=True), [(2, 5, 3)], {}),
    ("rnn_lstm_cell", lambda: L.RNN(L.LSTMCell(4), return_sequences=True), [(2, 5, 3)], {}),
    ("rnn_stacked", lambda: L.RNN([L.LSTMCell(4), L.GRUCell(2)], return_state=True), [(2, 5, 3)],
     {"compute_shape": False}),  # nested state shapes: checked in test_stacked_cells
    ("gru_cell", lambda: L.GRUCell(4), [(2, 3), (2, 4)], {}),
    ("simple_rnn_cell", lambda: L.SimpleRNNCell(4), [(2, 3), (2, 4)], {}),
]


@pytest.mark.parametrize(("make", "shapes", "kwargs"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shapes, kwargs):
    check_layer(make, *shapes, **kwargs)


# -- weights: Keras's layout, the same numbers as torch.nn's modules ---------------------

def test_lstm_weights_are_torch_lstm_weights_in_keras_layout():
    module = torch.nn.LSTM(3, 4, batch_first=True)
    layer = L.LSTM(4, return_sequences=True, return_state=True)
    x = normal(2, 6, 3)
    layer(x)
    layer.set_weights([module.weight_ih_l0.detach().numpy().T, module.weight_hh_l0.detach().numpy().T,
                       (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy()])
    out, h, c = layer(x)
    want, (want_h, want_c) = module(torch.from_numpy(x))
    np.testing.assert_allclose(out.numpy(), want.detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(h.numpy(), want_h[0].detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(c.numpy(), want_c[0].detach().numpy(), atol=1e-6)


def test_gru_weights_are_torch_gru_weights_reordered():
    module = torch.nn.GRU(3, 4, batch_first=True)

    def keras_order(w):  # torch's r, z, n blocks as Keras's z, r, h
        r, z, n = np.split(w.detach().numpy(), 3, axis=0)
        return np.concatenate([z, r, n], axis=0)

    layer = L.GRU(4, return_sequences=True)
    x = normal(2, 6, 3)
    layer(x)
    layer.set_weights([keras_order(module.weight_ih_l0).T, keras_order(module.weight_hh_l0).T,
                       np.stack([keras_order(module.bias_ih_l0), keras_order(module.bias_hh_l0)])])
    np.testing.assert_allclose(layer(x).numpy(), module(torch.from_numpy(x))[0].detach().numpy(), atol=1e-6)


@pytest.mark.parametrize(("make", "shapes", "paths"), [
    (lambda: L.LSTM(4), [(3, 16), (4, 16), (16,)], ["lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel",
                                                    "lstm/lstm_cell/bias"]),
    (lambda: L.GRU(4), [(3, 12), (4, 12), (2, 12)], ["gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel",
                                                     "gru/gru_cell/bias"]),
    (lambda: L.GRU(4, reset_after=False, use_bias=False), [(3, 12), (4, 12)],
     ["gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel"]),
    (lambda: L.SimpleRNN(4), [(3, 4), (4, 4), (4,)], ["simple_rnn/simple_rnn_cell/kernel",
                                                      "simple_rnn/simple_rnn_cell/recurrent_kernel",
                                                      "simple_rnn/simple_rnn_cell/bias"]),
], ids=["lstm", "gru", "gru_v1_nobias", "simple_rnn"])
def test_weight_shapes_and_paths_are_keras(make, shapes, paths):
    layer = make()
    layer(normal(2, 5, 3))
    assert [tuple(w.shape.as_list()) for w in layer.weights] == shapes
    assert [w.path for w in layer.weights] == paths


def test_lstm_initial_weights_forget_bias_ones_and_orthogonal_recurrent_kernel():
    layer = L.LSTM(4)
    layer(normal(2, 5, 3))
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0] * 4 + [1] * 4 + [0] * 8)
    rk = layer.cell.recurrent_kernel.numpy()
    np.testing.assert_allclose(rk @ rk.T, np.eye(4), atol=1e-5)  # (4, 16): orthonormal rows
    plain = L.LSTM(4, unit_forget_bias=False, bias_initializer="ones")
    plain(normal(2, 5, 3))
    np.testing.assert_array_equal(plain.cell.bias.numpy(), np.ones(16))


# -- the recurrences, by hand -------------------------------------------------------------

def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_simple_rnn_is_its_formula():
    layer = L.SimpleRNN(2, return_sequences=True)
    x = normal(2, 4, 3)
    layer(x)
    k, rk, b = layer.get_weights()
    h, want = np.zeros((2, 2), "float32"), []
    for t in range(4):
        h = np.tanh(x[:, t] @ k + h @ rk + b)
        want.append(h)
    np.testing.assert_allclose(layer(x).numpy(), np.stack(want, 1), atol=1e-6)


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset_after", "reset_before"])
def test_gru_is_its_formula(reset_after):
    layer = L.GRU(2, reset_after=reset_after, return_sequences=True)
    x = normal(2, 4, 3)
    layer(x)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in layer.get_weights()])
    k, rk, b = layer.get_weights()
    b_in, b_rec = (b[0], b[1]) if reset_after else (b, np.zeros(6, "float32"))
    h, want = np.zeros((2, 2), "float32"), []
    for t in range(4):
        xz, xr, xh = np.split(x[:, t] @ k + b_in, 3, axis=1)
        rz, rr, rh = np.split(h @ rk + b_rec, 3, axis=1)
        z, r = _sigmoid(xz + rz), _sigmoid(xr + rr)
        hh = np.tanh(xh + r * rh) if reset_after else np.tanh(xh + (r * h) @ rk[:, 4:])
        h = z * h + (1 - z) * hh
        want.append(h)
    np.testing.assert_allclose(layer(x).numpy(), np.stack(want, 1), atol=1e-6)


def test_go_backwards_returns_the_reversed_run():
    forward = L.LSTM(3, return_sequences=True)
    backward = L.LSTM(3, return_sequences=True, go_backwards=True)
    x = normal(2, 5, 3)
    forward(x)
    backward(x)
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(x).numpy(), forward(x[:, ::-1].copy()).numpy(), atol=1e-6)


# -- dropout -----------------------------------------------------------------------------------

def _identity_rnn(**kwargs):
    """A linear SimpleRNN with identity kernel and no recurrence: each output is its input."""
    layer = L.SimpleRNN(4, use_bias=False, return_sequences=True, **kwargs)
    layer(np.ones((3, 6, 4), "float32"))
    layer.set_weights([np.eye(4, dtype="float32"), np.zeros((4, 4), "float32")])
    return layer


@pytest.mark.parametrize("activation", ["relu", "linear"], ids=["fused", "loop"])
def test_dropout_mask_is_drawn_once_per_sequence(activation):
    layer = _identity_rnn(activation=activation, dropout=0.5, seed=1)
    ones = np.ones((3, 6, 4), "float32")
    out = layer(ones, training=True).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < np.count_nonzero(out) < out.size
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1], out.shape))  # the same mask at every step
    assert layer.cell._dropout_mask is None  # reset after the call: the next call draws a new one
    np.testing.assert_array_equal(layer(ones).numpy(), ones)  # inference: no dropout
    np.testing.assert_array_equal(layer(ones, training=False).numpy(), ones)


def test_recurrent_dropout_only_when_training():
    layer = L.LSTM(4, recurrent_dropout=0.5, return_sequences=True)
    x = normal(2, 5, 3)
    first = layer(x).numpy()
    np.testing.assert_array_equal(layer(x).numpy(), first)
    assert not np.allclose(layer(x, training=True).numpy(), first)
    assert layer.cell.implementation == 1 and layer.cell._recurrent_dropout_mask is None


def test_dropout_follows_the_global_seed():
    def run():
        tf.keras.utils.set_random_seed(3)
        layer = L.GRU(3, dropout=0.4, recurrent_dropout=0.2, kernel_initializer="ones")
        return layer(np.ones((2, 4, 3), "float32"), training=True).numpy()

    np.testing.assert_array_equal(run(), run())


def test_dropout_rates_are_clipped_and_rate_one_is_no_dropout():
    layer = L.SimpleRNN(2, dropout=1.5, recurrent_dropout=-1)
    assert (layer.dropout, layer.recurrent_dropout) == (1.0, 0.0)
    x = normal(2, 4, 3)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), layer(x).numpy())


# -- states --------------------------------------------------------------------------------------

def test_stateful_layer_carries_its_states_between_calls():
    stateful = L.LSTM(3, stateful=True, return_sequences=True)
    plain = L.LSTM(3, return_sequences=True)
    x = normal(2, 6, 3)
    stateful(x[:, :3])
    plain(x)
    plain.set_weights(stateful.get_weights())
    stateful.reset_states()
    both = np.concatenate([stateful(x[:, :3]).numpy(), stateful(x[:, 3:]).numpy()], 1)
    np.testing.assert_allclose(both, plain(x).numpy(), atol=1e-6)
    assert len(stateful.weights) == 3 and [v.path for v in stateful.states] == ["lstm/rnn_state"] * 2
    stateful.reset_state()
    assert all(np.all(v.numpy() == 0) for v in stateful.states)
    np.testing.assert_allclose(stateful(x[:, :3]).numpy(), plain(x[:, :3]).numpy(), atol=1e-6)


def test_stateful_gradients_through_a_second_call():
    layer = L.GRU(3, stateful=True)
    x = tf.constant(normal(2, 4, 3))
    layer(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))
    assert not np.all(layer.states[0].numpy() == 0)


def test_stateful_errors():
    with pytest.raises(ValueError, match=r"When using `stateful=True` in a RNN, the batch size must be static. "
                                         r"Found dynamic batch size: sequence.shape=\(None, 3, 4\)"):
        L.LSTM(2, stateful=True)(keras.Input((3, 4)))
    layer = L.LSTM(2, stateful=True)
    layer(normal(2, 3, 4))
    with pytest.raises(ValueError, match="the batch size of the input sequences must be the same as the batch "
                                         "size of the initial state. \n- Expected batch size: 2\n- Received "
                                         "batch size: 3"):
        layer(normal(3, 3, 4))


def test_initial_state():
    layer = L.LSTM(3, return_state=True)
    x = normal(2, 4, 3)
    h0, c0 = tf.constant(normal(2, 3, seed=1)), tf.constant(normal(2, 3, seed=2))
    out, h, c = layer(x, initial_state=[h0, c0])
    np.testing.assert_array_equal(out.numpy(), h.numpy())
    assert not np.allclose(out.numpy(), layer(x)[0].numpy())
    # A run that starts where another stopped continues it.
    whole = layer(np.concatenate([x, x], 1))[0].numpy()
    np.testing.assert_allclose(layer(x, initial_state=list(layer(x)[1:]))[0].numpy(), whole, atol=1e-6)
    gru = L.GRU(3)
    np.testing.assert_allclose(gru(x, initial_state=h0).numpy(), gru(x, initial_state=[h0]).numpy())


def test_get_initial_state():
    states = L.RNN(L.LSTMCell(3)).get_initial_state(batch_size=2)
    assert [s.shape.as_list() for s in states] == [[2, 3], [2, 3]] and all(np.all(s.numpy() == 0) for s in states)


@pytest.mark.parametrize(("make", "want"), [
    (lambda: L.LSTM(3, return_state=True), [(2, 3), (2, 3), (2, 3)]),
    (lambda: L.GRU(3, return_sequences=True, return_state=True), [(2, 5, 3), (2, 3)]),
    (lambda: L.SimpleRNN(3, return_state=True), [(2, 3), (2, 3)]),
], ids=["lstm", "gru", "simple_rnn"])
def test_return_state_structure(make, want):
    outputs = make()(normal(2, 5, 3))
    assert isinstance(outputs, tuple) and [tuple(o.shape.as_list()) for o in outputs] == want


# -- cells: stacked, user cells -----------------------------------------------------------------

def test_stacked_cells():
    layer = L.RNN([L.LSTMCell(4), L.GRUCell(2)], return_state=True)
    out, lstm_states, gru_states = layer(normal(2, 5, 3))
    assert out.shape.as_list() == [2, 2]
    assert [s.shape.as_list() for s in lstm_states] == [[2, 4], [2, 4]]
    assert [s.shape.as_list() for s in gru_states] == [[2, 2]]  # GRUCell's states are a list of one
    np.testing.assert_array_equal(gru_states[0].numpy(), out.numpy())
    assert layer.compute_output_shape((None, 5, 3)) == ((None, 2), [(None, 4), (None, 4)], (None, 2))
    assert [w.path for w in layer.weights][::3] == ["rnn/stacked_rnn_cells/lstm_cell/kernel",
                                                    "rnn/stacked_rnn_cells/gru_cell/kernel"]


def test_stacked_cells_equal_two_layers():
    stacked = L.RNN([L.SimpleRNNCell(3), L.LSTMCell(2)], return_sequences=True)
    first, second = L.SimpleRNN(3, return_sequences=True), L.LSTM(2, return_sequences=True)
    x = normal(2, 5, 3)
    stacked(x)
    second(first(x))
    weights = stacked.get_weights()
    first.set_weights(weights[:3])
    second.set_weights(weights[3:])
    np.testing.assert_allclose(stacked(x).numpy(), second(first(x)).numpy(), atol=1e-6)
    # Called as a cell, one step.
    cells = stacked.cell
    state = cells.get_initial_state(batch_size=2)
    out, new_states = cells(tf.constant(x[:, 0]), state)
    np.testing.assert_allclose(out.numpy(), stacked(x[:, :1]).numpy()[:, 0], atol=1e-6)
    assert len(new_states) == 2


class MinimalRNNCell(keras.layers.Layer):
    """Keras's documented user cell, written on facade tensors."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="uniform",
                                                name="recurrent_kernel")

    def call(self, inputs, states, training=None):
        output = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent_kernel)
        if training:
            output = output * 2.0
        return output, [output]


def test_user_cell():
    layer = L.RNN(MinimalRNNCell(3), return_sequences=True)
    x = normal(2, 4, 5)
    out = layer(x)
    k, rk = layer.get_weights()
    h, want = np.zeros((2, 3), "float32"), []
    for t in range(4):
        h = x[:, t] @ k + h @ rk
        want.append(h)
    np.testing.assert_allclose(out.numpy(), np.stack(want, 1), atol=1e-5)
    assert [w.path for w in layer.weights] == ["rnn/minimal_rnn_cell/kernel", "rnn/minimal_rnn_cell/recurrent_kernel"]
    assert not np.allclose(layer(x, training=True).numpy(), out.numpy())  # `training` reaches the cell
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


def test_user_cell_with_mask_and_built_in_cell_stacked():
    mask = tf.constant(np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool))
    layer = L.RNN([MinimalRNNCell(3), L.GRUCell(2)], return_sequences=True)
    out = layer(normal(2, 5, 4), mask=mask).numpy()
    np.testing.assert_array_equal(out[0, 3], out[0, 2])
    assert out.shape == (2, 5, 2)


def test_cells_called_directly():
    cell = L.LSTMCell(3)
    x = tf.constant(normal(2, 4))
    h, (h2, c) = cell(x, [tf.zeros((2, 3)), tf.zeros((2, 3))])
    np.testing.assert_array_equal(h.numpy(), h2.numpy())
    layer = L.RNN(cell, return_state=True)
    out, *states = layer(x.numpy()[:, None])
    np.testing.assert_allclose(out.numpy(), h.numpy(), atol=1e-6)
    gru = L.GRUCell(3)
    out, state = gru(x, tf.zeros((2, 3)))  # a single state comes back unwrapped
    np.testing.assert_array_equal(out.numpy(), state.numpy())


# -- shapes, symbols, config, errors ----------------------------------------------------------

def test_symbolic_call_with_unknown_time():
    out = L.LSTM(4, return_sequences=True, return_state=True)(keras.Input((None, 3)))
    assert [tuple(o.shape) for o in out] == [(None, None, 4), (None, 4), (None, 4)]


def test_integer_inputs_are_cast():
    out = L.SimpleRNN(2)(np.array([[[1], [2]], [[3], [0]]], "int32"))
    assert out.dtype == tf.float32


def test_config_round_trip_with_cell():
    layer = L.RNN(L.GRUCell(3, reset_after=False, dropout=0.2), go_backwards=True)
    config = layer.get_config()
    assert config["cell"]["class_name"] == "GRUCell" and config["cell"]["module"] == "keras.layers"
    clone = L.RNN.from_config(config)
    assert clone.get_config() == config and isinstance(clone.cell, L.GRUCell) and not clone.cell.reset_after


def test_layer_properties_read_the_cell():
    layer = L.LSTM(5, dropout=0.25, kernel_initializer="ones")
    assert (layer.units, layer.dropout, layer.activation) == (5, 0.25, keras.activations.tanh)
    assert isinstance(layer.kernel_initializer, keras.initializers.Ones)
    assert "seed" not in L.SimpleRNN(2).get_config() and L.SimpleRNN(2, activity_regularizer="l2").activity_regularizer \
        is None  # Keras 3's SimpleRNN drops both


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: L.LSTM(0), ValueError, "Received an invalid value for argument `units`, expected a positive integer, "
                                    "got 0."),
    (lambda: L.GRU(-1), ValueError, "expected a positive integer, got -1."),
    (lambda: L.SimpleRNNCell(0), ValueError, "got 0."),
    (lambda: L.LSTM(2, use_cudnn="x"), ValueError, "Invalid valid received for argument `use_cudnn`. Expected one "
                                                   "of {'auto', True, False}. Received: use_cudnn=x"),
    (lambda: L.RNN(3), ValueError, "Argument `cell` should have a `call` method. Received: cell=3"),
    (lambda: L.RNN(keras.layers.Dense(2)), ValueError, "The RNN cell should have a `state_size` attribute"),
    (lambda: L.StackedRNNCells([L.LSTMCell(2), 3]), ValueError, "All cells must have a `call` method."),
], ids=["units_0", "units_negative", "cell_units", "use_cudnn", "cell_no_call", "cell_no_state_size",
        "stacked_no_call"])
def test_errors(make, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace("{", r"\{")
                       .replace("}", r"\}").replace(".", r"\.")):
        make()


def test_torch_caller_sees_parameters_and_gradients():
    layer = L.LSTM(4)
    out = layer(torch.from_numpy(normal(2, 5, 3)))
    assert isinstance(out, torch.Tensor)
    out.sum().backward()
    params = list(layer.parameters())
    assert len(params) == 3 and all(p.grad is not None for p in params)


class TwoStateCell(keras.layers.Layer):
    """A user cell with two states, an `output_size` and its own initial states (ones)."""

    state_size = [2, 3]
    output_size = 2

    def call(self, inputs, states):
        a, b = states
        a = a + tf.reduce_sum(inputs, axis=-1, keepdims=True)
        return a, [a, b * 2.0]

    def get_initial_state(self, batch_size=None):
        return [tf.ones((batch_size, 2)), tf.ones((batch_size, 3))]


def test_user_cell_with_two_states_and_initial_states():
    layer = L.RNN(TwoStateCell(), return_sequences=True, return_state=True)
    x = normal(2, 3, 4)
    out, a, b = layer(x)
    want = 1 + np.cumsum(x.sum(-1), axis=1)
    np.testing.assert_allclose(out.numpy(), np.repeat(want[..., None], 2, -1), atol=1e-5)
    np.testing.assert_array_equal(b.numpy(), np.full((2, 3), 8.0))
    assert layer.compute_output_shape((None, 3, 4)) == ((None, 3, 2), (None, 2), (None, 3))


def test_regularizers_and_constraints():
    layer = L.LSTM(3, kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2",
                   activity_regularizer="l2", kernel_constraint="non_neg")
    x = normal(2, 4, 3)
    out = layer(x)
    kernel, recurrent, bias = layer.get_weights()
    want = [0.01 * np.sum(kernel ** 2), 0.01 * np.sum(np.abs(recurrent)), 0.01 * np.sum(bias ** 2)]
    losses = sorted(float(v) for v in layer.losses)
    activity = 0.01 * np.sum(out.numpy() ** 2) / 2  # per sample, as Keras divides by the batch
    np.testing.assert_allclose(losses, sorted([*want, activity]), rtol=1e-5)
    assert isinstance(layer.cell.kernel.constraint, keras.constraints.NonNeg)
    plain = L.SimpleRNN(3, activity_regularizer="l2")
    plain(x)
    assert plain.losses == []
