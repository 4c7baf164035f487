"""`tf.linalg`: matrix ops on the last two axes, batched over the others."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.ops.array_ops import eye
from kerastorch.ops.linalg_ops import (
    adjoint,
    band_part,
    cholesky,
    det,
    diag,
    diag_part,
    eigh,
    eigvalsh,
    inv,
    logdet,
    matrix_transpose,
    norm,
    qr,
    slogdet,
    solve,
    svd,
    trace,
    triangular_solve,
)
from kerastorch.ops.math_ops import matmul
from kerastorch.ops.nn_ops import l2_normalize

__all__ = [
    "adjoint", "band_part", "cholesky", "det", "diag", "diag_part", "eigh", "eigvalsh", "eye", "inv",
    "l2_normalize", "logdet", "matmul", "matrix_transpose", "norm", "qr", "slogdet", "solve", "svd",
    "trace", "triangular_solve",
]

__getattr__ = _missing_names("tf.linalg", __name__)
