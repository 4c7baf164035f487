"""Tests for `tf.linalg` and `tf.norm`.

Expected values were printed by TF 2.21 unless the comment says they are hand-derived.
Decompositions are checked by reconstruction: their signs are LAPACK's choice.
"""

import numpy as np
import pytest

import kerastorch as tf

M = [[4.0, 7.0], [2.0, 6.0]]
SPD = [[4.0, 2.0], [2.0, 3.0]]


def test_inv_values_adjoint_and_batch():
    # from TF 2.21
    np.testing.assert_allclose(tf.linalg.inv(tf.constant(M)).numpy(), [[0.6, -0.7], [-0.2, 0.4]], rtol=1e-5)
    np.testing.assert_allclose(tf.linalg.inv(tf.constant(M), adjoint=True).numpy(),
                               [[0.6, -0.2], [-0.7, 0.4]], rtol=1e-5)
    batch = tf.linalg.inv(tf.constant([M, [[8.0, 14.0], [4.0, 12.0]]]))
    np.testing.assert_allclose(batch.numpy()[1], [[0.3, -0.35], [-0.1, 0.2]], rtol=1e-5)
    half = tf.linalg.inv(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float16))
    assert half.dtype == tf.float16
    np.testing.assert_allclose(half.numpy(), [[-2.0, 1.0], [1.5, -0.5]], rtol=1e-3)


@pytest.mark.parametrize("fn, value, error, match", [
    (tf.linalg.inv, [[1.0, 2.0], [2.0, 4.0]], tf.errors.InvalidArgumentError, "Input is not invertible."),
    (tf.linalg.inv, [[1, 2], [3, 4]], tf.errors.InvalidArgumentError,
     "Value for attr 'T' of int32 is not in the list of allowed values: double, float, half, complex64"),
    (tf.linalg.inv, np.ones((2, 3), np.float32), tf.errors.InvalidArgumentError, "Input matrix must be square."),
    (tf.linalg.det, [1.0, 2.0], tf.errors.InvalidArgumentError, "Input tensor 0 must have rank >= 2, got 1"),
    (tf.linalg.cholesky, np.ones((2, 3), np.float32), tf.errors.InvalidArgumentError, "must be square"),
    (tf.linalg.qr, [[1, 2]], tf.errors.InvalidArgumentError, "attr 'T' of int32"),
    (tf.linalg.svd, [1.0], tf.errors.InvalidArgumentError, "must have rank >= 2"),
], ids=["singular", "int", "not_square", "det_rank", "cholesky_square", "qr_int", "svd_rank"])
def test_matrix_errors(fn, value, error, match):
    with pytest.raises(error, match=match):
        fn(value)


def test_det_slogdet_logdet():
    # from TF 2.21
    np.testing.assert_allclose(tf.linalg.det(tf.constant(M)).numpy(), 10.0, rtol=1e-5)
    batch = tf.linalg.det(tf.constant([M, [[8.0, 14.0], [4.0, 12.0]]]))
    np.testing.assert_allclose(batch.numpy(), [10.0, 40.0], rtol=1e-5)
    assert tf.linalg.det(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)).dtype == tf.float64
    sign, log_abs = tf.linalg.slogdet(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert float(sign) == -1.0
    np.testing.assert_allclose(log_abs.numpy(), 0.6931472, rtol=1e-6)
    assert type(tf.linalg.slogdet(tf.constant(M))).__name__ == "LogMatrixDeterminant"
    np.testing.assert_allclose(tf.linalg.logdet(tf.constant(SPD)).numpy(), 2.0794415, rtol=1e-6)


def test_trace_transpose_adjoint():
    assert float(tf.linalg.trace(tf.constant(M))) == 10.0
    out = tf.linalg.trace(tf.reshape(tf.range(6), (2, 3)))
    assert out.dtype == tf.int32 and int(out) == 4  # from TF 2.21
    assert tf.linalg.trace(tf.ones((3, 2, 2))).numpy().tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"input must be at least 2-dim, received shape: \[2\]"):
        tf.linalg.trace(tf.ones((2,)))
    out = tf.linalg.matrix_transpose(tf.reshape(tf.range(6), (1, 2, 3)))
    assert out.numpy().tolist() == [[[0, 3], [1, 4], [2, 5]]]
    assert tf.linalg.matrix_transpose(tf.constant([[1 + 2j]]), conjugate=True).numpy()[0, 0] == 1 - 2j
    np.testing.assert_array_equal(tf.linalg.adjoint(tf.constant([[1 + 2j, 3j]])).numpy(), [[1 - 2j], [-3j]])
    with pytest.raises(ValueError, match=r"should be a \(batch\) matrix with rank >= 2"):
        tf.linalg.matrix_transpose(tf.ones((2,)))


