"""`tf.linalg`: matrix ops on the last two axes, batched over the others.

Decompositions run on torch's LAPACK/cuSOLVER kernels; float16 inputs are computed in
float32 and cast back (torch.linalg has no half-precision kernels). Diagonals, bands
and norms follow TF's argument rules (`k` pairs with `align`, `ord`/`axis` checks).
"""

from __future__ import annotations

import numbers
from collections import namedtuple

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import operands, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, NotFoundError, kernel_error, op_error
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.ops._util import FLOAT_COMPLEX, OpDef, norm_axis, reduction_opdef

Qr = namedtuple("Qr", ["q", "r"])
LogMatrixDeterminant = namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])

# Allowed dtypes in the order TF's messages list them.
# The ops whose dtype checks these functions make, with TF's allowed types (in TF's
# order, as its messages list them) and signatures.
_DECOMPOSE = "double, float, half, complex64, complex128"
_DETERMINANT = "half, float, double, complex64, complex128"
_INV = OpDef("MatrixInverse", _DECOMPOSE, "input:T -> output:T", "attr=adjoint:bool,default=false; {T}")
_DET = OpDef("MatrixDeterminant", _DETERMINANT, "input:T -> output:T")
_SLOGDET = OpDef("LogMatrixDeterminant", _DETERMINANT, "input:T -> sign:T, log_abs_determinant:T")
_CHOLESKY = OpDef("Cholesky", _DECOMPOSE, "input:T -> output:T")
_QR = OpDef("Qr", _DECOMPOSE, "input:T -> q:T, r:T", "attr=full_matrices:bool,default=false; {T}")
_SVD = OpDef("Svd", _DECOMPOSE, "input:T -> s:T, u:T, v:T",
             "attr=compute_uv:bool,default=true; attr=full_matrices:bool,default=false; {T}")
_EIGH = OpDef("SelfAdjointEigV2", _DECOMPOSE, "input:T -> e:T, v:T", "attr=compute_v:bool,default=true; {T}")
_SOLVE = OpDef("MatrixSolve", _DECOMPOSE, "matrix:T, rhs:T -> output:T",
               "attr=adjoint:bool,default=false; {T}")
_TRIANGULAR_SOLVE = OpDef("MatrixTriangularSolve", "bfloat16, " + _DECOMPOSE, "matrix:T, rhs:T -> output:T",
                          "attr=lower:bool,default=true; attr=adjoint:bool,default=false; {T}")
_SQRT = OpDef("Sqrt", FLOAT_COMPLEX)
_SUM = reduction_opdef("Sum")
_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")
_MATRIX_NORMS = ["euclidean", "fro", 1, 2, np.inf]


# -- inverses, determinants, decompositions -------------------------------------------

