"""Bidirectional and the convolutional LSTMs (ConvLSTM1D/2D/3D).

Expected structures, shapes and error messages were read from TF 2.21 / Keras 3.15
running the same code; values are derived from the wrapped layers themselves (a
Bidirectional is its two sublayers merged) or from a per-step numpy/torch recurrence.
The TF-fixture comparisons are in compat/layer_cases/recurrent.py.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer, normal

L = keras.layers


HARNESS = [
    ("bidirectional_lstm", lambda: L.Bidirectional(L.LSTM(4)), [(2, 5, 3)], {}),
    ("bidirectional_gru_seq_sum", lambda: L.Bidirectional(L.GRU(4, return_sequences=True), merge_mode="sum"),
     [(2, 5, 3)], {}),
    ("bidirectional_none_state", lambda: L.Bidirectional(L.SimpleRNN(3, return_state=True), merge_mode=None),
     [(2, 5, 3)], {}),
    ("conv_lstm1d", lambda: L.ConvLSTM1D(2, 3, return_state=True), [(2, 3, 6, 2)], {}),
    ("conv_lstm2d_same_seq", lambda: L.ConvLSTM2D(2, 3, padding="same", return_sequences=True), [(2, 3, 5, 5, 2)],
     {}),
    ("conv_lstm2d_dropout_training", lambda: L.ConvLSTM2D(2, 3, dropout=0.3, recurrent_dropout=0.3),
     [(2, 3, 5, 5, 2)], {"call_kwargs": {"training": True}}),
    ("conv_lstm3d", lambda: L.ConvLSTM3D(2, 2), [(2, 2, 3, 3, 3, 1)], {}),
]


@pytest.mark.parametrize(("make", "shapes", "kwargs"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shapes, kwargs):
    check_layer(make, *shapes, **kwargs)


# -- Bidirectional ---------------------------------------------------------------------------

def test_sublayers_names_and_weight_paths():
    layer = L.Bidirectional(L.LSTM(3, name="enc"))
    layer(normal(2, 4, 3))
    assert (layer.forward_layer.name, layer.backward_layer.name) == ("forward_enc", "backward_enc")
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert [w.path for w in layer.weights][::3] == ["bidirectional/forward_enc/lstm_cell/kernel",
                                                    "bidirectional/backward_enc/lstm_cell/kernel"]


@pytest.mark.parametrize("mode", ["concat", "sum", "mul", "ave", None])
def test_merge_modes_are_the_sublayers_outputs_merged(mode):
    layer = L.Bidirectional(L.GRU(3, return_sequences=True), merge_mode=mode)
    x = normal(2, 4, 3)
    out = layer(x)
    y = layer.forward_layer(x).numpy()
    y_rev = layer.backward_layer(x).numpy()[:, ::-1]  # back into time order
    want = {"concat": lambda: np.concatenate([y, y_rev], -1), "sum": lambda: y + y_rev, "mul": lambda: y * y_rev,
            "ave": lambda: (y + y_rev) / 2, None: lambda: (y, y_rev)}[mode]()
    if mode is None:
        for got, w in zip(out, want):
            np.testing.assert_allclose(got.numpy(), w, atol=1e-6)
    else:
        np.testing.assert_allclose(out.numpy(), want, atol=1e-6)


def test_return_state_order_and_shapes():
    layer = L.Bidirectional(L.LSTM(2, return_state=True))
    out, fh, fc, bh, bc = layer(normal(2, 4, 3))
    np.testing.assert_array_equal(out.numpy(), np.concatenate([fh.numpy(), bh.numpy()], -1))
    assert [s.shape.as_list() for s in (fc, bc)] == [[2, 2], [2, 2]]
    assert L.Bidirectional(L.LSTM(2)).compute_output_shape((None, 3, 4)) == (None, 4)
    assert L.Bidirectional(L.LSTM(2, return_state=True, return_sequences=True), merge_mode=None) \
        .compute_output_shape((None, 3, 4)) == ((None, 3, 2), (None, 3, 2), (None, 2), (None, 2), (None, 2), (None, 2))


def test_initial_state_is_split_between_directions():
    layer = L.Bidirectional(L.GRU(2, return_sequences=True), merge_mode=None)
    x = normal(2, 4, 3)
    h_fwd, h_bwd = tf.constant(normal(2, 2, seed=1)), tf.constant(normal(2, 2, seed=2))
    y, y_rev = layer(x, initial_state=[h_fwd, h_bwd])
    np.testing.assert_allclose(y.numpy(), layer.forward_layer(x, initial_state=[h_fwd]).numpy(), atol=1e-6)
    np.testing.assert_allclose(y_rev.numpy()[:, ::-1],
                               layer.backward_layer(x, initial_state=[h_bwd]).numpy(), atol=1e-6)


def test_masked_steps_output_zeros_in_both_directions():
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = L.Bidirectional(L.LSTM(3, return_sequences=True))
    out = layer(normal(2, 5, 3), mask=tf.constant(mask))
    np.testing.assert_array_equal(out.numpy()[0, 3:], 0)
    assert np.all(out.numpy()[1] != 0)
    np.testing.assert_array_equal(out._keras_mask.numpy(), mask)
    pair = L.Bidirectional(L.GRU(3, return_sequences=True, return_state=True), merge_mode=None)(
        normal(2, 5, 3), mask=tf.constant(mask))
    assert [o._keras_mask is not None for o in pair] == [True, True, False, False]


def test_backward_layer_and_its_checks():
    layer = L.Bidirectional(L.LSTM(3, return_sequences=True),
                            backward_layer=L.GRU(2, go_backwards=True, return_sequences=True))
    assert layer(normal(2, 4, 3)).shape.as_list() == [2, 4, 5]
    with pytest.raises(ValueError, match="Forward layer and backward layer should have different `go_backwards` "
                                         "value. Received: forward_layer.go_backwards False, "
                                         "backward_layer.go_backwards=False"):
        L.Bidirectional(L.LSTM(2), backward_layer=L.LSTM(2))
    with pytest.raises(ValueError, match='Forward layer and backward layer are expected to have the same value for '
                                         'attribute "return_sequences", got "False" for forward layer and "True" '
                                         'for backward layer'):
        L.Bidirectional(L.LSTM(2), backward_layer=L.LSTM(2, go_backwards=True, return_sequences=True))


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.Bidirectional(L.LSTM(2), merge_mode="x"),
     'Invalid merge mode. Received: x. Merge mode should be one of {"sum", "mul", "ave", "concat", None}'),
    (lambda: L.Bidirectional(3), "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                                 "Received: 3"),
    (lambda: L.Bidirectional(L.LSTM(2), backward_layer=3),
     "`backward_layer` need to be a `keras.layers.Layer` instance. Received: 3"),
], ids=["merge_mode", "not_a_layer", "backward_not_a_layer"])
def test_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


def test_stateful_bidirectional():
    layer = L.Bidirectional(L.LSTM(2, stateful=True, return_state=True))
    x = normal(2, 3, 4)
    first = layer(x)[0].numpy()
    assert len(first) == 2 and len(layer.states) == 4
    assert not np.allclose(layer(x)[0].numpy(), first)
    layer.reset_states()
    np.testing.assert_allclose(layer(x)[0].numpy(), first, atol=1e-6)
    with pytest.raises(AttributeError, match="Layer must be stateful."):
        L.Bidirectional(L.LSTM(2)).reset_state()


def test_weights_argument_is_applied_when_built():
    source = L.Bidirectional(L.SimpleRNN(2))
    x = normal(2, 3, 4)
    source(x)
    copy = L.Bidirectional(L.SimpleRNN(2), weights=source.get_weights())
    np.testing.assert_array_equal(copy(x).numpy(), source(x).numpy())


def test_config_round_trip():
    layer = L.Bidirectional(L.GRU(3, return_sequences=True, name="g"), merge_mode="ave")
    x = normal(2, 4, 3)
    layer(x)
    config = layer.get_config()
    assert config["layer"]["config"]["name"] == "forward_g" and config["backward_layer"]["config"]["go_backwards"]
    clone = L.Bidirectional.from_config(config)
    assert clone.get_config()["merge_mode"] == "ave"
    assert (clone.forward_layer.name, clone.backward_layer.name) == ("forward_g", "backward_g")
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy(), atol=1e-6)


# -- ConvLSTM --------------------------------------------------------------------------------

def test_conv_lstm2d_is_its_recurrence():
    layer = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    x = normal(2, 3, 4, 4, 2)
    out = layer(x).numpy()
    kernel, recurrent, bias = (torch.from_numpy(w) for w in layer.get_weights())
    kernel, recurrent = kernel.permute(3, 2, 0, 1), recurrent.permute(3, 2, 0, 1)  # torch's (out, in, kh, kw)
    h = c = torch.zeros(2, 2, 4, 4)
    xs = torch.from_numpy(x).permute(0, 1, 4, 2, 3)
    for t in range(3):
        z = F.conv2d(xs[:, t], kernel, bias, padding=1) + F.conv2d(h, recurrent, padding=1)
        i, f, g, o = z.chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        np.testing.assert_allclose(out[:, t], h.permute(0, 2, 3, 1).numpy(), atol=1e-5)


def test_conv_lstm_channels_first_equals_channels_last():
    last = L.ConvLSTM2D(3, (2, 3), strides=(1, 2), padding="same", return_sequences=True, return_state=True)
    first = L.ConvLSTM2D(3, (2, 3), strides=(1, 2), padding="same", return_sequences=True, return_state=True,
                         data_format="channels_first")
    x = normal(2, 3, 5, 6, 2)
    outs = last(x)
    first(np.moveaxis(x, -1, 2))
    first.set_weights(last.get_weights())
    for a, b in zip(first(np.moveaxis(x, -1, 2)), outs):
        np.testing.assert_allclose(np.moveaxis(a.numpy(), 1 if a.shape.rank == 4 else 2, -1), b.numpy(), atol=1e-5)


def test_conv_lstm_shapes_and_weights():
    layer = L.ConvLSTM2D(4, 3, return_state=True)
    assert layer.compute_output_shape((None, 3, 5, 5, 2)) == ((None, 3, 3, 4), (None, 3, 3, 4), (None, 3, 3, 4))
    layer(normal(2, 3, 5, 5, 2))
    assert [tuple(w.shape.as_list()) for w in layer.weights] == [(3, 3, 2, 16), (3, 3, 4, 16), (16,)]
    assert [w.path for w in layer.weights][0] == "conv_lstm2d/conv_lstm_cell/kernel"
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0] * 4 + [1] * 4 + [0] * 8)
    out = L.ConvLSTM2D(2, 3, return_sequences=True)(keras.Input((None, 5, 5, 2)))
    assert tuple(out.shape) == (None, None, 3, 3, 2)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.ConvLSTM2D(2, 3)(keras.Input((4, None, None, 3))),
     "ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input shape: "
     "input_shape=(None, None, None, 3)"),
    (lambda: L.ConvLSTM2D(2, 3)(keras.Input((4, 5, 5, None))),
     "The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape received: "
     "input_shape=(None, 5, 5, None)"),
    (lambda: L.ConvLSTM2D(2, 3, strides=2, dilation_rate=2),
     "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide `strides=1` or "
     "`dilation_rate=1`. Received: strides=(2, 2) and dilation_rate=(2, 2)"),
    (lambda: L.ConvLSTM2D(2, (3, 3, 3)), "The `kernel_size` argument must be a tuple of 2 integers. Received "
                                         "kernel_size=(3, 3, 3)"),
], ids=["dynamic_spatial", "unknown_channels", "strides_and_dilation", "kernel_size"])
def test_conv_lstm_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message
