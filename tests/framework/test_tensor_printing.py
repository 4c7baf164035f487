"""How tensors print: `str`, `repr` and `format`, exactly as TF 2.21 prints them.

The expected texts below were printed by TF 2.21 (`str(t)` and `repr(t)` of the same
expression). bfloat16 follows ml_dtypes' formatting (`%g`, no column alignment).
"""

import numpy as np
import pytest

import kerastorch as tf

# (id, expression, str from TF 2.21, repr from TF 2.21)
CASES = [
    ('int_vector', 'tf.constant([1, 2, 3])',
     'tf.Tensor([1 2 3], shape=(3,), dtype=int32)',
     '<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>'),
    ('int_matrix', 'tf.constant([[1, 2, 3], [4, 5, 6]])',
     'tf.Tensor(\n[[1 2 3]\n [4 5 6]], shape=(2, 3), dtype=int32)',
     '<tf.Tensor: shape=(2, 3), dtype=int32, numpy=\narray([[1, 2, 3],\n       [4, 5, 6]], dtype=int32)>'),
    ('rank3', 'tf.constant(np.arange(24).reshape(2, 3, 4))',
     'tf.Tensor(\n[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]], shape=(2, 3, 4), dtype=int64)',
     '<tf.Tensor: shape=(2, 3, 4), dtype=int64, numpy=\narray([[[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]],\n\n       [[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]]])>'),
    ('int_scalar', 'tf.constant(5)',
     'tf.Tensor(5, shape=(), dtype=int32)',
     '<tf.Tensor: shape=(), dtype=int32, numpy=5>'),
    ('float_scalar', 'tf.constant(2.5)',
     'tf.Tensor(2.5, shape=(), dtype=float32)',
     '<tf.Tensor: shape=(), dtype=float32, numpy=2.5>'),
    ('float_scalar_tiny', 'tf.constant(1e-20)',
     'tf.Tensor(1e-20, shape=(), dtype=float32)',
     '<tf.Tensor: shape=(), dtype=float32, numpy=9.999999682655225e-21>'),
    ('bool_scalar', 'tf.constant(True)',
     'tf.Tensor(True, shape=(), dtype=bool)',
     '<tf.Tensor: shape=(), dtype=bool, numpy=True>'),
    ('bool_vector', 'tf.constant([True, False])',
     'tf.Tensor([ True False], shape=(2,), dtype=bool)',
     '<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>'),
    ('bool_matrix', 'tf.constant([[True, False], [False, True]])',
     'tf.Tensor(\n[[ True False]\n [False  True]], shape=(2, 2), dtype=bool)',
     '<tf.Tensor: shape=(2, 2), dtype=bool, numpy=\narray([[ True, False],\n       [False,  True]])>'),
    ('float_vector', 'tf.constant([1.5, 2.0])',
     'tf.Tensor([1.5 2. ], shape=(2,), dtype=float32)',
     '<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5, 2. ], dtype=float32)>'),
    ('float64_vector', 'tf.constant([1.5, 2.0], dtype=tf.float64)',
     'tf.Tensor([1.5 2. ], shape=(2,), dtype=float64)',
     '<tf.Tensor: shape=(2,), dtype=float64, numpy=array([1.5, 2. ])>'),
    ('float64_exact', 'tf.constant([0.1, 1 / 3], dtype=tf.float64)',
     'tf.Tensor([0.1        0.33333333], shape=(2,), dtype=float64)',
     '<tf.Tensor: shape=(2,), dtype=float64, numpy=array([0.1       , 0.33333333])>'),
    ('float_thirds', 'tf.constant([0.1, 1 / 3])',
     'tf.Tensor([0.1        0.33333334], shape=(2,), dtype=float32)',
     '<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.1       , 0.33333334], dtype=float32)>'),
    ('float_wide', 'tf.constant([1e-8, 1e8])',
     'tf.Tensor([1.e-08 1.e+08], shape=(2,), dtype=float32)',
     '<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.e-08, 1.e+08], dtype=float32)>'),
    ('float_special', 'tf.constant([1.0, np.nan, np.inf, -np.inf])',
     'tf.Tensor([  1.  nan  inf -inf], shape=(4,), dtype=float32)',
     '<tf.Tensor: shape=(4,), dtype=float32, numpy=array([  1.,  nan,  inf, -inf], dtype=float32)>'),
    ('float16', 'tf.constant([1.1, 2.2], dtype=tf.float16)',
     'tf.Tensor([1.1 2.2], shape=(2,), dtype=float16)',
     '<tf.Tensor: shape=(2,), dtype=float16, numpy=array([1.1, 2.2], dtype=float16)>'),
    ('float_matrix', 'tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 7)',
     'tf.Tensor(\n[[0.         0.14285715 0.2857143  0.42857143]\n [0.5714286  0.71428573 0.85714287 1.        ]\n [1.1428572  1.2857143  1.4285715  1.5714285 ]], shape=(3, 4), dtype=float32)',
     '<tf.Tensor: shape=(3, 4), dtype=float32, numpy=\narray([[0.        , 0.14285715, 0.2857143 , 0.42857143],\n       [0.5714286 , 0.71428573, 0.85714287, 1.        ],\n       [1.1428572 , 1.2857143 , 1.4285715 , 1.5714285 ]], dtype=float32)>'),
    ('float_wrapped', 'tf.constant(np.arange(50, dtype=np.float32) / 7)',
     'tf.Tensor(\n[0.         0.14285715 0.2857143  0.42857143 0.5714286  0.71428573\n 0.85714287 1.         1.1428572  1.2857143  1.4285715  1.5714285\n 1.7142857  1.8571428  2.         2.142857   2.2857144  2.4285715\n 2.5714285  2.7142856  2.857143   3.         3.142857   3.2857144\n 3.4285715  3.5714285  3.7142856  3.857143   4.         4.142857\n 4.285714   4.428571   4.571429   4.714286   4.857143   5.\n 5.142857   5.285714   5.428571   5.571429   5.714286   5.857143\n 6.         6.142857   6.285714   6.428571   6.571429   6.714286\n 6.857143   7.        ], shape=(50,), dtype=float32)',
     '<tf.Tensor: shape=(50,), dtype=float32, numpy=\narray([0.        , 0.14285715, 0.2857143 , 0.42857143, 0.5714286 ,\n       0.71428573, 0.85714287, 1.        , 1.1428572 , 1.2857143 ,\n       1.4285715 , 1.5714285 , 1.7142857 , 1.8571428 , 2.        ,\n       2.142857  , 2.2857144 , 2.4285715 , 2.5714285 , 2.7142856 ,\n       2.857143  , 3.        , 3.142857  , 3.2857144 , 3.4285715 ,\n       3.5714285 , 3.7142856 , 3.857143  , 4.        , 4.142857  ,\n       4.285714  , 4.428571  , 4.571429  , 4.714286  , 4.857143  ,\n       5.        , 5.142857  , 5.285714  , 5.428571  , 5.571429  ,\n       5.714286  , 5.857143  , 6.        , 6.142857  , 6.285714  ,\n       6.428571  , 6.571429  , 6.714286  , 6.857143  , 7.        ],\n      dtype=float32)>'),
    ('string_scalar', "tf.constant('hi')",
     "tf.Tensor(b'hi', shape=(), dtype=string)",
     "<tf.Tensor: shape=(), dtype=string, numpy=b'hi'>"),
    ('string_vector', "tf.constant(['hi', 'there'])",
     "tf.Tensor([b'hi' b'there'], shape=(2,), dtype=string)",
     "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'hi', b'there'], dtype=object)>"),
    ('string_matrix', "tf.constant([['a', 'bb'], ['ccc', 'd']])",
     "tf.Tensor(\n[[b'a' b'bb']\n [b'ccc' b'd']], shape=(2, 2), dtype=string)",
     "<tf.Tensor: shape=(2, 2), dtype=string, numpy=\narray([[b'a', b'bb'],\n       [b'ccc', b'd']], dtype=object)>"),
    ('string_unicode', "tf.constant('héllo')",
     "tf.Tensor(b'h\\xc3\\xa9llo', shape=(), dtype=string)",
     "<tf.Tensor: shape=(), dtype=string, numpy=b'h\\xc3\\xa9llo'>"),
    ('string_bytes', "tf.constant(b'\\x00\\xff')",
     "tf.Tensor(b'\\x00\\xff', shape=(), dtype=string)",
     "<tf.Tensor: shape=(), dtype=string, numpy=b'\\x00\\xff'>"),
    ('int_large', 'tf.constant(np.arange(2000))',
     'tf.Tensor([   0    1    2 ... 1997 1998 1999], shape=(2000,), dtype=int64)',
     '<tf.Tensor: shape=(2000,), dtype=int64, numpy=array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))>'),
    ('int_large_matrix', 'tf.constant(np.arange(10000).reshape(100, 100))',
     'tf.Tensor(\n[[   0    1    2 ...   97   98   99]\n [ 100  101  102 ...  197  198  199]\n [ 200  201  202 ...  297  298  299]\n ...\n [9700 9701 9702 ... 9797 9798 9799]\n [9800 9801 9802 ... 9897 9898 9899]\n [9900 9901 9902 ... 9997 9998 9999]], shape=(100, 100), dtype=int64)',
     '<tf.Tensor: shape=(100, 100), dtype=int64, numpy=\narray([[   0,    1,    2, ...,   97,   98,   99],\n       [ 100,  101,  102, ...,  197,  198,  199],\n       [ 200,  201,  202, ...,  297,  298,  299],\n       ...,\n       [9700, 9701, 9702, ..., 9797, 9798, 9799],\n       [9800, 9801, 9802, ..., 9897, 9898, 9899],\n       [9900, 9901, 9902, ..., 9997, 9998, 9999]], shape=(100, 100))>'),
    ('float_large', 'tf.constant(np.arange(2000, dtype=np.float32))',
     'tf.Tensor([0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03], shape=(2000,), dtype=float32)',
     '<tf.Tensor: shape=(2000,), dtype=float32, numpy=\narray([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03], shape=(2000,), dtype=float32)>'),
    ('int_wrapped', 'tf.constant(np.arange(50))',
     'tf.Tensor(\n[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47\n 48 49], shape=(50,), dtype=int64)',
     '<tf.Tensor: shape=(50,), dtype=int64, numpy=\narray([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,\n       34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49])>'),
    ('bfloat16_ints', 'tf.constant([1, 2], dtype=tf.bfloat16)',
     'tf.Tensor([1 2], shape=(2,), dtype=bfloat16)',
     '<tf.Tensor: shape=(2,), dtype=bfloat16, numpy=array([1, 2], dtype=bfloat16)>'),
    ('bfloat16_vector', 'tf.constant([1.5, 2.1, 3.3], dtype=tf.bfloat16)',
     'tf.Tensor([1.5 2.09375 3.29688], shape=(3,), dtype=bfloat16)',
     '<tf.Tensor: shape=(3,), dtype=bfloat16, numpy=array([1.5, 2.09375, 3.29688], dtype=bfloat16)>'),
    ('bfloat16_scalar', 'tf.constant(1.1, dtype=tf.bfloat16)',
     'tf.Tensor(1.10156, shape=(), dtype=bfloat16)',
     '<tf.Tensor: shape=(), dtype=bfloat16, numpy=1.1015625>'),
    ('bfloat16_big_scalar', 'tf.constant(123456.0, dtype=tf.bfloat16)',
     'tf.Tensor(123392, shape=(), dtype=bfloat16)',
     '<tf.Tensor: shape=(), dtype=bfloat16, numpy=123392.0>'),
    ('bfloat16_matrix', 'tf.constant([[1.5, -2.0], [1e10, 1e-5]], dtype=tf.bfloat16)',
     'tf.Tensor(\n[[1.5 -2]\n [9.99922e+09 1.00136e-05]], shape=(2, 2), dtype=bfloat16)',
     '<tf.Tensor: shape=(2, 2), dtype=bfloat16, numpy=\narray([[1.5, -2],\n       [9.99922e+09, 1.00136e-05]], dtype=bfloat16)>'),
    ('bfloat16_special', 'tf.constant([np.nan, np.inf, -np.inf, -0.0, 0.0], dtype=tf.bfloat16)',
     'tf.Tensor([nan inf -inf -0 0], shape=(5,), dtype=bfloat16)',
     '<tf.Tensor: shape=(5,), dtype=bfloat16, numpy=array([nan, inf, -inf, -0, 0], dtype=bfloat16)>'),
    ('bfloat16_large', 'tf.constant(np.arange(2000), dtype=tf.bfloat16)',
     'tf.Tensor([0 1 2 ... 2000 2000 2000], shape=(2000,), dtype=bfloat16)',
     '<tf.Tensor: shape=(2000,), dtype=bfloat16, numpy=array([0, 1, 2, ..., 2000, 2000, 2000], shape=(2000,), dtype=bfloat16)>'),
    ('bfloat16_wrapped', 'tf.constant(np.arange(60) / 7, dtype=tf.bfloat16)',
     'tf.Tensor(\n[0 0.142578 0.285156 0.427734 0.570312 0.714844 0.855469 1 1.14062 1.28906\n 1.42969 1.57031 1.71094 1.85938 2 2.14062 2.28125 2.42188 2.57812 2.71875\n 2.85938 3 3.14062 3.28125 3.42188 3.57812 3.71875 3.85938 4 4.15625\n 4.28125 4.4375 4.5625 4.71875 4.84375 5 5.15625 5.28125 5.4375 5.5625\n 5.71875 5.84375 6 6.15625 6.28125 6.4375 6.5625 6.71875 6.84375 7 7.15625\n 7.28125 7.4375 7.5625 7.71875 7.84375 8 8.125 8.3125 8.4375], shape=(60,), dtype=bfloat16)',
     '<tf.Tensor: shape=(60,), dtype=bfloat16, numpy=\narray([0, 0.142578, 0.285156, 0.427734, 0.570312, 0.714844, 0.855469, 1,\n       1.14062, 1.28906, 1.42969, 1.57031, 1.71094, 1.85938, 2, 2.14062,\n       2.28125, 2.42188, 2.57812, 2.71875, 2.85938, 3, 3.14062, 3.28125,\n       3.42188, 3.57812, 3.71875, 3.85938, 4, 4.15625, 4.28125, 4.4375,\n       4.5625, 4.71875, 4.84375, 5, 5.15625, 5.28125, 5.4375, 5.5625,\n       5.71875, 5.84375, 6, 6.15625, 6.28125, 6.4375, 6.5625, 6.71875,\n       6.84375, 7, 7.15625, 7.28125, 7.4375, 7.5625, 7.71875, 7.84375, 8,\n       8.125, 8.3125, 8.4375], dtype=bfloat16)>'),
    ('bfloat16_rank3', 'tf.constant(np.arange(24).reshape(2, 3, 4) / 7, dtype=tf.bfloat16)',
     'tf.Tensor(\n[[[0 0.142578 0.285156 0.427734]\n  [0.570312 0.714844 0.855469 1]\n  [1.14062 1.28906 1.42969 1.57031]]\n\n [[1.71094 1.85938 2 2.14062]\n  [2.28125 2.42188 2.57812 2.71875]\n  [2.85938 3 3.14062 3.28125]]], shape=(2, 3, 4), dtype=bfloat16)',
     '<tf.Tensor: shape=(2, 3, 4), dtype=bfloat16, numpy=\narray([[[0, 0.142578, 0.285156, 0.427734],\n        [0.570312, 0.714844, 0.855469, 1],\n        [1.14062, 1.28906, 1.42969, 1.57031]],\n\n       [[1.71094, 1.85938, 2, 2.14062],\n        [2.28125, 2.42188, 2.57812, 2.71875],\n        [2.85938, 3, 3.14062, 3.28125]]], dtype=bfloat16)>'),
    ('bfloat16_empty', 'tf.constant(np.zeros((0, 2)), dtype=tf.bfloat16)',
     'tf.Tensor([], shape=(0, 2), dtype=bfloat16)',
     '<tf.Tensor: shape=(0, 2), dtype=bfloat16, numpy=array([], shape=(0, 2), dtype=bfloat16)>'),
    ('complex128', 'tf.constant([1 + 2j, 3 - 1j])',
     'tf.Tensor([1.+2.j 3.-1.j], shape=(2,), dtype=complex128)',
     '<tf.Tensor: shape=(2,), dtype=complex128, numpy=array([1.+2.j, 3.-1.j])>'),
    ('complex64', 'tf.constant([1 + 2j, 3 - 1j], dtype=tf.complex64)',
     'tf.Tensor([1.+2.j 3.-1.j], shape=(2,), dtype=complex64)',
     '<tf.Tensor: shape=(2,), dtype=complex64, numpy=array([1.+2.j, 3.-1.j], dtype=complex64)>'),
    ('complex_scalar', 'tf.constant(1 + 2j)',
     'tf.Tensor((1+2j), shape=(), dtype=complex128)',
     '<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>'),
    ('uint8', 'tf.constant([1, 2], dtype=tf.uint8)',
     'tf.Tensor([1 2], shape=(2,), dtype=uint8)',
     '<tf.Tensor: shape=(2,), dtype=uint8, numpy=array([1, 2], dtype=uint8)>'),
    ('int64', 'tf.constant([1, 2], dtype=tf.int64)',
     'tf.Tensor([1 2], shape=(2,), dtype=int64)',
     '<tf.Tensor: shape=(2,), dtype=int64, numpy=array([1, 2])>'),
    ('int8', 'tf.constant([-1, 2], dtype=tf.int8)',
     'tf.Tensor([-1  2], shape=(2,), dtype=int8)',
     '<tf.Tensor: shape=(2,), dtype=int8, numpy=array([-1,  2], dtype=int8)>'),
    ('empty', 'tf.constant([])',
     'tf.Tensor([], shape=(0,), dtype=float32)',
     '<tf.Tensor: shape=(0,), dtype=float32, numpy=array([], dtype=float32)>'),
    ('empty_matrix', 'tf.constant(np.zeros((0, 3)))',
     'tf.Tensor([], shape=(0, 3), dtype=float64)',
     '<tf.Tensor: shape=(0, 3), dtype=float64, numpy=array([], shape=(0, 3), dtype=float64)>'),
    ('empty_columns', 'tf.constant(np.zeros((2, 0), np.int32))',
     'tf.Tensor([], shape=(2, 0), dtype=int32)',
     '<tf.Tensor: shape=(2, 0), dtype=int32, numpy=array([], shape=(2, 0), dtype=int32)>'),
    ('float64_scalar', 'tf.constant(np.float64(1.0))',
     'tf.Tensor(1.0, shape=(), dtype=float64)',
     '<tf.Tensor: shape=(), dtype=float64, numpy=1.0>'),
    ('negative_zero', 'tf.constant(-0.0)',
     'tf.Tensor(-0.0, shape=(), dtype=float32)',
     '<tf.Tensor: shape=(), dtype=float32, numpy=-0.0>'),
]