@pytest.mark.parametrize("diagonal, kwargs, expected", [
    ([1, 2, 3], {}, [[1, 0, 0], [0, 2, 0], [0, 0, 3]]),
    ([1, 2], {"k": 1}, [[0, 1, 0], [0, 0, 2], [0, 0, 0]]),
    ([1, 2], {"padding_value": 9}, [[1, 9], [9, 2]]),
    ([1, 2], {"num_rows": 3}, [[1, 0], [0, 2], [0, 0]]),
    ([1, 2], {"num_cols": 3}, [[1, 0, 0], [0, 2, 0]]),
    ([1, 2], {"k": -1, "num_rows": 4}, [[0, 0], [1, 0], [0, 2], [0, 0]]),
    ([[1, 2], [3, 4], [5, 0]], {"k": (-1, 1)}, [[3, 2], [5, 4]]),
    ([[1, 2], [3, 4], [5, 6]], {"k": (-1, 1), "align": "LEFT_LEFT"}, [[3, 1], [5, 4]]),
], ids=["main", "super", "padding", "rows", "cols", "sub_rows", "band", "left_left"])
def test_diag(diagonal, kwargs, expected):
    # from TF 2.21
    out = tf.linalg.diag(diagonal, **kwargs)
    assert out.dtype == tf.int32
    assert out.numpy().tolist() == expected


def test_diag_batch_and_errors():
    assert tf.linalg.diag([[1, 2], [3, 4]]).numpy().tolist() == [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="not consistent with the specified d_lower"):
        tf.linalg.diag([1, 2], num_rows=3, num_cols=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="diagonal must be at least 1-dim"):
        tf.linalg.diag(1)
    with pytest.raises(TypeError, match="Cannot convert 0.5 to EagerTensor of dtype int32"):
        tf.linalg.diag([1, 2], padding_value=0.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'align' of \"X\""):
        tf.linalg.diag([1, 2], align="X")
    with pytest.raises(tf.errors.InvalidArgumentError, match="number of diagonals provided in the input"):
        tf.linalg.diag([1, 2], k=(-1, 1))


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [1, 5]),
    ({"k": 1}, [2, 6]),
    ({"k": -1}, [4]),
    ({"k": (-1, 1)}, [[2, 6], [1, 5], [4, 0]]),
    ({"k": (-1, 1), "padding_value": 9, "align": "LEFT_RIGHT"}, [[2, 6], [1, 5], [9, 4]]),
], ids=["main", "super", "sub", "band", "left_right"])
def test_diag_part(kwargs, expected):
    # from TF 2.21
    assert tf.linalg.diag_part([[1, 2, 3], [4, 5, 6]], **kwargs).numpy().tolist() == expected


def test_diag_part_batch_and_errors():
    assert tf.linalg.diag_part(tf.reshape(tf.range(8), (2, 2, 2))).numpy().tolist() == [[0, 3], [4, 7]]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="lower_diag_index is out of bound: 5. It must be between -2 and 3"):
        tf.linalg.diag_part([[1, 2, 3], [4, 5, 6]], k=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must not be larger than upper_diag_index: 1 > -1"):
        tf.linalg.diag_part([[1, 2, 3], [4, 5, 6]], k=(1, -1))


@pytest.mark.parametrize("lower, upper, expected", [
    (1, -1, [[0, 1, 2, 3], [4, 5, 6, 7], [0, 9, 10, 11], [0, 0, 14, 15]]),
    (0, 0, [[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 10, 0], [0, 0, 0, 15]]),
    (-1, 0, [[0, 0, 0, 0], [4, 5, 0, 0], [8, 9, 10, 0], [12, 13, 14, 15]]),
    (-1, -1, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]),
], ids=["upper_all", "diagonal", "lower_all", "everything"])
def test_band_part(lower, upper, expected):
    # from TF 2.21
    out = tf.linalg.band_part(tf.reshape(tf.range(16), (4, 4)), lower, upper)
    assert out.numpy().tolist() == expected


def test_band_part_errors_and_bool():
    out = tf.linalg.band_part(tf.ones((2, 2), tf.bool), 0, 0)
    assert out.numpy().tolist() == [[True, False], [False, True]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"number of rows \(3\) got: 5"):
        tf.linalg.band_part(tf.ones((3, 3)), 5, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"number of columns \(3\) got: 4"):
        tf.linalg.band_part(tf.ones((2, 3)), 0, 4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="input #2"):
        tf.linalg.band_part(tf.ones((2, 2)), tf.constant(0), tf.constant(-1, tf.int64))
    with pytest.raises(TypeError, match="Cannot convert 0.5 to EagerTensor of dtype int64"):
        tf.linalg.band_part(tf.ones((2, 2)), 0.5, 1)


