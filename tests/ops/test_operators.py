"""Python operators on tensors, checked against what TF 2.21 returned or raised.

`CASES` was produced by running every expression under TF 2.21 (values, dtypes and the
first line of each error message). Each id reads `<left>_<op>_<right>[_r]`; `_r` puts
the non-tensor operand on the left (the reflected operator).
"""

import operator

import numpy as np
import pytest
import torch

import kerastorch as tf

LEFT = {
    "i32": lambda: tf.constant([[7, -2], [3, 4]]),
    "f32": lambda: tf.constant([[7.5, -2.0], [3.0, 4.0]]),
    "b": lambda: tf.constant([[True, False], [False, True]]),
}
RIGHT = {
    "i32": lambda: tf.constant([[2, 3], [-4, 5]]),
    "f32": lambda: tf.constant([[2.0, 3.0], [-4.0, 0.5]]),
    "b": lambda: tf.constant([[True, True], [False, False]]),
    "int": lambda: 2, "float": lambda: 2.5, "bool": lambda: True, "np_f64": lambda: np.float64(0.5),
    "list": lambda: [[1, 2], [3, 4]], "str": lambda: "x", "none": lambda: None,
    "row": lambda: tf.constant([1, 2, 3]),
}
OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
       "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow, "lt": operator.lt,
       "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq, "ne": operator.ne,
       "and": operator.and_, "or": operator.or_, "xor": operator.xor}
NAN, INF = float("nan"), float("inf")
ERRORS = {"InvalidArgumentError": tf.errors.InvalidArgumentError, "TypeError": TypeError,
          "ValueError": ValueError, "UnimplementedError": tf.errors.UnimplementedError}

