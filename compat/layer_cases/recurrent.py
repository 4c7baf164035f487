"""Parity cases for the recurrent layers (RNN, cells, SimpleRNN, LSTM, GRU, Bidirectional, ConvLSTM).

Masks are literal inputs passed as `mask=`: right padding, full rows, left padding (the
fused kernels' packed path), holes and an all-masked row (the step loop's path).
"""

from compat.layerkit import A, N, layer_case

_PADDED = A([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 1, 1, 1]], "bool")  # right, none, left padding
_HOLES = A([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], "bool")  # not contiguous; all masked
_MASK = "{'mask': x1}"
_LONG = dict(rtol=1e-4, atol=1e-4, why="40 steps of float32 recurrence accumulate rounding differences")


def _family(name: str, make: str) -> list:
    """The options every one of SimpleRNN / LSTM / GRU goes through; `make` formats with extra args."""
    def build(extra: str = "") -> str:
        return make.format(extra)
    return [
        layer_case(f"{name}", build(), N(2, 4, 3)),
        layer_case(f"{name}_seq", build(", return_sequences=True"), N(2, 4, 3)),
        layer_case(f"{name}_state", build(", return_state=True"), N(2, 4, 3)),
        layer_case(f"{name}_seq_state", build(", return_sequences=True, return_state=True"), N(2, 4, 3)),
        layer_case(f"{name}_backwards", build(", return_sequences=True, go_backwards=True"), N(2, 4, 3)),
        layer_case(f"{name}_nobias", build(", use_bias=False, return_sequences=True"), N(2, 4, 3)),
        layer_case(f"{name}_relu", build(", activation='relu', return_sequences=True"), N(2, 4, 3)),
        layer_case(f"{name}_sigmoid", build(", activation='sigmoid'"), N(2, 4, 3)),
        layer_case(f"{name}_mask_padded", build(", return_sequences=True"), N(3, 5, 3), _PADDED,
                   kwargs=_MASK, positional=1),
        layer_case(f"{name}_mask_padded_last", build(""), N(3, 5, 3), _PADDED, kwargs=_MASK, positional=1),
        layer_case(f"{name}_mask_padded_state", build(", return_state=True"), N(3, 5, 3), _PADDED,
                   kwargs=_MASK, positional=1),
        layer_case(f"{name}_mask_padded_backwards", build(", return_sequences=True, go_backwards=True"),
                   N(3, 5, 3), _PADDED, kwargs=_MASK, positional=1),
        layer_case(f"{name}_mask_holes", build(", return_sequences=True"), N(3, 5, 3), _HOLES, kwargs=_MASK,
                   positional=1),
        layer_case(f"{name}_mask_holes_state", build(", return_state=True, go_backwards=True"), N(3, 5, 3),
                   _HOLES, kwargs=_MASK, positional=1),
        layer_case(f"{name}_training", build(", return_sequences=True"), N(2, 4, 3),
                   kwargs="{'training': True}"),
        layer_case(f"{name}_long", build(", return_sequences=True"), N(2, 40, 3), **_LONG),
    ]


CASES = [
    *_family("simple_rnn", "layers.SimpleRNN(3{})"),
    *_family("lstm", "layers.LSTM(3{})"),
    *_family("gru", "layers.GRU(3{})"),
    *_family("gru_v1", "layers.GRU(3, reset_after=False{})"),
    layer_case("lstm_hard_sigmoid", "layers.LSTM(3, recurrent_activation='hard_sigmoid', return_sequences=True)",
               N(2, 4, 3)),
    layer_case("lstm_no_forget_bias", "layers.LSTM(3, unit_forget_bias=False)", N(2, 4, 3)),
    layer_case("lstm_initial_state", "layers.LSTM(3, return_sequences=True, return_state=True)", N(2, 4, 3),
               N(2, 3), N(2, 3), kwargs="{'initial_state': [x1, x2]}", positional=1, symbolic=False),
    layer_case("gru_initial_state", "layers.GRU(3, return_state=True)", N(2, 4, 3), N(2, 3),
               kwargs="{'initial_state': [x1]}", positional=1, symbolic=False),
    layer_case("simple_rnn_initial_state_mask", "layers.SimpleRNN(3, return_sequences=True)", N(3, 5, 3),
               _PADDED, N(3, 3), kwargs="{'mask': x1, 'initial_state': [x2]}", positional=1, symbolic=False),
    layer_case("lstm_initial_state_mask", "layers.LSTM(3, return_sequences=True, return_state=True)", N(3, 5, 3),
               _PADDED, N(3, 3), N(3, 3), kwargs="{'mask': x1, 'initial_state': [x2, x3]}", positional=1,
               symbolic=False),
    layer_case("gru_int_input", "layers.GRU(2)", A([[[1], [2], [3]], [[0], [4], [1]]], "int32")),
    # RNN with the cells, stacked cells, zero_output_for_mask
    layer_case("rnn_lstm_cell", "layers.RNN(layers.LSTMCell(3, name='cell'), return_sequences=True)",
               N(2, 4, 3)),
    layer_case("rnn_gru_cell", "layers.RNN(layers.GRUCell(3, name='cell'), return_state=True)", N(2, 4, 3)),
    layer_case("rnn_simple_cell", "layers.RNN(layers.SimpleRNNCell(3, name='cell'), go_backwards=True)",
               N(2, 4, 3)),
    layer_case("rnn_stacked", "layers.RNN(layers.StackedRNNCells([layers.LSTMCell(3, name='a'), "
               "layers.GRUCell(2, name='b'), layers.SimpleRNNCell(4, name='c')], name='stack'), "
               "return_sequences=True, return_state=True)", N(2, 4, 3)),
    layer_case("rnn_stacked_mask", "layers.RNN(layers.StackedRNNCells([layers.GRUCell(3, name='a'), "
               "layers.LSTMCell(2, name='b')], name='stack'), return_sequences=True)", N(3, 5, 3), _HOLES,
               kwargs=_MASK, positional=1),
    layer_case("rnn_zero_output_padded", "layers.RNN(layers.LSTMCell(3, name='cell'), return_sequences=True, "
               "zero_output_for_mask=True)", N(3, 5, 3), _PADDED, kwargs=_MASK, positional=1),
    layer_case("rnn_zero_output_holes", "layers.RNN(layers.GRUCell(3, name='cell'), zero_output_for_mask=True)",
               N(3, 5, 3), _HOLES, kwargs=_MASK, positional=1),
]