@pytest.mark.parametrize("expr, text, shown", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_str_and_repr(expr, text, shown):
    t = eval(expr, {"tf": tf, "np": np})
    assert str(t) == text
    assert repr(t) == shown


def test_containers_use_repr():
    t = tf.constant([1, 2])
    assert str([t]) == "[<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>]"


@pytest.mark.parametrize("expr, spec, text", [
    ("tf.constant(2.5)", ".2f", "2.50"),
    ("tf.constant(2.5)", ".3f", "2.500"),
    ("tf.constant(2.5)", ">8", "     2.5"),
    ("tf.constant(3)", "d", "3"),
    ("tf.constant(3)", "05d", "00003"),
    ("tf.constant([1, 2])", "", "[1 2]"),
    ("tf.constant(2.5)", "", "2.5"),
    ("tf.constant(123456.0, dtype=tf.bfloat16)", ".2f", "123392.00"),
    ("tf.constant([1.5, 2.1], dtype=tf.bfloat16)", "", "[1.5 2.09375]"),
], ids=["f2", "f3", "align", "d", "zero_pad", "empty_spec_vector", "empty_spec_scalar", "bfloat16",
        "bfloat16_empty_spec"])
def test_format(expr, spec, text):
    # from TF 2.21: format() formats the numpy value
    assert format(eval(expr, {"tf": tf}), spec) == text


def test_format_of_array_with_spec_fails_as_numpy():
    with pytest.raises(TypeError, match="unsupported format string passed to numpy.ndarray.__format__"):
        format(tf.constant([1.5, 2.5]), ".2f")


def test_percent_formatting():
    t = tf.constant(1.5)
    # from TF 2.21
    assert "%s" % t == "tf.Tensor(1.5, shape=(), dtype=float32)"  # noqa: UP031 - %-formatting under test
    assert "%r" % t == "<tf.Tensor: shape=(), dtype=float32, numpy=1.5>"  # noqa: UP031
    assert "%.1f" % t == "1.5"  # noqa: UP031
    with pytest.raises(TypeError, match="only 0-dimensional arrays can be converted to Python scalars"):
        "%.1f" % tf.constant([1.5])  # noqa: B018, UP031