# from TF 2.21: ("ok", dtype, value) | ("py", python bool) | ("err", class, message start)
CASES = [
    ('i32_add_i32', ('ok', 'int32', [[9, 1], [-1, 9]])),
    ('i32_add_f32', ('err', 'InvalidArgumentError', 'cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:AddV2] name: ')),
    ('i32_add_int', ('ok', 'int32', [[9, 0], [5, 6]])),
    ('i32_add_int_r', ('ok', 'int32', [[9, 0], [5, 6]])),
    ('i32_add_float', ('err', 'InvalidArgumentError', 'cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:AddV2] name: ')),
    ('i32_add_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_add_bool', ('ok', 'int32', [[8, -1], [4, 5]])),
    ('i32_add_list', ('ok', 'int32', [[8, 0], [6, 8]])),
    ('i32_add_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('i32_add_row', ('err', 'InvalidArgumentError', '{{function_node __wrapped__AddV2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: [2,2] vs. [3] [Op:AddV2] name: ')),
    ('f32_add_i32', ('err', 'InvalidArgumentError', 'cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:AddV2] name: ')),
    ('f32_add_f32', ('ok', 'float32', [[9.5, 1.0], [-1.0, 4.5]])),
    ('f32_add_int', ('ok', 'float32', [[9.5, 0.0], [5.0, 6.0]])),
    ('f32_add_int_r', ('ok', 'float32', [[9.5, 0.0], [5.0, 6.0]])),
    ('f32_add_float', ('ok', 'float32', [[10.0, 0.5], [5.5, 6.5]])),
    ('f32_add_np_f64', ('ok', 'float32', [[8.0, -1.5], [3.5, 4.5]])),
    ('f32_add_str', ('err', 'InvalidArgumentError', 'cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a string tensor [Op:AddV2] name: ')),
    ('b_add_b', ('err', 'InvalidArgumentError', "Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, int16, int32, int64, comple")),
    ('b_add_bool', ('err', 'InvalidArgumentError', "Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, int16, int32, int64, comple")),
    ('i32_sub_i32', ('ok', 'int32', [[5, -5], [7, -1]])),
    ('i32_sub_f32', ('err', 'InvalidArgumentError', 'cannot compute Sub as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Sub] name: ')),
    ('i32_sub_int', ('ok', 'int32', [[5, -4], [1, 2]])),
    ('i32_sub_int_r', ('ok', 'int32', [[-5, 4], [-1, -2]])),
    ('i32_sub_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_sub_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_sub_bool', ('ok', 'int32', [[6, -3], [2, 3]])),
    ('i32_sub_list', ('ok', 'int32', [[6, -4], [0, 0]])),
    ('i32_sub_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('i32_sub_row', ('err', 'InvalidArgumentError', '{{function_node __wrapped__Sub_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: [2,2] vs. [3] [Op:Sub] name: ')),
    ('f32_sub_i32', ('err', 'InvalidArgumentError', 'cannot compute Sub as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Sub] name: ')),
    ('f32_sub_f32', ('ok', 'float32', [[5.5, -5.0], [7.0, 3.5]])),
    ('f32_sub_int', ('ok', 'float32', [[5.5, -4.0], [1.0, 2.0]])),
    ('f32_sub_int_r', ('ok', 'float32', [[-5.5, 4.0], [-1.0, -2.0]])),
    ('f32_sub_float', ('ok', 'float32', [[5.0, -4.5], [0.5, 1.5]])),
    ('f32_sub_np_f64', ('ok', 'float32', [[7.0, -2.5], [2.5, 3.5]])),
    ('f32_sub_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('b_sub_b', ('err', 'InvalidArgumentError', "Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, complex64, complex128,")),
    ('b_sub_bool', ('err', 'InvalidArgumentError', "Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, complex64, complex128,")),
    ('i32_mul_i32', ('ok', 'int32', [[14, -6], [-12, 20]])),
    ('i32_mul_f32', ('err', 'InvalidArgumentError', 'cannot compute Mul as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Mul] name: ')),
    ('i32_mul_int', ('ok', 'int32', [[14, -4], [6, 8]])),
    ('i32_mul_int_r', ('ok', 'int32', [[14, -4], [6, 8]])),
    ('i32_mul_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_mul_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_mul_bool', ('ok', 'int32', [[7, -2], [3, 4]])),
    ('i32_mul_list', ('ok', 'int32', [[7, -4], [9, 16]])),
    ('i32_mul_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('i32_mul_row', ('err', 'InvalidArgumentError', '{{function_node __wrapped__Mul_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: [2,2] vs. [3] [Op:Mul] name: ')),
    ('f32_mul_i32', ('err', 'InvalidArgumentError', 'cannot compute Mul as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Mul] name: ')),
    ('f32_mul_f32', ('ok', 'float32', [[15.0, -6.0], [-12.0, 2.0]])),
    ('f32_mul_int', ('ok', 'float32', [[15.0, -4.0], [6.0, 8.0]])),
    ('f32_mul_int_r', ('ok', 'float32', [[15.0, -4.0], [6.0, 8.0]])),
    ('f32_mul_float', ('ok', 'float32', [[18.75, -5.0], [7.5, 10.0]])),
    ('f32_mul_np_f64', ('ok', 'float32', [[3.75, -1.0], [1.5, 2.0]])),
    ('f32_mul_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('b_mul_b', ('ok', 'bool', [[True, False], [False, False]])),
    ('b_mul_bool', ('ok', 'bool', [[True, False], [False, True]])),
    ('i32_truediv_i32', ('ok', 'float64', [[3.5, -0.6666666666666666], [-0.75, 0.8]])),
    ('i32_truediv_f32', ('err', 'TypeError', '`x` and `y` must have the same dtype, got tf.int32 != tf.float32.')),
    ('i32_truediv_int', ('ok', 'float64', [[3.5, -1.0], [1.5, 2.0]])),
    ('i32_truediv_int_r', ('ok', 'float64', [[0.2857142857142857, -1.0], [0.6666666666666666, 0.5]])),
    ('i32_truediv_float', ('err', 'TypeError', '`x` and `y` must have the same dtype, got tf.int32 != tf.float32.')),
    ('i32_truediv_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_truediv_bool', ('ok', 'float64', [[7.0, -2.0], [3.0, 4.0]])),
    ('i32_truediv_list', ('ok', 'float64', [[7.0, -1.0], [1.0, 1.0]])),
    ('i32_truediv_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('i32_truediv_row', ('err', 'InvalidArgumentError', '{{function_node __wrapped__RealDiv_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: [2,2] vs. [3] [Op:RealDiv] name: ')),
    ('f32_truediv_i32', ('err', 'TypeError', '`x` and `y` must have the same dtype, got tf.float32 != tf.int32.')),
    ('f32_truediv_f32', ('ok', 'float32', [[3.75, -0.6666666865348816], [-0.75, 8.0]])),
    ('f32_truediv_int', ('ok', 'float32', [[3.75, -1.0], [1.5, 2.0]])),
    ('f32_truediv_int_r', ('ok', 'float32', [[0.2666666805744171, -1.0], [0.6666666865348816, 0.5]])),
    ('f32_truediv_float', ('ok', 'float32', [[3.0, -0.800000011920929], [1.2000000476837158, 1.600000023841858]])),
    ('f32_truediv_np_f64', ('ok', 'float32', [[15.0, -4.0], [6.0, 8.0]])),
    ('f32_truediv_str', ('err', 'TypeError', '`x` and `y` must have the same dtype, got tf.float32 != tf.string.')),
    ('b_truediv_b', ('err', 'TypeError', 'Invalid dtype tf.bool in __truediv__. Expected one of {tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, tf.bfloat16, tf.float16')),
    ('b_truediv_bool', ('err', 'TypeError', 'Invalid dtype tf.bool in __truediv__. Expected one of {tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, tf.bfloat16, tf.float16')),
    ('i32_floordiv_i32', ('ok', 'int32', [[3, -1], [-1, 0]])),
    ('i32_floordiv_f32', ('err', 'InvalidArgumentError', 'cannot compute FloorDiv as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:FloorDiv] name: ')),
    ('i32_floordiv_int', ('ok', 'int32', [[3, -1], [1, 2]])),
    ('i32_floordiv_int_r', ('ok', 'int32', [[0, -1], [0, 0]])),
    ('i32_floordiv_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_floordiv_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_floordiv_bool', ('ok', 'int32', [[7, -2], [3, 4]])),
    ('i32_floordiv_list', ('ok', 'int32', [[7, -1], [1, 1]])),
    ('i32_floordiv_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_floordiv_i32', ('err', 'InvalidArgumentError', 'cannot compute FloorDiv as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:FloorDiv] name: ')),
    ('f32_floordiv_f32', ('ok', 'float32', [[3.0, -1.0], [-1.0, 8.0]])),
    ('f32_floordiv_int', ('ok', 'float32', [[3.0, -1.0], [1.0, 2.0]])),
    ('f32_floordiv_int_r', ('ok', 'float32', [[0.0, -1.0], [0.0, 0.0]])),
    ('f32_floordiv_float', ('ok', 'float32', [[3.0, -1.0], [1.0, 1.0]])),
    ('f32_floordiv_np_f64', ('ok', 'float32', [[15.0, -4.0], [6.0, 8.0]])),
    ('f32_floordiv_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_mod_i32', ('ok', 'int32', [[1, 1], [-1, 4]])),
    ('i32_mod_f32', ('err', 'InvalidArgumentError', 'cannot compute FloorMod as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:FloorMod] name: ')),
    ('i32_mod_int', ('ok', 'int32', [[1, 0], [1, 0]])),
    ('i32_mod_int_r', ('ok', 'int32', [[2, 0], [2, 2]])),
    ('i32_mod_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_mod_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_mod_bool', ('ok', 'int32', [[0, 0], [0, 0]])),
    ('i32_mod_list', ('ok', 'int32', [[0, 0], [0, 0]])),
    ('i32_mod_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_mod_i32', ('err', 'InvalidArgumentError', 'cannot compute FloorMod as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:FloorMod] name: ')),
    ('f32_mod_f32', ('ok', 'float32', [[1.5, 1.0], [-1.0, 0.0]])),
    ('f32_mod_int', ('ok', 'float32', [[1.5, -0.0], [1.0, 0.0]])),
    ('f32_mod_int_r', ('ok', 'float32', [[2.0, 0.0], [2.0, 2.0]])),
    ('f32_mod_float', ('ok', 'float32', [[0.0, 0.5], [0.5, 1.5]])),
    ('f32_mod_np_f64', ('ok', 'float32', [[0.0, -0.0], [0.0, 0.0]])),
    ('f32_mod_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_pow_i32', ('err', 'InvalidArgumentError', '{{function_node __wrapped__Pow_device_/job:localhost/replica:0/task:0/device:CPU:0}} Integers to negative integer powers are not allowed [Op:Pow] name: ')),
    ('i32_pow_f32', ('err', 'InvalidArgumentError', 'cannot compute Pow as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Pow] name: ')),
    ('i32_pow_int', ('ok', 'int32', [[49, 4], [9, 16]])),
    ('i32_pow_int_r', ('err', 'InvalidArgumentError', '{{function_node __wrapped__Pow_device_/job:localhost/replica:0/task:0/device:CPU:0}} Integers to negative integer powers are not allowed [Op:Pow] name: ')),
    ('i32_pow_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_pow_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_pow_bool', ('ok', 'int32', [[7, -2], [3, 4]])),
    ('i32_pow_list', ('ok', 'int32', [[7, 4], [27, 256]])),
    ('i32_pow_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_pow_i32', ('err', 'InvalidArgumentError', 'cannot compute Pow as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Pow] name: ')),
    ('f32_pow_f32', ('ok', 'float32', [[56.25, -8.0], [0.012345679104328156, 2.0]])),
    ('f32_pow_int', ('ok', 'float32', [[56.25, 4.0], [9.0, 16.0]])),
    ('f32_pow_int_r', ('ok', 'float32', [[181.0193328857422, 0.25], [8.0, 16.0]])),
    ('f32_pow_float', ('ok', 'float32', [[154.04696655273438, NAN], [15.588457107543945, 32.0]])),
    ('f32_pow_np_f64', ('ok', 'float32', [[2.7386128902435303, NAN], [1.7320507764816284, 2.0]])),
    ('f32_pow_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_lt_i32', ('ok', 'bool', [[False, True], [False, True]])),
    ('i32_lt_f32', ('err', 'InvalidArgumentError', 'cannot compute Less as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Less] name: ')),
    ('i32_lt_int', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_lt_int_r', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_lt_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_lt_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_lt_bool', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_lt_list', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_lt_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_lt_i32', ('err', 'InvalidArgumentError', 'cannot compute Less as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Less] name: ')),
    ('f32_lt_f32', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_lt_int', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_lt_int_r', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_lt_float', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_lt_np_f64', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_lt_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_le_i32', ('ok', 'bool', [[False, True], [False, True]])),
    ('i32_le_f32', ('err', 'InvalidArgumentError', 'cannot compute LessEqual as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:LessEqual] name: ')),
    ('i32_le_int', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_le_int_r', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_le_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_le_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_le_bool', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_le_list', ('ok', 'bool', [[False, True], [True, True]])),
    ('i32_le_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_le_i32', ('err', 'InvalidArgumentError', 'cannot compute LessEqual as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:LessEqual] name: ')),
    ('f32_le_f32', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_le_int', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_le_int_r', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_le_float', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_le_np_f64', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_le_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_gt_i32', ('ok', 'bool', [[True, False], [True, False]])),
    ('i32_gt_f32', ('err', 'InvalidArgumentError', 'cannot compute Greater as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Greater] name: ')),
    ('i32_gt_int', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_gt_int_r', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_gt_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_gt_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_gt_bool', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_gt_list', ('ok', 'bool', [[True, False], [False, False]])),
    ('i32_gt_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_gt_i32', ('err', 'InvalidArgumentError', 'cannot compute Greater as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Greater] name: ')),
    ('f32_gt_f32', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_gt_int', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_gt_int_r', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_gt_float', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_gt_np_f64', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_gt_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_ge_i32', ('ok', 'bool', [[True, False], [True, False]])),
    ('i32_ge_f32', ('err', 'InvalidArgumentError', 'cannot compute GreaterEqual as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:GreaterEqual] name: ')),
    ('i32_ge_int', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_ge_int_r', ('ok', 'bool', [[False, True], [False, False]])),
    ('i32_ge_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_ge_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_ge_bool', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_ge_list', ('ok', 'bool', [[True, False], [True, True]])),
    ('i32_ge_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_ge_i32', ('err', 'InvalidArgumentError', 'cannot compute GreaterEqual as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:GreaterEqual] name: ')),
    ('f32_ge_f32', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_ge_int', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_ge_int_r', ('ok', 'bool', [[False, True], [False, False]])),
    ('f32_ge_float', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_ge_np_f64', ('ok', 'bool', [[True, False], [True, True]])),
    ('f32_ge_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('i32_eq_i32', ('ok', 'bool', [[False, False], [False, False]])),
    ('i32_eq_f32', ('err', 'InvalidArgumentError', 'cannot compute Equal as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:Equal] name: ')),
    ('i32_eq_int', ('ok', 'bool', [[False, False], [False, False]])),
    ('i32_eq_int_r', ('ok', 'bool', [[False, False], [False, False]])),
    ('i32_eq_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_eq_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_eq_bool', ('ok', 'bool', [[False, False], [False, False]])),
    ('i32_eq_list', ('ok', 'bool', [[False, False], [True, True]])),
    ('i32_eq_none', ('py', False)),
    ('i32_eq_row', ('ok', 'bool', False)),
    ('f32_eq_i32', ('err', 'InvalidArgumentError', 'cannot compute Equal as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:Equal] name: ')),
    ('f32_eq_f32', ('ok', 'bool', [[False, False], [False, False]])),
    ('f32_eq_int', ('ok', 'bool', [[False, False], [False, False]])),
    ('f32_eq_int_r', ('ok', 'bool', [[False, False], [False, False]])),
    ('f32_eq_float', ('ok', 'bool', [[False, False], [False, False]])),
    ('f32_eq_np_f64', ('ok', 'bool', [[False, False], [False, False]])),
    ('b_eq_b', ('ok', 'bool', [[True, False], [True, False]])),
    ('b_eq_bool', ('ok', 'bool', [[True, False], [False, True]])),
    ('i32_ne_i32', ('ok', 'bool', [[True, True], [True, True]])),
    ('i32_ne_f32', ('err', 'InvalidArgumentError', 'cannot compute NotEqual as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:NotEqual] name: ')),
    ('i32_ne_int', ('ok', 'bool', [[True, True], [True, True]])),
    ('i32_ne_int_r', ('ok', 'bool', [[True, True], [True, True]])),
    ('i32_ne_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_ne_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_ne_bool', ('ok', 'bool', [[True, True], [True, True]])),
    ('i32_ne_list', ('ok', 'bool', [[True, True], [False, False]])),
    ('i32_ne_none', ('py', True)),
    ('i32_ne_row', ('ok', 'bool', True)),
    ('f32_ne_i32', ('err', 'InvalidArgumentError', 'cannot compute NotEqual as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:NotEqual] name: ')),
    ('f32_ne_f32', ('ok', 'bool', [[True, True], [True, True]])),
    ('f32_ne_int', ('ok', 'bool', [[True, True], [True, True]])),
    ('f32_ne_int_r', ('ok', 'bool', [[True, True], [True, True]])),
    ('f32_ne_float', ('ok', 'bool', [[True, True], [True, True]])),
    ('f32_ne_np_f64', ('ok', 'bool', [[True, True], [True, True]])),
    ('b_ne_b', ('ok', 'bool', [[False, True], [False, True]])),
    ('b_ne_bool', ('ok', 'bool', [[False, True], [True, False]])),
    ('i32_and_i32', ('ok', 'int32', [[2, 2], [0, 4]])),
    ('i32_and_f32', ('err', 'InvalidArgumentError', 'cannot compute BitwiseAnd as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:BitwiseAnd] name: ')),
    ('i32_and_int', ('ok', 'int32', [[2, 2], [2, 0]])),
    ('i32_and_int_r', ('ok', 'int32', [[2, 2], [2, 0]])),
    ('i32_and_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_and_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_and_bool', ('ok', 'int32', [[1, 0], [1, 0]])),
    ('i32_and_list', ('ok', 'int32', [[1, 2], [3, 4]])),
    ('i32_and_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_and_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('b_and_b', ('ok', 'bool', [[True, False], [False, False]])),
    ('b_and_bool', ('ok', 'bool', [[True, False], [False, True]])),
    ('i32_or_i32', ('ok', 'int32', [[7, -1], [-1, 5]])),
    ('i32_or_f32', ('err', 'InvalidArgumentError', 'cannot compute BitwiseOr as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:BitwiseOr] name: ')),
    ('i32_or_int', ('ok', 'int32', [[7, -2], [3, 6]])),
    ('i32_or_int_r', ('ok', 'int32', [[7, -2], [3, 6]])),
    ('i32_or_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_or_bool', ('ok', 'int32', [[7, -1], [3, 5]])),
    ('i32_or_list', ('ok', 'int32', [[7, -2], [3, 4]])),
    ('b_or_b', ('ok', 'bool', [[True, True], [False, True]])),
    ('b_or_bool', ('ok', 'bool', [[True, True], [True, True]])),
    ('i32_xor_i32', ('ok', 'int32', [[5, -3], [-1, 1]])),
    ('i32_xor_f32', ('err', 'InvalidArgumentError', 'cannot compute BitwiseXor as input #1(zero-based) was expected to be a int32 tensor but is a float tensor [Op:BitwiseXor] name: ')),
    ('i32_xor_int', ('ok', 'int32', [[5, -4], [1, 6]])),
    ('i32_xor_int_r', ('ok', 'int32', [[5, -4], [1, 6]])),
    ('i32_xor_float', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_xor_float_r', ('err', 'TypeError', 'Cannot convert 2.5 to EagerTensor of dtype int32')),
    ('i32_xor_bool', ('ok', 'int32', [[6, -1], [2, 5]])),
    ('i32_xor_list', ('ok', 'int32', [[6, -4], [0, 0]])),
    ('i32_xor_none', ('err', 'ValueError', "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")),
    ('f32_xor_str', ('err', 'TypeError', "Cannot convert 'x' to EagerTensor of dtype float")),
    ('b_xor_b', ('ok', 'bool', [[False, True], [False, True]])),
    ('b_xor_bool', ('ok', 'bool', [[False, True], [True, False]])),
]


def _evaluate(case_id):
    parts = case_id.split("_")
    reflected = parts[-1] == "r"
    right = "_".join(parts[2:-1] if reflected else parts[2:])
    x, y = LEFT[parts[0]](), RIGHT[right]()
    fn = OPS[parts[1]]
    return fn(y, x) if reflected else fn(x, y)


@pytest.mark.parametrize("case_id, expected", CASES, ids=[c[0] for c in CASES])
def test_operator_matches_tf(case_id, expected):
    if expected[0] == "err":
        with tf.device("/CPU:0"), pytest.raises(ERRORS[expected[1]]) as info:
            _evaluate(case_id)
        assert str(info.value).startswith(expected[2])
        return
    with tf.device("/CPU:0"):
        result = _evaluate(case_id)
    if expected[0] == "py":
        assert result is expected[1]
        return
    assert result.dtype.name == expected[1]
    np.testing.assert_array_equal(result.numpy(), np.array(expected[2]))


@pytest.mark.parametrize("dtype, result", [
    (tf.int8, "float32"), (tf.int16, "float32"), (tf.uint8, "float32"), (tf.int32, "float64"),
    (tf.int64, "float64"), (tf.float16, "float16"), (tf.bfloat16, "bfloat16"),
], ids=["int8", "int16", "uint8", "int32", "int64", "float16", "bfloat16"])
def test_truediv_result_dtype(dtype, result):
    a = tf.constant([1, 2], dtype)
    assert (a / a).dtype.name == result and (a / 2).dtype.name == result
    assert (a / 2).numpy().tolist() == [0.5, 1.0]


@pytest.mark.parametrize("dtype, value, expected", [
    (tf.int32, 2**40, [1, 2]), (tf.int64, 2**40, [1099511627777, 1099511627778]), (tf.int8, 200, [-55, -54]),
    (tf.uint8, -1, [0, 1]), (tf.float16, 1e6, [float("inf")] * 2), (tf.float64, np.int64(2), [3.0, 4.0]),
    (tf.int32, np.int64(2**40), [1, 2]), (tf.int32, True, [2, 3]), (tf.float32, True, [2.0, 3.0]),
], ids=["int32_wraps", "int64", "int8_wraps", "uint8_wraps", "float16_overflow", "numpy_int",
        "numpy_int_wraps", "int_bool", "float_bool"])
def test_python_scalar_adopts_tensor_dtype(dtype, value, expected):
    # from TF 2.21: the scalar is converted to the tensor's dtype (ints wrap)
    t = tf.constant([1, 2], dtype) + value
    assert t.dtype == dtype and t.numpy().tolist() == expected


def test_python_scalar_edge_cases():
    a = tf.constant([1, 2])
    assert (a - True).numpy().tolist() == [0, 1]
    assert (a / 2**40).numpy().tolist() == [float("inf")] * 2  # 2**40 wraps to 0 as int32
    assert (tf.constant([1, 2], tf.uint8) - 3).numpy().tolist() == [254, 255]
    with pytest.raises(ValueError, match=r"^Can't convert Python sequence with out-of-range integer"):
        a + 2**63
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^cannot compute AddV2 as input #1\(zero-based\) "
                                                             r"was expected to be a int32 tensor but is a "
                                                             r"complex128 tensor"):
        a + 1j
    with pytest.raises(TypeError, match=r"^Cannot convert 2\.5 to EagerTensor of dtype int32$"):
        a < 2.5  # noqa: B015 - the comparison under test
    with pytest.raises(TypeError, match=r"^`x` and `y` must have the same dtype, got tf\.int32 != tf\.float32\.$"):
        a / 2.0


def test_bool_multiplication():
    # from TF 2.21: `*` with a bool tensor multiplies int32 casts and casts back to bool
    b = tf.constant([[True, False], [False, True]])
    assert (b * np.float64(0.5)).numpy().tolist() == [[False, False], [False, False]]
    assert (b * 2.5).numpy().tolist() == [[True, False], [False, True]]
    assert (tf.constant([[7, -2], [3, 0]]) * b).numpy().tolist() == [[True, False], [False, False]]
    with tf.device("/CPU:0"), pytest.raises(
            tf.errors.UnimplementedError,
            match=r"^\{\{function_node __wrapped__Cast_device_/job:localhost/replica:0/task:0/device:CPU:0\}\} "
                  r"Cast string to int32 is not supported \[Op:Cast\]$"):
        b * "x"


def test_bool_division_refused():
    with pytest.raises(TypeError, match=r"^Invalid dtype tf\.bool in __truediv__\. Expected one of \{tf\.uint8, "
                                        r"tf\.int8, tf\.uint16, tf\.int16, tf\.uint32, tf\.int32, tf\.uint64, "
                                        r"tf\.int64, tf\.bfloat16, tf\.float16, tf\.float32, tf\.float64, "
                                        r"tf\.complex64, tf\.complex128\}\.$"):
        tf.constant([True]) / tf.constant([True])


@pytest.mark.parametrize("expr, op", [
    ("a // 0", "FloorDiv"), ("a % 0", "FloorMod"),
], ids=["floordiv", "mod"])
def test_integer_division_by_zero(expr, op):
    a = tf.constant([1, 2])
    with tf.device("/CPU:0"), pytest.raises(
            tf.errors.InvalidArgumentError,
            match=rf"^\{{\{{function_node __wrapped__{op}_device_/job:localhost/replica:0/task:0/device:CPU:0"
                  rf"\}}\}} Integer division by zero \[Op:{op}\] name: $"):
        eval(expr, {"a": a})


def test_equality_special_cases():
    a = tf.constant([1, 2])
    assert (a == None) is False and (a != None) is True  # noqa: E711 - TF 2 semantics under test
    # from TF 2.21: shapes that do not broadcast give a scalar bool tensor
    assert repr(a == tf.constant([1, 2, 3])) == "<tf.Tensor: shape=(), dtype=bool, numpy=False>"
    assert repr(a != tf.constant([1, 2, 3])) == "<tf.Tensor: shape=(), dtype=bool, numpy=True>"
    assert repr(a == [1, 2, 3]) == "<tf.Tensor: shape=(), dtype=bool, numpy=False>"
    assert (tf.constant([[1, 2]]) == tf.constant([[1], [2]])).numpy().tolist() == [[True, False], [False, True]]
    assert (a == tf.constant([1, 2])).numpy().tolist() == [True, True]


def test_unary_operators():
    a = tf.constant([1, -2])
    assert (-a).numpy().tolist() == [-1, 2] and abs(a).numpy().tolist() == [1, 2]
    assert (~a).numpy().tolist() == [-2, 1]
    assert (~tf.constant([True, False])).numpy().tolist() == [False, True]
    assert abs(tf.constant([3 + 4j])).numpy().tolist() == [5.0]
    with pytest.raises(TypeError, match="^bad operand type for unary \\+: '.*Tensor'$"):
        +a  # noqa: B018
    for unary in (operator.neg, abs):
        with pytest.raises(tf.errors.InvalidArgumentError, match="^Value for attr 'T' of bool is not in the list"):
            unary(tf.constant([True]))


def test_matmul_operator():
    a = tf.constant([[1, 2]])
    assert (a @ [[1], [2]]).numpy().tolist() == [[5]]
    assert ([[1], [2]] @ a).numpy().tolist() == [[1, 2], [2, 4]]
    assert (tf.constant([[1.0, 2.0]]) @ np.ones((2, 1))).numpy().tolist() == [[3.0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^cannot compute MatMul as input #1\(zero-based\) "
                                                             r"was expected to be a int32 tensor but is a float"):
        a @ 2.5
    with tf.device("/CPU:0"), pytest.raises(tf.errors.InvalidArgumentError,
                                            match=r"In\[0\] and In\[1\] ndims must be == 2: 1 \[Op:MatMul\]"):
        tf.constant([1, 2]) @ tf.constant([1, 2])


def test_logical_and_bitwise_with_python_bools():
    assert (tf.constant([3, 5]) & True).numpy().tolist() == [1, 1]
    assert (tf.constant([3, 5]) | False).numpy().tolist() == [3, 5]
    assert (tf.constant([True, False]) ^ True).numpy().tolist() == [False, True]
    assert (True & tf.constant([True, False])).numpy().tolist() == [True, False]
    with pytest.raises(TypeError, match="^Cannot convert 1 to EagerTensor of dtype bool$"):
        tf.constant([True]) & 1


def test_bfloat16_arithmetic_prints_like_tf():
    a = tf.constant([1.0, 2.0], tf.bfloat16)
    assert str(a * 3) == "tf.Tensor([3 6], shape=(2,), dtype=bfloat16)"
    assert str(a / 2) == "tf.Tensor([0.5 1], shape=(2,), dtype=bfloat16)"


def test_operators_stay_on_the_operand_device():
    a = tf.constant([1.0, 2.0])
    assert (a + 1).device == a.device and (2 * a).device == a.device
    assert torch.equal((a + a)._t, torch.tensor([2.0, 4.0], device=a._t.device))