_BIDI = "layers.Bidirectional(layers.{}(3, name='r'{}){})"

CASES += [
    layer_case("bidi_lstm", _BIDI.format("LSTM", "", ""), N(2, 4, 3)),
    layer_case("bidi_lstm_seq", _BIDI.format("LSTM", ", return_sequences=True", ""), N(2, 4, 3)),
    *[layer_case(f"bidi_gru_seq_{mode}", _BIDI.format("GRU", ", return_sequences=True", f", merge_mode='{mode}'"),
                 N(2, 4, 3)) for mode in ("sum", "mul", "ave")],
    layer_case("bidi_simple_seq_none", _BIDI.format("SimpleRNN", ", return_sequences=True", ", merge_mode=None"),
               N(2, 4, 3)),
    layer_case("bidi_lstm_state", _BIDI.format("LSTM", ", return_state=True", ""), N(2, 4, 3)),
    layer_case("bidi_gru_seq_state_none", _BIDI.format("GRU", ", return_sequences=True, return_state=True",
                                                       ", merge_mode=None"), N(2, 4, 3)),
    layer_case("bidi_lstm_mask_padded", _BIDI.format("LSTM", ", return_sequences=True", ""), N(3, 5, 3), _PADDED,
               kwargs=_MASK, positional=1),
    layer_case("bidi_gru_mask_holes", _BIDI.format("GRU", ", return_sequences=True", ", merge_mode=None"),
               N(3, 5, 3), _HOLES, kwargs=_MASK, positional=1),
    layer_case("bidi_lstm_mask_last_state", _BIDI.format("LSTM", ", return_state=True", ""), N(3, 5, 3), _PADDED,
               kwargs=_MASK, positional=1),
    layer_case("bidi_backward_layer", "layers.Bidirectional(layers.LSTM(3, name='f', return_sequences=True), "
               "backward_layer=layers.GRU(2, go_backwards=True, return_sequences=True, name='b'))", N(2, 4, 3)),
    layer_case("bidi_initial_state", _BIDI.format("LSTM", ", return_sequences=True", ""), N(2, 4, 3), N(2, 3),
               N(2, 3), N(2, 3), N(2, 3), kwargs="{'initial_state': [x1, x2, x3, x4]}", positional=1,
               symbolic=False),
    # ConvLSTM
    layer_case("conv_lstm2d", "layers.ConvLSTM2D(2, 3)", N(2, 3, 5, 5, 2)),
    layer_case("conv_lstm2d_same_seq", "layers.ConvLSTM2D(2, 3, padding='same', return_sequences=True)",
               N(2, 3, 4, 4, 2)),
    layer_case("conv_lstm2d_strides", "layers.ConvLSTM2D(2, 3, strides=2, padding='same')", N(2, 3, 6, 6, 2)),
    layer_case("conv_lstm2d_even_kernel", "layers.ConvLSTM2D(2, (2, 3), padding='same', return_sequences=True)",
               N(2, 3, 4, 4, 1)),
    layer_case("conv_lstm2d_dilation", "layers.ConvLSTM2D(2, 2, dilation_rate=2)", N(2, 3, 5, 5, 1)),
    layer_case("conv_lstm2d_state_backwards", "layers.ConvLSTM2D(2, 3, return_state=True, go_backwards=True)",
               N(2, 3, 4, 4, 2)),
    layer_case("conv_lstm2d_nobias_relu", "layers.ConvLSTM2D(2, 3, use_bias=False, activation='relu')",
               N(2, 3, 4, 4, 2)),
    layer_case("conv_lstm2d_mask", "layers.ConvLSTM2D(2, 3, return_sequences=True)", N(3, 5, 4, 4, 1), _HOLES,
               kwargs=_MASK, positional=1),
    layer_case("conv_lstm1d", "layers.ConvLSTM1D(2, 3, return_sequences=True)", N(2, 3, 6, 2)),
    layer_case("conv_lstm1d_same_state", "layers.ConvLSTM1D(3, 2, padding='same', return_state=True)",
               N(2, 3, 5, 2)),
    layer_case("conv_lstm3d", "layers.ConvLSTM3D(2, 2)", N(2, 2, 3, 3, 3, 1)),
    layer_case("conv_lstm2d_training", "layers.ConvLSTM2D(2, 3)", N(2, 3, 4, 4, 2), kwargs="{'training': True}"),
]
