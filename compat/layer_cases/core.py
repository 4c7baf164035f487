"""Parity cases for the core layers: Dense, EinsumDense, Identity, Embedding, Lambda, Masking."""

from compat.layerkit import A, I, N, U, layer_case

# Rows 0 and 2 of the first sample and row 1 of the second are all padding (0.0).
_PADDED = A([[[0.0, 0.0, 0.0], [1.5, -2.0, 0.0], [0.0, 0.0, 0.0]],
             [[0.5, 0.25, -1.0], [0.0, 0.0, 0.0], [2.0, 0.0, 1.0]]], "float32")

CASES = [
    layer_case("dense", "layers.Dense(3)", N(2, 4)),
    layer_case("dense_relu_nobias", "layers.Dense(5, activation='relu', use_bias=False)", N(3, 4)),
    layer_case("dense_3d", "layers.Dense(2, activation='tanh')", N(2, 3, 4)),

    layer_case("einsum_dense_matmul", "layers.EinsumDense('ab,bc->ac', output_shape=4, bias_axes='c')", N(3, 5)),
    layer_case("einsum_dense_sequence", "layers.EinsumDense('abc,cd->abd', output_shape=(None, 4), bias_axes='d')",
               N(2, 3, 5)),
    layer_case("einsum_dense_left_ellipsis",
               "layers.EinsumDense('...x,xy->...y', output_shape=3, bias_axes='y', activation='relu')", N(2, 4, 5)),
    # Keras's symbolic shape lists two elided axes in reverse order, (None, 3, 2, 4) here
    # (a Keras bug; the eager output is (2, 2, 3, 4)): only the values are compared.
    layer_case("einsum_dense_left_ellipsis_2axes", "layers.EinsumDense('...x,xy->...y', output_shape=4)",
               N(2, 2, 3, 5), symbolic=False),
    layer_case("einsum_dense_right_ellipsis",
               "layers.EinsumDense('ab...,bc->ac...', output_shape=(3,), bias_axes='c')", N(2, 4, 5)),
    layer_case("einsum_dense_3d_kernel",
               "layers.EinsumDense('abc,cde->abde', output_shape=(3, 4, 2), bias_axes='de', activation='tanh')",
               N(2, 3, 5)),
    layer_case("einsum_dense_split_heads_bias_middle",
               "layers.EinsumDense('abc,cde->abde', output_shape=(3, 4, 2), bias_axes='d')", N(2, 3, 5)),
    layer_case("einsum_dense_no_bias", "layers.EinsumDense('ab,bc->ac', output_shape=2)", N(3, 4)),
    layer_case("einsum_dense_int_input", "layers.EinsumDense('ab,bc->ac', output_shape=2, bias_axes='c')",
               I(-3, 4, 3, 4)),

    layer_case("identity", "layers.Identity()", N(2, 3)),
    layer_case("identity_int", "layers.Identity()", I(0, 5, 2, 3)),

    layer_case("embedding", "layers.Embedding(10, 4)", I(0, 10, 2, 5)),
    layer_case("embedding_mask_zero", "layers.Embedding(6, 3, mask_zero=True)", I(0, 6, 3, 4)),
    layer_case("embedding_int64", "layers.Embedding(7, 2)", I(0, 7, 2, 3, dtype="int64")),
    layer_case("embedding_uint8_3d", "layers.Embedding(5, 2)", I(0, 5, 2, 2, 3, dtype="uint8")),
    layer_case("embedding_float_indices", "layers.Embedding(5, 3)", U(0.0, 4.99, 2, 3)),
    layer_case("embedding_negative_indices", "layers.Embedding(5, 3)", I(-5, 5, 2, 4)),
    layer_case("embedding_1d", "layers.Embedding(8, 3)", I(0, 8, 6)),

    layer_case("lambda", "layers.Lambda(lambda x: tf.square(x) + 1.0)", N(2, 3)),
    layer_case("lambda_arguments", "layers.Lambda(lambda x, scale: x * scale, arguments={'scale': 2.5})", N(2, 3)),
    layer_case("lambda_list_input", "layers.Lambda(lambda xs: xs[0] * xs[1] - xs[1])", N(2, 3), N(2, 3),
               as_list=True),
    layer_case("lambda_output_shape", "layers.Lambda(lambda x: tf.reduce_sum(x, axis=-1), output_shape=())",
               N(2, 3, 4)),
    # TF cannot run the mask function on symbolic inputs (it calls a TF op on a KerasTensor).
    layer_case("lambda_mask_fn",
               "layers.Lambda(lambda x: tf.nn.relu(x), mask=lambda inputs, mask: tf.reduce_any(inputs > 0, -1))",
               N(3, 4, 2), symbolic=False),

    layer_case("masking", "layers.Masking()", _PADDED),
    layer_case("masking_value", "layers.Masking(mask_value=1.0)", A([[[1.0, 1.0], [1.0, 2.0]],
                                                                     [[3.0, 1.0], [1.0, 1.0]]], "float32")),
]