def inv(input, adjoint: bool = False, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The inverse of each square matrix; `adjoint=True` inverts the conjugate transpose."""
    raw = _square(input, _INV)
    result, info = torch.linalg.inv_ex(_lapack(raw.mH if adjoint else raw))
    if bool(info.any()):
        raise op_error(InvalidArgumentError, "Input is not invertible.", "MatrixInverse")
    return wrap(result.to(raw.dtype))


def det(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The determinant of each square matrix."""
    raw = _square(input, _DET)
    return wrap(torch.linalg.det(_lapack(raw)).to(raw.dtype))


def slogdet(input, name=None) -> LogMatrixDeterminant:  # noqa: A002 - TF's argument name
    """`(sign, log|det|)` of each square matrix, without overflow."""
    raw = _square(input, _SLOGDET)
    sign, value = torch.linalg.slogdet(_lapack(raw))
    return LogMatrixDeterminant(wrap(sign.to(raw.dtype)), wrap(value.to(raw.dtype)))


def logdet(matrix, name=None) -> Tensor:
    """`log(det(matrix))` of Hermitian positive definite matrices."""
    raw = _square(matrix, _CHOLESKY)
    return wrap(torch.logdet(_lapack(raw)).to(raw.dtype))


def cholesky(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The lower Cholesky factor of each Hermitian positive definite matrix.

    A matrix that is not positive definite gives NaN, as TF's kernel does not raise.
    """
    raw = _square(input, _CHOLESKY)
    factor, info = torch.linalg.cholesky_ex(_lapack(raw))
    factor = torch.where((info != 0)[..., None, None], float("nan"), factor)
    return wrap(factor.to(raw.dtype))


def qr(input, full_matrices: bool = False, name=None) -> Qr:  # noqa: A002 - TF's argument name
    """The QR decomposition `(q, r)` of each matrix.

    Args:
        input: a tensor of rank >= 2.
        full_matrices: return the full square `q` (and tall `r`) instead of the reduced ones.
    """
    raw = _matrix(input, _QR)
    q, r = torch.linalg.qr(_lapack(raw), mode="complete" if full_matrices else "reduced")
    return Qr(wrap(q.to(raw.dtype)), wrap(r.to(raw.dtype)))


def svd(tensor, full_matrices: bool = False, compute_uv: bool = True, name=None):
    """The singular values `s`, or `(s, u, v)` with `tensor = u @ diag(s) @ adjoint(v)`.

    Args:
        tensor: a tensor of rank >= 2.
        full_matrices: return square `u` and `v` instead of the reduced ones.
        compute_uv: also return the singular vectors.
    """
    raw = _matrix(tensor, _SVD)
    x = _lapack(raw)
    if not compute_uv:
        return wrap(torch.linalg.svdvals(x).to(raw.dtype))
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return wrap(s.to(raw.dtype)), wrap(u.to(raw.dtype)), wrap(vh.mH.resolve_conj().to(raw.dtype))


def eigh(tensor, name=None) -> tuple:
    """Eigenvalues (ascending) and eigenvectors `(e, v)` of each Hermitian matrix."""
    raw = _square(tensor, _EIGH)
    values, vectors = torch.linalg.eigh(_lapack(raw))
    return wrap(values.to(raw.dtype)), wrap(vectors.to(raw.dtype))


def eigvalsh(tensor, name=None) -> Tensor:
    """Eigenvalues (ascending) of each Hermitian matrix."""
    raw = _square(tensor, _EIGH)
    return wrap(torch.linalg.eigvalsh(_lapack(raw)).to(raw.dtype))


def solve(matrix, rhs, adjoint: bool = False, name=None) -> Tensor:
    """Solves `matrix @ x = rhs` (or `adjoint(matrix) @ x = rhs`) for `x`."""
    a, b = operands(matrix, rhs, "MatrixSolve")
    _check_matrices(a, _SOLVE)
    result, info = torch.linalg.solve_ex(_lapack(a.mH if adjoint else a), _lapack(b))
    if bool(info.any()):
        raise op_error(InvalidArgumentError, "Input matrix is not invertible.", "MatrixSolve")
    return wrap(result.to(a.dtype))


def triangular_solve(matrix, rhs, lower: bool = True, adjoint: bool = False, name=None) -> Tensor:
    """Solves `matrix @ x = rhs` for `x` with a triangular `matrix`."""
    a, b = operands(matrix, rhs, "MatrixTriangularSolve")
    _check_matrices(a, _TRIANGULAR_SOLVE)
    if adjoint:
        a, lower = a.mH, not lower
    return wrap(torch.linalg.solve_triangular(_lapack(a), _lapack(b), upper=not lower).to(a.dtype))


# -- transposes, traces, diagonals, bands ------------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate: bool = False) -> Tensor:
    """Transposes the last two axes (and conjugates with `conjugate=True`)."""
    raw = unwrap(a)
    if raw.ndim < 2:
        raise ValueError("Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
                         f"{_numpy(raw)} with shape: {TensorShape(raw.shape)}")
    # resolve_conj: torch's lazy conjugate views cannot be read by numpy.
    return wrap(raw.mH.resolve_conj() if conjugate else raw.mT)


def adjoint(matrix, name=None) -> Tensor:
    """The conjugate transpose of the last two axes."""
    return matrix_transpose(matrix, conjugate=True)


def trace(x, name=None) -> Tensor:
    """The sum of the main diagonal of each matrix."""
    raw = unwrap(x)
    _at_least_2d(raw, "MatrixDiagPartV3")
    _SUM.check(raw)
    return wrap(torch.sum(torch.diagonal(raw, 0, -2, -1), -1, dtype=raw.dtype))


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT") -> Tensor:
    """Batched matrices with the given diagonal(s), as `tf.linalg.diag` (MatrixDiagV3).

    Args:
        diagonal: `[..., N]` for one diagonal, or `[..., num_diags, N]` when `k` is a
            pair `(low, high)` listing the diagonals from `high` down to `low`.
        k: the diagonal offset (positive: above the main one), or a `(low, high)` pair.
        num_rows, num_cols: the matrix size; -1 infers the smallest that fits.
        padding_value: the value outside the diagonals.
        align: how diagonals shorter than `N` sit in their row: "RIGHT_LEFT"
            (superdiagonals right-aligned, subdiagonals left-aligned) and the like.
    """
    op_name = "MatrixDiagV3"
    raw = unwrap(diagonal)
    pad = _padding(padding_value, raw)
    low, high = _diag_range(k, op_name)
    _check_align(align, op_name)
    if raw.ndim == 0:
        raise op_error(InvalidArgumentError, "diagonal must be at least 1-dim, received shape: []", op_name)
    rows, cols = int(num_rows), int(num_cols)
    if low == high and rows == cols == -1 and pad == 0:
        return wrap(torch.diag_embed(raw, offset=low))
    count = high - low + 1
    if count > 1 and (raw.ndim < 2 or raw.shape[-2] != count):
        raise op_error(InvalidArgumentError, "The number of diagonals provided in the input does not "
                       "match the lower_diag_index and upper_diag_index range.", op_name)
    longest = raw.shape[-1]
    min_rows, min_cols = longest - min(high, 0), longest + max(low, 0)
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    elif rows == -1:
        rows = min_rows
    elif cols == -1:
        cols = min_cols
    if rows != min_rows and cols != min_cols:
        raise op_error(InvalidArgumentError, "The number of rows or columns is not consistent with the "
                       "specified d_lower, d_upper, and diagonal.", op_name)
    batch = raw.shape[:-1] if count == 1 else raw.shape[:-2]
    out = torch.full((*batch, rows, cols), pad, dtype=raw.dtype, device=raw.device)
    for d in range(low, high + 1):
        values = raw if count == 1 else raw[..., high - d, :]
        length = min(rows + min(0, d), cols - max(0, d))
        values = values[..., longest - length:] if _right_aligned(d, align) else values[..., :length]
        out.diagonal(d, -2, -1).copy_(values)
    return wrap(out)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT") -> Tensor:  # noqa: A002
    """The diagonal(s) of each matrix, as `tf.linalg.diag_part` (MatrixDiagPartV3).

    Args:
        input: a tensor of rank >= 2.
        k: the diagonal offset, or a `(low, high)` pair giving `[..., num_diags, N]`
            with the diagonals from `high` down to `low`, padded to the longest.
        padding_value: the value that pads the shorter diagonals.
        align: where shorter diagonals sit: "RIGHT_LEFT" (superdiagonals
            right-aligned, subdiagonals left-aligned) and the like.
    """
    op_name = "MatrixDiagPartV3"
    raw = unwrap(input)
    pad = _padding(padding_value, raw)
    low, high = _diag_range(k, op_name)
    _check_align(align, op_name)
    _at_least_2d(raw, op_name)
    rows, cols = raw.shape[-2], raw.shape[-1]
    for label, d in (("lower", low), ("upper", high)):
        if not -rows < d < cols and rows and cols:
            raise op_error(InvalidArgumentError, f"{label}_diag_index is out of bound: {d}. It must be "
                           f"between {-rows} and {cols}", op_name)
    if low == high:
        return wrap(torch.diagonal(raw, low, -2, -1))
    longest = max(min(rows + min(0, d), cols - max(0, d)) for d in range(low, high + 1))
    parts = []
    for d in range(high, low - 1, -1):
        values = torch.diagonal(raw, d, -2, -1)
        short = longest - values.shape[-1]
        if short:
            fill = torch.full((*values.shape[:-1], short), pad, dtype=raw.dtype, device=raw.device)
            values = torch.cat([fill, values] if _right_aligned(d, align) else [values, fill], -1)
        parts.append(values)
    return wrap(torch.stack(parts, -2))


def band_part(input, num_lower, num_upper, name=None) -> Tensor:  # noqa: A002
    """Keeps `num_lower` subdiagonals and `num_upper` superdiagonals (negative: all); zeroes the rest."""
    op_name = "MatrixBandPart"
    raw = unwrap(input)
    if type(raw) is np.ndarray:
        raise op_error(NotFoundError, "Could not find device for node: {{node MatrixBandPart}} = "
                       "MatrixBandPart[T=DT_STRING, Tindex=DT_INT64]", op_name)
    low, high = _band_bounds(num_lower, num_upper)
    if raw.ndim < 2:
        raise op_error(InvalidArgumentError,
                       f"input must be at least 2-dim, received shape: {_dims(raw.shape)}", op_name)
    rows, cols = raw.shape[-2], raw.shape[-1]
    if low > rows:
        raise op_error(InvalidArgumentError, "num_lower must be negative or less or equal to number of "
                       f"rows ({rows}) got: {low}", op_name)
    if high > cols:
        raise op_error(InvalidArgumentError, "num_upper must be negative or less or equal to number of "
                       f"columns ({cols}) got: {high}", op_name)
    out = raw
    if low >= 0:
        out = torch.triu(out, -low)
    if high >= 0:
        out = torch.tril(out, high)
    return wrap(out)


# -- norms -----------------------------------------------------------------------------

def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None) -> Tensor:  # noqa: A002
    """Vector norm (over `axis`, or all elements) or matrix norm (over an axis pair).

    Args:
        tensor: the input.
        ord: "euclidean", any `p > 0` (1, 2, `np.inf`, …) for vectors; "euclidean",
            "fro", 1, 2 or `np.inf` for matrices.
        axis: None (all elements as one vector), an int, or a pair of ints (matrix norm).
        keepdims: keep the reduced axes with length 1.
    """
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if not isinstance(axis[0], int) or not isinstance(axis[1], int) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        if ord not in _MATRIX_NORMS:
            raise ValueError(f"'ord' must be a supported matrix norm in {_MATRIX_NORMS}, got {ord}")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        if ord != "euclidean" and not (isinstance(ord, numbers.Real) and ord > 0):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    raw = unwrap(tensor)
    if raw.dtype is torch.bool:  # refused before any kernel runs, as in TF
        raise TypeError("Expected numeric or variant tensor, got dtype tf.bool.")
    dims = norm_axis(axis, raw.ndim)
    keep = bool(keepdims)
    if ord in ("euclidean", "fro") or ord == 2 and not is_matrix:
        _SQRT.check(raw)
        # TF's formula, not torch.linalg.vector_norm: the gradient at 0 is NaN, large
        # values overflow to inf, and complex inputs give a complex result, as in TF.
        squares = raw * raw.conj() if raw.is_complex() else torch.square(raw)
        return wrap(torch.sqrt(torch.sum(squares, dim=dims, keepdim=keep)))
    if is_matrix:
        return wrap(_matrix_norm(raw, ord, dims, keep))
    if ord == 1:
        return wrap(_abs_sum(raw, dims, keep))
    if ord == np.inf:
        return wrap(torch.amax(torch.abs(raw), dim=() if dims is None else dims, keepdim=keep))
    _SQRT.check(raw)
    return wrap(_half_back(torch.linalg.vector_norm(_lapack(raw), ord, dim=dims, keepdim=keep), raw))


def _matrix_norm(raw, order, dims, keep) -> torch.Tensor:
    if order == 2:
        _SQRT.check(raw)
        return _half_back(torch.linalg.matrix_norm(_lapack(raw), 2, dim=dims, keepdim=keep), raw)
    # 1: the largest column sum of |x|; inf: the largest row sum.
    summed, maxed = dims if order == 1 else dims[::-1]
    result = torch.amax(_abs_sum(raw, summed, True), dim=maxed, keepdim=True)
    return result if keep else result.squeeze(dims)


def _abs_sum(raw, dims, keep) -> torch.Tensor:
    """`sum(|x|)` keeping the dtype of `|x|` (torch would widen integers to int64)."""
    magnitude = torch.abs(raw)
    return torch.sum(magnitude, dim=dims, keepdim=keep, dtype=magnitude.dtype)


# -- helpers ----------------------------------------------------------------------------

def _matrix(value, op: OpDef) -> torch.Tensor:
    raw = unwrap(value)
    _check_matrices(raw, op, square=False)
    return raw


def _square(value, op: OpDef) -> torch.Tensor:
    raw = unwrap(value)
    _check_matrices(raw, op)
    return raw


def _check_matrices(raw, op: OpDef, square=True) -> None:
    op.check(raw)
    op_name = op.name
    if raw.ndim < 2:
        raise op_error(InvalidArgumentError, f"Input tensor 0 must have rank >= 2, got {raw.ndim}", op_name)
    if square and raw.shape[-1] != raw.shape[-2]:
        raise kernel_error(InvalidArgumentError, "Input matrix must be square.", op_name, raw.device)


def _lapack(raw: torch.Tensor) -> torch.Tensor:
    return raw.float() if raw.dtype in (torch.float16, torch.bfloat16) else raw


def _half_back(result: torch.Tensor, raw: torch.Tensor) -> torch.Tensor:
    return result.to(raw.dtype) if raw.dtype in (torch.float16, torch.bfloat16) else result


def _at_least_2d(raw, op_name) -> None:
    if raw.ndim < 2:
        raise op_error(InvalidArgumentError,
                       f"input must be at least 2-dim, received shape: {_dims(raw.shape)}", op_name)


def _diag_range(k, op_name) -> tuple:
    if hasattr(k, "numpy"):
        k = k.numpy().tolist()
    if isinstance(k, (list, tuple)):
        low, high = (int(k[0]), int(k[-1]))
    else:
        low = high = int(k)
    if low > high:
        raise op_error(InvalidArgumentError, "lower_diag_index must not be larger than "
                       f"upper_diag_index: {low} > {high}", op_name)
    return low, high


def _check_align(align, op_name) -> None:
    if align not in _ALIGNS:
        allowed = ", ".join(f'"{a}"' for a in _ALIGNS)
        raise op_error(InvalidArgumentError,
                       f"Value for attr 'align' of \"{align}\" is not in the list of allowed values: {allowed}",
                       op_name)


def _right_aligned(d: int, align: str) -> bool:
    """Whether diagonal `d` is right-aligned (left-padded) under `align`."""
    side = align.split("_")[0 if d >= 0 else 1]
    return side == "RIGHT"


def _padding(value, raw):
    """`padding_value` as a Python number of the diagonal's dtype (TF's conversion errors)."""
    if type(raw) is not np.ndarray:
        kind = type(value)
        if kind is int and raw.dtype is not torch.bool or kind is float and raw.is_floating_point():
            return value
    dtype = dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)
    return to_raw(value, dtype).item()


def _band_bounds(num_lower, num_upper) -> tuple:
    low, high = to_raw(num_lower, _index_dtype(num_lower)), to_raw(num_upper, _index_dtype(num_upper))
    if low.dtype is not high.dtype:
        raise op_error(InvalidArgumentError,
                       "cannot compute MatrixBandPart as input #2(zero-based) was expected to be a "
                       f"{dtypes.from_torch(low.dtype)._legacy} tensor but is a "
                       f"{dtypes.from_torch(high.dtype)._legacy} tensor", "MatrixBandPart")
    return int(low), int(high)


def _index_dtype(value):
    """TF converts Python band bounds to int64; tensors keep their dtype."""
    return None if hasattr(value, "dtype") else dtypes.int64


def _numpy(raw) -> np.ndarray:
    return raw.detach().cpu().numpy()


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"
