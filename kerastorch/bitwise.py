"""`tf.bitwise`: bitwise operations on integer tensors."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.ops.math_ops import bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]

__getattr__ = _missing_names("tf.bitwise", __name__)
