"""Parity cases for the convolution layers (plain, transposed, depthwise, separable).

TF's CPU kernels support neither channels_first convolutions nor dilated transposed
convolutions, so those are checked in tests/keras/layers/test_convolutional.py instead.
"""

from compat.layerkit import N, layer_case

CASES = [
    # Conv1D
    layer_case("conv1d", "layers.Conv1D(3, 3)", N(2, 7, 4)),
    layer_case("conv1d_same_s2", "layers.Conv1D(3, 3, strides=2, padding='same')", N(2, 8, 4)),
    layer_case("conv1d_same_k4", "layers.Conv1D(2, 4, padding='same')", N(2, 7, 3)),
    layer_case("conv1d_causal_d2", "layers.Conv1D(3, 3, padding='causal', dilation_rate=2)", N(2, 9, 2)),
    layer_case("conv1d_causal_s2", "layers.Conv1D(2, 2, padding='causal', strides=2)", N(2, 9, 2)),
    layer_case("conv1d_groups", "layers.Conv1D(4, 3, groups=2, activation='relu')", N(2, 6, 4)),
    layer_case("conv1d_nobias_tanh", "layers.Conv1D(2, 2, use_bias=False, activation='tanh')", N(3, 5, 2)),
    # Conv2D
    layer_case("conv2d", "layers.Conv2D(3, 3)", N(2, 6, 5, 2)),
    layer_case("conv2d_same_s2_even", "layers.Conv2D(3, 3, strides=2, padding='same')", N(2, 8, 6, 2)),
    layer_case("conv2d_same_s2_odd", "layers.Conv2D(3, 3, strides=2, padding='same')", N(2, 7, 5, 2)),
    layer_case("conv2d_same_k2", "layers.Conv2D(2, 2, padding='same')", N(2, 5, 6, 3)),
    layer_case("conv2d_same_k4_s3", "layers.Conv2D(2, (4, 2), strides=(3, 2), padding='same')", N(2, 8, 7, 2)),
    layer_case("conv2d_valid_s21", "layers.Conv2D(4, (3, 2), strides=(2, 1))", N(2, 7, 6, 3)),
    layer_case("conv2d_same_d2", "layers.Conv2D(2, 3, dilation_rate=2, padding='same')", N(2, 7, 7, 2)),
    layer_case("conv2d_valid_d21", "layers.Conv2D(2, 2, dilation_rate=(2, 1))", N(2, 6, 5, 2)),
    layer_case("conv2d_groups", "layers.Conv2D(6, 3, groups=3, padding='same')", N(2, 5, 5, 6)),
    layer_case("conv2d_relu_nobias", "layers.Conv2D(4, 1, activation='relu', use_bias=False)", N(2, 4, 4, 3)),
    layer_case("conv2d_float64", "layers.Conv2D(2, 3, dtype='float64')", N(2, 5, 5, 2, dtype="float64")),
    # Conv3D
    layer_case("conv3d", "layers.Conv3D(2, 2)", N(2, 4, 3, 4, 2)),
    layer_case("conv3d_same_s2", "layers.Conv3D(3, 3, strides=2, padding='same')", N(1, 5, 6, 4, 2)),
    layer_case("conv3d_groups", "layers.Conv3D(4, (2, 1, 2), groups=2, activation='sigmoid')", N(2, 3, 3, 3, 2)),
    # Conv1DTranspose
    layer_case("conv1dt", "layers.Conv1DTranspose(3, 3)", N(2, 5, 2)),
    layer_case("conv1dt_s2", "layers.Conv1DTranspose(2, 3, strides=2)", N(2, 5, 3)),
    layer_case("conv1dt_same_s2", "layers.Conv1DTranspose(2, 3, strides=2, padding='same')", N(2, 5, 3)),
    layer_case("conv1dt_same_k4_s2", "layers.Conv1DTranspose(2, 4, strides=2, padding='same')", N(2, 4, 2)),
    layer_case("conv1dt_same_op", "layers.Conv1DTranspose(2, 3, strides=3, padding='same', output_padding=2)",
               N(2, 4, 2)),
    # Conv2DTranspose
    layer_case("conv2dt", "layers.Conv2DTranspose(3, 3)", N(2, 4, 5, 2)),
    layer_case("conv2dt_s2", "layers.Conv2DTranspose(2, 3, strides=2)", N(2, 4, 3, 2)),
    layer_case("conv2dt_same_s2", "layers.Conv2DTranspose(2, 3, strides=2, padding='same')", N(2, 4, 3, 2)),
    layer_case("conv2dt_same_k2_s2", "layers.Conv2DTranspose(2, 2, strides=2, padding='same')", N(2, 3, 4, 2)),
    layer_case("conv2dt_same_k2_s3", "layers.Conv2DTranspose(2, 2, strides=3, padding='same')", N(2, 3, 3, 2)),
    layer_case("conv2dt_valid_k2_s3", "layers.Conv2DTranspose(2, 2, strides=3)", N(2, 3, 2, 2)),
    layer_case("conv2dt_same_k5_s2", "layers.Conv2DTranspose(2, (5, 4), strides=2, padding='same')", N(1, 3, 3, 2)),
    layer_case("conv2dt_valid_op", "layers.Conv2DTranspose(2, 3, strides=(3, 2), output_padding=(2, 1))",
               N(2, 3, 3, 2)),
    layer_case("conv2dt_same_op", "layers.Conv2DTranspose(3, (3, 4), strides=2, padding='same', output_padding=1)",
               N(2, 3, 4, 2)),
    layer_case("conv2dt_same_op1_k4", "layers.Conv2DTranspose(2, 4, strides=3, padding='same', output_padding=1)",
               N(1, 3, 3, 2)),
    layer_case("conv2dt_relu_nobias", "layers.Conv2DTranspose(2, 2, activation='relu', use_bias=False)",
               N(2, 3, 3, 2)),
    # Conv3DTranspose
    layer_case("conv3dt_same_s2", "layers.Conv3DTranspose(2, 2, strides=2, padding='same')", N(1, 2, 3, 2, 2)),
    layer_case("conv3dt_valid_op", "layers.Conv3DTranspose(2, 3, strides=2, output_padding=1)", N(1, 2, 2, 3, 2)),
    # DepthwiseConv1D / 2D
    layer_case("dwconv1d", "layers.DepthwiseConv1D(3)", N(2, 6, 3)),
    layer_case("dwconv1d_m2_same_s2", "layers.DepthwiseConv1D(3, strides=2, padding='same', depth_multiplier=2)",
               N(2, 8, 2)),
    layer_case("dwconv2d", "layers.DepthwiseConv2D(3)", N(2, 5, 5, 3)),
    layer_case("dwconv2d_m2_same", "layers.DepthwiseConv2D(2, padding='same', depth_multiplier=2)", N(2, 5, 4, 2)),
    layer_case("dwconv2d_same_s2", "layers.DepthwiseConv2D(3, strides=2, padding='same', activation='relu')",
               N(2, 6, 7, 2)),
    layer_case("dwconv2d_d2", "layers.DepthwiseConv2D(3, dilation_rate=2, use_bias=False)", N(2, 7, 6, 2)),
    layer_case("dwconv2d_s2_d2", "layers.DepthwiseConv2D(3, strides=2, dilation_rate=2)", N(2, 9, 8, 2)),
    # SeparableConv1D / 2D
    layer_case("sepconv1d", "layers.SeparableConv1D(4, 3)", N(2, 6, 3)),
    layer_case("sepconv1d_m2_same_s2", "layers.SeparableConv1D(3, 3, strides=2, padding='same', depth_multiplier=2)",
               N(2, 7, 2)),
    layer_case("sepconv2d", "layers.SeparableConv2D(4, 3)", N(2, 5, 5, 3)),
    layer_case("sepconv2d_m2_same_s2", "layers.SeparableConv2D(3, 3, strides=2, padding='same', depth_multiplier=2)",
               N(2, 6, 5, 2)),
    layer_case("sepconv2d_d2_relu", "layers.SeparableConv2D(2, 2, dilation_rate=2, activation='relu', use_bias=False)",
               N(2, 6, 6, 2)),
]