def test_cholesky():
    # from TF 2.21
    out = tf.linalg.cholesky(tf.constant(SPD))
    np.testing.assert_allclose(out.numpy(), [[2.0, 0.0], [1.0, 1.4142135]], rtol=1e-6)
    # TF does not raise for a matrix that is not positive definite: the factor is NaN
    assert np.isnan(tf.linalg.cholesky(tf.constant([[1.0, 2.0], [2.0, 1.0]])).numpy()[1, 1])


@pytest.mark.parametrize("full, q_shape, r_shape", [(False, (3, 2), (2, 2)), (True, (3, 3), (3, 2))],
                         ids=["reduced", "full"])
def test_qr(full, q_shape, r_shape):
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    result = tf.linalg.qr(a, full_matrices=full)
    assert type(result).__name__ == "Qr"
    q, r = result.q.numpy(), result.r.numpy()
    assert q.shape == q_shape and r.shape == r_shape
    np.testing.assert_allclose(q @ r, a, atol=1e-5)
    np.testing.assert_allclose(q.T @ q, np.eye(q_shape[1]), atol=1e-5)
    # from TF 2.21, up to the sign of each row
    np.testing.assert_allclose(np.abs(r[:2]), [[5.91608, 7.437357], [0.0, 0.82807845]], rtol=1e-5)


def test_svd():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    s, u, v = tf.linalg.svd(a)
    # from TF 2.21
    np.testing.assert_allclose(s.numpy(), [9.525518, 0.51429987], rtol=1e-5)
    np.testing.assert_allclose(u.numpy() @ np.diag(s.numpy()) @ v.numpy().T, a, atol=1e-5)
    np.testing.assert_allclose(tf.linalg.svd(a, compute_uv=False).numpy(), s.numpy(), rtol=1e-6)
    assert [t.shape for t in tf.linalg.svd(a, full_matrices=True)] == [(2,), (3, 3), (2, 2)]


def test_eigh_solve_triangular_solve():
    e, v = tf.linalg.eigh(tf.constant(SPD))
    # from TF 2.21
    np.testing.assert_allclose(e.numpy(), [1.4384472, 5.5615525], rtol=1e-6)
    np.testing.assert_allclose(v.numpy() @ np.diag(e.numpy()) @ v.numpy().T, SPD, atol=1e-5)
    np.testing.assert_allclose(tf.linalg.eigvalsh(tf.constant(SPD)).numpy(), e.numpy(), rtol=1e-6)
    x = tf.linalg.solve(tf.constant(M), tf.constant([[1.0], [2.0]]))
    np.testing.assert_allclose(x.numpy(), [[-0.8], [0.6]], rtol=1e-5)
    x = tf.linalg.solve(tf.constant(M), tf.constant([[1.0], [2.0]]), adjoint=True)
    np.testing.assert_allclose(x.numpy(), [[0.2], [0.1]], rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix is not invertible."):
        tf.linalg.solve(tf.constant([[1.0, 2.0], [2.0, 4.0]]), tf.ones((2, 1)))
    lower = tf.constant([[2.0, 0.0], [1.0, 4.0]])
    np.testing.assert_allclose(tf.linalg.triangular_solve(lower, tf.constant([[2.0], [9.0]])).numpy(),
                               [[1.0], [2.0]])
    np.testing.assert_allclose(tf.linalg.triangular_solve(lower, tf.constant([[4.0], [8.0]]), adjoint=True)
                               .numpy(), [[1.0], [2.0]])


def test_matmul_and_eye_are_the_shared_ops():
    assert tf.linalg.matmul is tf.matmul
    assert tf.linalg.eye is tf.eye


# -- norm ------------------------------------------------------------------------------

MAT = [[1.0, -2.0], [3.0, 4.0]]
VEC = [3.0, -4.0]


@pytest.mark.parametrize("value, kwargs, expected", [
    (MAT, {}, 5.4772257804870605),
    (VEC, {"ord": 1}, 7.0),
    (VEC, {"ord": 2}, 5.0),
    (VEC, {"ord": np.inf}, 4.0),
    (VEC, {"ord": 3}, 4.497941493988037),
    (VEC, {"ord": 0.5}, 13.928203582763672),
    (MAT, {"axis": 0}, [3.1622777, 4.472136]),
    (MAT, {"axis": 1, "keepdims": True}, [[2.236068], [5.0]]),
    (MAT, {"ord": 1, "axis": -1}, [3.0, 7.0]),
    (MAT, {"axis": [0, 1]}, 5.4772257804870605),
    (MAT, {"ord": "fro", "axis": (-2, -1)}, 5.4772257804870605),
    (MAT, {"ord": 1, "axis": [0, 1]}, 6.0),
    (MAT, {"ord": 1, "axis": [1, 0]}, 7.0),
    (MAT, {"ord": np.inf, "axis": [0, 1]}, 7.0),
    (MAT, {"ord": 2, "axis": [0, 1]}, 5.116673469543457),
    (MAT, {"ord": 1, "axis": [0, 1], "keepdims": True}, [[6.0]]),
    (MAT, {"ord": 1}, 10.0),
    (np.arange(8.0, dtype=np.float32).reshape(2, 2, 2), {"ord": 1, "axis": [1, 2]}, [4.0, 12.0]),
    (np.arange(8.0, dtype=np.float32).reshape(2, 2, 2), {"ord": 2, "axis": [0, 2], "keepdims": True},
     [[[6.4510098], [9.891232]]]),
], ids=["default", "v1", "v2", "vinf", "v3", "vhalf", "axis0", "keepdims", "v1_axis", "pair", "fro",
        "m1", "m1_swapped", "minf", "m2", "m1_keepdims", "flat1", "batch_m1", "m2_keepdims"])
def test_norm_values(value, kwargs, expected):
    # from TF 2.21
    out = tf.norm(tf.constant(value), **kwargs)
    assert out.dtype == tf.float32
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)


