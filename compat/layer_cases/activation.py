"""Parity cases for the activation layers."""

from compat.layerkit import I, N, U, layer_case

CASES = [
    layer_case("activation_relu", "layers.Activation('relu')", N(2, 5)),
    layer_case("activation_tanh", "layers.Activation('tanh')", N(2, 3, 2)),
    layer_case("activation_softmax", "layers.Activation('softmax')", N(3, 4)),
    layer_case("activation_gelu", "layers.Activation('gelu')", N(2, 5)),
    layer_case("activation_callable", "layers.Activation(keras.activations.swish)", N(2, 5)),
    layer_case("activation_int_relu", "layers.Activation('relu')", I(-3, 4, 2, 3)),

    layer_case("relu", "layers.ReLU()", N(3, 4)),
    layer_case("relu_max_value", "layers.ReLU(max_value=0.5)", N(3, 4)),
    layer_case("relu6", "layers.ReLU(max_value=6.0)", U(-8.0, 8.0, 3, 4)),
    layer_case("relu_negative_slope", "layers.ReLU(negative_slope=0.2)", N(3, 4)),
    layer_case("relu_threshold", "layers.ReLU(threshold=0.3)", N(3, 4)),
    layer_case("relu_all_options", "layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2)", N(3, 4)),
    layer_case("relu_int", "layers.ReLU(max_value=2)", I(-3, 4, 2, 3)),

    layer_case("leaky_relu", "layers.LeakyReLU()", N(3, 4)),
    layer_case("leaky_relu_slope", "layers.LeakyReLU(negative_slope=0.05)", N(2, 3, 2)),
    layer_case("leaky_relu_int", "layers.LeakyReLU()", I(-3, 4, 2, 3)),

    layer_case("prelu", "layers.PReLU()", N(3, 4)),
    layer_case("prelu_shared_axes", "layers.PReLU(shared_axes=[1, 2])", N(2, 3, 3, 2)),
    layer_case("prelu_shared_int_axis", "layers.PReLU(shared_axes=1, alpha_initializer='ones')", N(2, 3, 2),
               set_weights=False),

    layer_case("elu", "layers.ELU()", N(3, 4)),
    layer_case("elu_alpha", "layers.ELU(alpha=0.5)", N(3, 4)),

    layer_case("softmax", "layers.Softmax()", N(3, 5)),
    layer_case("softmax_axis1", "layers.Softmax(axis=1)", N(2, 3, 4)),
    layer_case("softmax_two_axes", "layers.Softmax(axis=(1, 2))", N(2, 3, 4)),
    layer_case("softmax_axis_list_of_one", "layers.Softmax(axis=[1])", N(2, 3, 4)),
    layer_case("softmax_bool_mask", "layers.Softmax()", N(3, 5), I(0, 2, 3, 5, dtype="bool"),
               kwargs="{'mask': x1}", positional=1),
    layer_case("softmax_float_mask_broadcast", "layers.Softmax()", N(2, 3, 4), U(0.0, 1.0, 3, 1),
               kwargs="{'mask': x1}", positional=1),
    layer_case("softmax_fully_masked_row", "layers.Softmax()", N(2, 4),
               I(0, 1, 2, 4, dtype="bool"), kwargs="{'mask': x1}", positional=1),
]
