"""Parity cases for TimeDistributed (the wrapped layer's weights are the wrapper's).

Wrapped layers with weights are named: the weight names compared include the wrapped
layer's name, which would otherwise depend on each framework's name counters.
"""

from compat.layerkit import N, layer_case

CASES = [
    layer_case("td_dense", "layers.TimeDistributed(layers.Dense(3, name='inner'))", N(2, 4, 5)),
    layer_case("td_dense_relu_4d",
               "layers.TimeDistributed(layers.Dense(2, activation='relu', name='inner'))", N(2, 3, 2, 4)),
    layer_case("td_flatten", "layers.TimeDistributed(layers.Flatten())", N(2, 3, 2, 2)),
    layer_case("td_conv2d", "layers.TimeDistributed(layers.Conv2D(2, 3, padding='same', name='inner'))",
               N(2, 3, 4, 4, 2)),
    layer_case("td_dropout_inference", "layers.TimeDistributed(layers.Dropout(0.5))", N(2, 3, 4)),
    layer_case("td_upsampling", "layers.TimeDistributed(layers.UpSampling1D(2))", N(2, 3, 2, 2)),
]