def test_norm_dtypes():
    assert tf.norm is tf.linalg.norm
    # from TF 2.21: the euclidean norm of a complex tensor is complex, |x| norms are real
    out = tf.norm(tf.constant([3 + 4j, 0j], tf.complex64))
    assert out.dtype == tf.complex64 and complex(out) == 5.0
    assert tf.norm(tf.constant([3 + 4j, 1j], tf.complex64), ord=1).dtype == tf.float32
    out = tf.norm(tf.constant([3, -4]), ord=1)
    assert out.dtype == tf.int32 and int(out) == 7
    assert tf.norm(tf.constant([3.0, 4.0], tf.float16)).dtype == tf.float16


@pytest.mark.parametrize("kwargs, error, match", [
    ({"ord": 0}, ValueError, "'ord' must be a supported vector norm, got 0"),
    ({"ord": "fro"}, ValueError, "'ord' must be a supported vector norm, got fro"),
    ({"ord": 3, "axis": [0, 1]}, ValueError,
     r"'ord' must be a supported matrix norm in \['euclidean', 'fro', 1, 2, inf\], got 3"),
    ({"axis": [1, 1]}, ValueError, r"a tuple of 2 unique integers, got \(1, 1\)"),
    ({"axis": [0, 1, 2]}, ValueError, r"a tuple of 2 unique integers, got \[0, 1, 2\]"),
    ({"axis": 3}, tf.errors.InvalidArgumentError, r"Invalid reduction dimension \(3 for input with 2"),
], ids=["ord0", "fro_vector", "matrix_ord", "same_axes", "three_axes", "axis_range"])
def test_norm_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.norm(tf.ones((2, 2)), **kwargs)


def test_norm_of_integers_needs_float_for_sqrt():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.norm(tf.constant([3, 4]))


def test_norm_follows_tf_formula_at_zero_and_overflow():
    x = tf.constant([0.0, 0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.norm(x)
    assert np.isnan(tape.gradient(y, x).numpy()).all()  # from TF 2.21
    assert np.isinf(tf.norm(tf.constant([1e30, 1e30])).numpy())  # from TF 2.21


# from TF 2.21: the full messages of refused dtypes, NodeDef and Op signature included
@pytest.mark.parametrize("fn, op_text", [
    (tf.linalg.inv, "Op<name=MatrixInverse; signature=input:T -> output:T; attr=adjoint:bool,default=false; "
                    "attr=T:type,allowed=[DT_DOUBLE, DT_FLOAT, DT_HALF, DT_COMPLEX64, DT_COMPLEX128]> "
                    "[Op:MatrixInverse] name: "),
    (tf.linalg.svd, "Op<name=Svd; signature=input:T -> s:T, u:T, v:T; attr=compute_uv:bool,default=true; "
                    "attr=full_matrices:bool,default=false; attr=T:type,allowed=[DT_DOUBLE, DT_FLOAT, DT_HALF, "
                    "DT_COMPLEX64, DT_COMPLEX128]> [Op:Svd] name: "),
], ids=["inv", "svd"])
def test_refused_dtype_message_is_tfs(fn, op_text):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        fn(tf.constant([[1, 2], [3, 4]]))
    assert str(info.value).startswith("Value for attr 'T' of int32 is not in the list of allowed values: "
                                      "double, float, half, complex64, complex128\n\t; NodeDef: ")
    assert str(info.value).endswith(op_text)


def test_norm_of_bools_is_a_type_error():
    # from TF 2.21
    with pytest.raises(TypeError, match="Expected numeric or variant tensor, got dtype tf.bool."):
        tf.norm(tf.constant([True]))
