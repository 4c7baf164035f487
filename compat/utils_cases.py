"""`keras.utils.to_categorical` / `normalize` / `pad_sequences` cases, run under TF and kerastorch.

Each case is a Python expression evaluated with `np`, `tf` (tensorflow or kerastorch) and
`utils` (`tf.keras.utils`) bound; `generate_utils.py` records TF 2.21's result and
`tests/keras/utils/` compares kerastorch's. This module imports neither library.
"""

from __future__ import annotations

import numpy as np

SEQS = "[[1], [2, 3], [4, 5, 6]]"

CASES = [
    ("to_categorical_list", "utils.to_categorical([0, 1, 2, 3], num_classes=4)"),
    ("to_categorical_inferred", "utils.to_categorical([0, 2])"),
    ("to_categorical_column", "utils.to_categorical([[0], [2]])"),
    ("to_categorical_2d", "utils.to_categorical([[0, 1], [2, 0]])"),
    ("to_categorical_3d_column", "utils.to_categorical(np.array([[[1]], [[0]]]))"),
    ("to_categorical_scalar", "utils.to_categorical(2, 3)"),
    ("to_categorical_floats_truncate", "utils.to_categorical([0.7, 1.2])"),
    ("to_categorical_negative_wraps", "utils.to_categorical([-1, 1], 3)"),
    ("to_categorical_uint8", "utils.to_categorical(np.array([1, 0], dtype=np.uint8))"),
    ("to_categorical_strings", "utils.to_categorical(['1', '0'])"),
    ("to_categorical_zero_classes_inferred", "utils.to_categorical([0, 1], 0)"),
    ("to_categorical_empty", "utils.to_categorical([], 3)"),
    ("to_categorical_empty_inferred", "utils.to_categorical([])"),
    ("to_categorical_out_of_range", "utils.to_categorical([5], 3)"),
    ("to_categorical_float_classes", "utils.to_categorical([1], 2.0)"),
    ("to_categorical_tensor", "utils.to_categorical(tf.constant([[0], [2]]), 4)"),
    ("to_categorical_tensor_int64", "utils.to_categorical(tf.constant([0, 1], dtype=tf.int64), 3)"),
    ("to_categorical_tensor_float", "utils.to_categorical(tf.constant([1.7, -0.5]), 3)"),
    ("to_categorical_tensor_out_of_range", "utils.to_categorical(tf.constant([-1, 1, 5]), 3)"),
    ("to_categorical_tensor_scalar", "utils.to_categorical(tf.constant(1), 3)"),
    ("to_categorical_tensor_3d_column", "utils.to_categorical(tf.constant([[[1]], [[0]]]), 2)"),
    ("to_categorical_tensor_zero_classes", "utils.to_categorical(tf.constant([1, 0]), 0)"),
    ("to_categorical_variable", "utils.to_categorical(tf.Variable([0, 1]), 2)"),
    ("to_categorical_tensor_needs_classes", "utils.to_categorical(tf.constant([0, 1]))"),
    ("normalize", "utils.normalize(np.array([[3., 4.], [0., 0.]]))"),
    ("normalize_float32", "utils.normalize(np.array([[3., 4.], [0., 0.]], dtype=np.float32))"),
    ("normalize_float16", "utils.normalize(np.array([[3, 4]], dtype=np.float16))"),
    ("normalize_ints", "utils.normalize(np.array([[3, 4], [1, 0]]))"),
    ("normalize_bools", "utils.normalize(np.array([[True, False]]))"),
    ("normalize_order1", "utils.normalize(np.array([[3., 4.], [4., 3.]]), order=1)"),
    ("normalize_order3", "utils.normalize(np.array([[3., 4.]]), order=3)"),
    ("normalize_order0", "utils.normalize(np.array([[3., 4.]]), order=0)"),
    ("normalize_order_inf", "utils.normalize(np.array([[3., -4.], [4., 3.]]), order=np.inf)"),
    ("normalize_1d", "utils.normalize(np.array([3., 4.]))"),
    ("normalize_3d_axis1", "utils.normalize(np.arange(12.).reshape(2, 3, 2), axis=1)"),
    ("normalize_3d_axis_minus2", "utils.normalize(np.arange(12.).reshape(2, 3, 2), axis=-2)"),
    ("normalize_axis_none", "utils.normalize(np.array([[3., 4.], [0., 0.]]), axis=None)"),
    ("normalize_0d_array", "utils.normalize(np.array(3.0))"),
    ("normalize_numpy_scalar", "utils.normalize(np.float64(3.0))"),
    ("normalize_list", "utils.normalize([[3., 4.]])"),
    ("normalize_tensor", "utils.normalize(tf.constant([[3., 4.], [0., 0.]]))"),
    ("normalize_tensor_order1", "utils.normalize(tf.constant([[3., 4.], [0., 0.]]), order=1)"),
    ("normalize_tensor_order3", "utils.normalize(tf.constant([[3., 4.]]), order=3)"),
    ("normalize_tensor_axis0", "utils.normalize(tf.constant([[1., 2.], [3., 4.]]), axis=0)"),
    ("normalize_tensor_float64", "utils.normalize(tf.constant([[3., 4.]], dtype=tf.float64), order=1)"),
    ("normalize_tensor_int_order1", "utils.normalize(tf.constant([[3, 4]]), order=1)"),
    ("normalize_tensor_int_order2", "utils.normalize(tf.constant([[3, 4]]))"),
    ("normalize_tensor_scalar", "utils.normalize(tf.constant(3.0))"),
    ("normalize_tensor_tiny", "utils.normalize(tf.constant([[1e-9, 0.]]))"),
    ("normalize_tensor_tiny_order1", "utils.normalize(tf.constant([[1e-9, 0.]]), order=1)"),
    ("normalize_tensor_axis_none", "utils.normalize(tf.constant([[3., 4.], [0., 0.]]), axis=None)"),
    ("normalize_tensor_axis_none_order1", "utils.normalize(tf.constant([[3., 4.], [1., 0.]]), axis=None, order=1)"),
    ("normalize_tensor_axis_pair", "utils.normalize(tf.constant([[3., 4.], [0., 0.]]), axis=(0, 1))"),
    ("normalize_tensor_3d_axis_none_order1", "utils.normalize(tf.ones((2, 2, 2)), axis=None, order=1)"),
    ("normalize_tensor_matrix_order3", "utils.normalize(tf.ones((2, 2)), axis=(0, 1), order=3)"),
    ("normalize_tensor_order_true", "utils.normalize(tf.constant([[3., 4.]]), order=True)"),
    ("normalize_tensor_order_float", "utils.normalize(tf.constant([[3., 4.]]), order=2.0)"),
    ("normalize_tensor_order0", "utils.normalize(tf.constant([[3., 4.]]), order=0)"),
    ("normalize_variable", "utils.normalize(tf.Variable([[3., 4.]]))"),
    ("pad_sequences", f"utils.pad_sequences({SEQS})"),
    ("pad_sequences_value", f"utils.pad_sequences({SEQS}, value=-1)"),
    ("pad_sequences_post", f"utils.pad_sequences({SEQS}, padding='post')"),
    ("pad_sequences_maxlen", f"utils.pad_sequences({SEQS}, maxlen=2)"),
    ("pad_sequences_truncating_post", f"utils.pad_sequences({SEQS}, maxlen=2, truncating='post')"),
    ("pad_sequences_longer", f"utils.pad_sequences({SEQS}, maxlen=4, padding='post', truncating='post')"),
    ("pad_sequences_float32", "utils.pad_sequences([[1.5], [2.25, 3.0]], dtype='float32')"),
    ("pad_sequences_floats_to_int", "utils.pad_sequences([[1.5], [2.7, -3.9]])"),
    ("pad_sequences_float_value_int_dtype", f"utils.pad_sequences({SEQS}, value=0.7)"),
    ("pad_sequences_int64", f"utils.pad_sequences({SEQS}, dtype='int64')"),
    ("pad_sequences_empty_sequence", "utils.pad_sequences([[], [1, 2]])"),
    ("pad_sequences_all_empty", "utils.pad_sequences([[], []])"),
    ("pad_sequences_none", "utils.pad_sequences([])"),
    ("pad_sequences_none_maxlen", "utils.pad_sequences([], maxlen=3)"),
    ("pad_sequences_vectors", "utils.pad_sequences([[[1, 2]], [[3, 4], [5, 6]]])"),
    ("pad_sequences_vector_mismatch", "utils.pad_sequences([[[1, 2]], [[3, 4, 5]]])"),
    ("pad_sequences_strings_object", "utils.pad_sequences([['a'], ['b', 'c']], dtype=object, value='_')"),
    ("pad_sequences_strings_unicode", "utils.pad_sequences([['ab'], ['b', 'c']], dtype='<U2', value='_')"),
    ("pad_sequences_string_value_int_dtype", "utils.pad_sequences([['a']], value='x')"),
    ("pad_sequences_bad_padding", f"utils.pad_sequences({SEQS}, padding='middle')"),
    ("pad_sequences_bad_truncating", f"utils.pad_sequences({SEQS}, truncating='middle')"),
    ("pad_sequences_non_iterable_item", "utils.pad_sequences([1, [2]])"),
    ("pad_sequences_non_iterable", "utils.pad_sequences(5)"),
    ("pad_sequences_generator", f"utils.pad_sequences(s for s in {SEQS})"),
    ("pad_sequences_arrays", "utils.pad_sequences((np.array([1, 2]), np.array([3])))"),
    ("pad_sequences_maxlen0", f"utils.pad_sequences({SEQS}, maxlen=0)"),
    ("pad_sequences_overflow", "utils.pad_sequences([[300]], dtype='uint8')"),
    ("preprocessing_pad_sequences", f"tf.keras.preprocessing.sequence.pad_sequences({SEQS}, maxlen=2)"),
]


def run_case(source: str, tf) -> dict:
    """Evaluates one case's expression; a JSON-able record of the result or the error class."""
    try:
        result = eval(source, {"np": np, "tf": tf, "utils": tf.keras.utils})
    except Exception as exc:  # the error class is part of the record
        return {"error": type(exc).__name__, "message": str(exc)}
    if isinstance(result, np.ndarray):
        return {"kind": "ndarray", "dtype": str(result.dtype), "shape": list(result.shape),
                "values": result.tolist()}
    return {"kind": "tensor", "dtype": result.dtype.name, "shape": list(result.shape),
            "values": result.numpy().tolist()}
