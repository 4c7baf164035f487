"""Parity cases for the regularization layers (deterministic: inference mode, or training
with a zero rate; the random training behaviour is tested statistically in tests/)."""

from compat.layerkit import N, layer_case

CASES = [
    layer_case("dropout_inference", "layers.Dropout(0.5)", N(2, 3, 4)),
    layer_case("dropout_training_rate0", "layers.Dropout(0.0)", N(2, 4), kwargs="{'training': True}"),
    layer_case("dropout_noise_shape", "layers.Dropout(0.3, noise_shape=(None, 1, 4), seed=1)", N(2, 3, 4)),
    layer_case("spatial_dropout1d", "layers.SpatialDropout1D(0.5)", N(2, 3, 4)),
    layer_case("spatial_dropout1d_training_rate0", "layers.SpatialDropout1D(0.0)", N(2, 3, 4),
               kwargs="{'training': True}"),
    layer_case("spatial_dropout2d_cf", "layers.SpatialDropout2D(0.5, data_format='channels_first')",
               N(1, 2, 3, 3)),
    layer_case("spatial_dropout3d", "layers.SpatialDropout3D(0.2)", N(1, 2, 2, 2, 3)),
    layer_case("gaussian_noise", "layers.GaussianNoise(0.5)", N(2, 5)),
    layer_case("gaussian_noise_training_zero", "layers.GaussianNoise(0.0)", N(2, 5),
               kwargs="{'training': True}"),
    layer_case("gaussian_dropout", "layers.GaussianDropout(0.4)", N(2, 5)),
    layer_case("gaussian_dropout_training_rate0", "layers.GaussianDropout(0.0)", N(2, 5),
               kwargs="{'training': True}"),
    layer_case("alpha_dropout", "layers.AlphaDropout(0.3)", N(2, 5)),
    layer_case("alpha_dropout_training_rate0", "layers.AlphaDropout(0.0)", N(2, 5),
               kwargs="{'training': True}"),
    layer_case("activity_regularization", "layers.ActivityRegularization(l1=0.01, l2=0.1)", N(3, 4)),
]
