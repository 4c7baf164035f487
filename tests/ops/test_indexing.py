"""`tensor[key]`: TF's strided slicing and boolean masks, checked against TF 2.21.

`CASES` holds each expression with what TF 2.21 returned (dtype, shape, value) or
raised (error class and full message), recorded by running it under TF.
"""

import numpy as np
import pytest

import kerastorch as tf

ERRORS = {"InvalidArgumentError": tf.errors.InvalidArgumentError, "TypeError": TypeError,
          "ValueError": ValueError}

# (id, expression, ("ok", dtype, shape, value) | ("err", class, message)) from TF 2.21
CASES = [
    ('int', 'tf.constant(np.arange(24).reshape(2, 3, 4))[1]', ('ok', 'int64', [3, 4], [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]])),
    ('negative_ints', 'tf.constant(np.arange(24).reshape(2, 3, 4))[-1, -2]', ('ok', 'int64', [4], [16, 17, 18, 19])),
    ('three_ints', 'tf.constant(np.arange(24).reshape(2, 3, 4))[0, 1, 2]', ('ok', 'int64', [], 6)),
    ('slices_step', 'tf.constant(np.arange(24).reshape(2, 3, 4))[:, 1:, ::2]', ('ok', 'int64', [2, 2, 2], [[[4, 6], [8, 10]], [[16, 18], [20, 22]]])),
    ('ellipsis_last', 'tf.constant(np.arange(24).reshape(2, 3, 4))[..., 1]', ('ok', 'int64', [2, 3], [[1, 5, 9], [13, 17, 21]])),
    ('ellipsis_first', 'tf.constant(np.arange(24).reshape(2, 3, 4))[1, ...]', ('ok', 'int64', [3, 4], [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]])),
    ('newaxis', 'tf.constant(np.arange(24).reshape(2, 3, 4))[None, 0]', ('ok', 'int64', [1, 3, 4], [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]])),
    ('newaxis_between', 'tf.constant(np.arange(24).reshape(2, 3, 4))[:, None, :, None]', ('ok', 'int64', [2, 1, 3, 1, 4], [[[[[0, 1, 2, 3]], [[4, 5, 6, 7]], [[8, 9, 10, 11]]]], [[[[12, 13, 14, 15]], [[16, 17, 18, 19]], [[20, 21, 22, 23]]]]])),
    ('reverse_first', 'tf.constant(np.arange(24).reshape(2, 3, 4))[::-1]', ('ok', 'int64', [2, 3, 4], [[[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]], [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]])),
    ('negative_steps_2d', 'tf.constant(np.arange(24).reshape(2, 3, 4))[:, ::-1, ::-2]', ('ok', 'int64', [2, 3, 2], [[[11, 9], [7, 5], [3, 1]], [[23, 21], [19, 17], [15, 13]]])),
    ('negative_steps_mixed', 'tf.constant(np.arange(24).reshape(2, 3, 4))[1, ::-1, 3:0:-2]', ('ok', 'int64', [3, 2], [[23, 21], [19, 17], [15, 13]])),
    ('ellipsis_reverse', 'tf.constant(np.arange(24).reshape(2, 3, 4))[1:, ..., ::-1]', ('ok', 'int64', [1, 3, 4], [[[15, 14, 13, 12], [19, 18, 17, 16], [23, 22, 21, 20]]])),
    ('ellipsis_newaxis', 'tf.constant(np.arange(24).reshape(2, 3, 4))[..., None, 2]', ('ok', 'int64', [2, 3, 1], [[[2], [6], [10]], [[14], [18], [22]]])),
    ('step3_reverse', 'tf.constant(np.arange(10))[::-3]', ('ok', 'int64', [4], [9, 6, 3, 0])),
    ('reverse_range', 'tf.constant(np.arange(10))[8:2:-2]', ('ok', 'int64', [3], [8, 6, 4])),
    ('negative_bounds', 'tf.constant(np.arange(10))[-1:-11:-4]', ('ok', 'int64', [3], [9, 5, 1])),
    ('stop_past_end', 'tf.constant(np.arange(10))[5:100]', ('ok', 'int64', [5], [5, 6, 7, 8, 9])),
    ('start_past_end', 'tf.constant(np.arange(10))[100:]', ('ok', 'int64', [0], [])),
    ('start_before', 'tf.constant(np.arange(10))[-100:3]', ('ok', 'int64', [3], [0, 1, 2])),
    ('double_reverse', 'tf.constant(np.arange(10))[::-1][::2]', ('ok', 'int64', [5], [9, 7, 5, 3, 1])),
    ('empty_forward', 'tf.constant(np.arange(10))[7:2]', ('ok', 'int64', [0], [])),
    ('empty_backward', 'tf.constant(np.arange(10))[2:7:-1]', ('ok', 'int64', [0], [])),
    ('list_key', 'tf.constant(np.arange(24).reshape(2, 3, 4)).__getitem__([0, 1])', ('ok', 'int64', [4], [4, 5, 6, 7])),
    ('tuple_key', 'tf.constant(np.arange(6).reshape(2, 3))[(0, 1)]', ('ok', 'int64', [], 1)),
    ('empty_tuple', 'tf.constant(np.arange(10))[()]', ('ok', 'int64', [10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ('scalar_tensor', 'tf.constant(np.arange(10))[tf.constant(2)]', ('ok', 'int64', [], 2)),
    ('scalar_tensor_negative', 'tf.constant(np.arange(10))[tf.constant(-1)]', ('ok', 'int64', [], 9)),
    ('tensor_slice', 'tf.constant(np.arange(10))[tf.constant(1):tf.constant(4)]', ('ok', 'int64', [3], [1, 2, 3])),
    ('int64_tensor', 'tf.constant(np.arange(10))[tf.constant(2, tf.int64)]', ('ok', 'int64', [], 2)),
    ('int16_tensor', 'tf.constant(np.arange(10))[tf.constant(2, tf.int16)]', ('ok', 'int64', [], 2)),
    ('numpy_int', 'tf.constant(np.arange(10))[np.int64(3)]', ('ok', 'int64', [], 3)),
    ('numpy_0d', 'tf.constant(np.arange(10))[np.array(2)]', ('ok', 'int64', [], 2)),
    ('numpy_uint8', 'tf.constant(np.arange(10))[np.uint8(2)]', ('ok', 'int64', [], 2)),
    ('tensor_then_int', 'tf.constant(np.arange(24).reshape(2, 3, 4))[tf.constant(1), 1]', ('ok', 'int64', [4], [16, 17, 18, 19])),
    ('slice_tensor_step', 'tf.constant(np.arange(10))[5:tf.constant(1):-2]', ('ok', 'int64', [2], [5, 3])),
    ('bool_mask', 'tf.constant(np.arange(10))[tf.constant([True, False] * 5)]', ('ok', 'int64', [5], [0, 2, 4, 6, 8])),
    ('bool_mask_numpy', 'tf.constant(np.arange(10))[np.array([True, False] * 5)]', ('ok', 'int64', [5], [0, 2, 4, 6, 8])),
    ('bool_mask_2d', 'tf.constant(np.arange(6).reshape(2, 3))[tf.constant([[True, False, True], [False, True, False]])]', ('ok', 'int64', [3], [0, 2, 4])),
    ('bool_mask_rows', 'tf.constant(np.arange(6).reshape(2, 3))[np.array([True, False])]', ('ok', 'int64', [1, 3], [[0, 1, 2]])),
    ('scalar_newaxis', 'tf.constant(5)[None]', ('ok', 'int32', [1], [5])),
    ('scalar_ellipsis', 'tf.constant(5)[...]', ('ok', 'int32', [], 5)),
    ('strings_int', "tf.constant(['a', 'b', 'c', 'd'])[1]", ('ok', 'string', [], b'b')),
    ('strings_reverse', "tf.constant(['a', 'b', 'c', 'd'])[::-1]", ('ok', 'string', [4], [b'd', b'c', b'b', b'a'])),
    ('strings_slice', "tf.constant(['a', 'b', 'c', 'd'])[1:3]", ('ok', 'string', [2], [b'b', b'c'])),
    ('strings_2d', "tf.constant([['a', 'b'], ['c', 'd']])[:, ::-1]", ('ok', 'string', [2, 2], [[b'b', b'a'], [b'd', b'c']])),
    ('strings_2d_int', "tf.constant([['a', 'b'], ['c', 'd']])[1, 0]", ('ok', 'string', [], b'c')),
    ('strings_mask', "tf.constant(['a', 'b', 'c', 'd'])[tf.constant([True, False, False, True])]", ('ok', 'string', [2], [b'a', b'd'])),
    ('strings_newaxis', "tf.constant(['a', 'b', 'c', 'd'])[None, 1]", ('ok', 'string', [1], [b'b'])),
    ('out_of_range', 'tf.constant(np.arange(10))[10]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} slice index 10 of dimension 0 out of bounds. [Op:StridedSlice] name: strided_slice/')),
    ('negative_out_of_range', 'tf.constant(np.arange(10))[-11]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} slice index -1 of dimension 0 out of bounds. [Op:StridedSlice] name: strided_slice/')),
    ('out_of_range_dim1', 'tf.constant(np.arange(24).reshape(2, 3, 4))[0, 3]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} slice index 3 of dimension 1 out of bounds. [Op:StridedSlice] name: strided_slice/')),
    ('too_many', 'tf.constant(np.arange(24).reshape(2, 3, 4))[0, 0, 0, 0]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} Index out of range using input dim 3; input has only 3 dims [Op:StridedSlice] name: strided_slice/')),
    ('two_ellipses', 'tf.constant(np.arange(24).reshape(2, 3, 4))[..., ...]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} Multiple ellipses in slice spec not allowed [Op:StridedSlice] name: strided_slice/')),
    ('zero_step', 'tf.constant(np.arange(10))[::0]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} strides[0] must be non-zero [Op:StridedSlice] name: strided_slice/')),
    ('zero_step_second', 'tf.constant(np.arange(6).reshape(2, 3))[:, ::0]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} strides[1] must be non-zero [Op:StridedSlice] name: strided_slice/')),
    ('scalar_int', 'tf.constant(5)[0]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} Attempting to slice scalar input. [Op:StridedSlice] name: strided_slice/')),
    ('scalar_slice', 'tf.constant(5)[:]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} Attempting to slice scalar input. [Op:StridedSlice] name: strided_slice/')),
    ('float_tensor', 'tf.constant(np.arange(10))[tf.constant(2.0)]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got <tf.Tensor: shape=(), dtype=float32, numpy=2.0>')),
    ('float', 'tf.constant(np.arange(10))[1.5]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got 1.5')),
    ('string_key', "tf.constant(np.arange(10))['a']", ('err', 'TypeError', "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got 'a'")),
    ('int_vector_tensor', 'tf.constant(np.arange(10))[tf.constant([1, 2])]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>')),
    ('numpy_vector', 'tf.constant(np.arange(10))[np.array([1, 2])]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got array([1, 2])')),
    ('uint8_tensor', 'tf.constant(np.arange(10))[tf.constant(2, tf.uint8)]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got <tf.Tensor: shape=(), dtype=uint8, numpy=2>')),
    ('float_slice', 'tf.constant(np.arange(10))[1.5:]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got 1.5')),
    ('bool_list', 'tf.constant(np.arange(10))[[True, False]]', ('err', 'InvalidArgumentError', "Value for attr 'Index' of bool is not in the list of allowed values: int16, int32, int64\n\t; NodeDef: {{node StridedSlice}}; Op<name=StridedSlice; signature=input:T, begin:Index, end:Index, strides:Index -> output:T; attr=T:type; attr=Index:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=begin_mask:int,default=0; attr=end_mask:int,default=0; attr=ellipsis_mask:int,default=0; attr=new_axis_mask:int,default=0; attr=shrink_axis_mask:int,default=0> [Op:StridedSlice] name: strided_slice/")),
    ('bool_scalar', 'tf.constant(np.arange(10))[True]', ('err', 'ValueError', 'mask cannot be scalar.')),
    ('bool_slice', 'tf.constant(np.arange(10))[True:3]', ('err', 'InvalidArgumentError', "Value for attr 'Index' of bool is not in the list of allowed values: int16, int32, int64\n\t; NodeDef: {{node StridedSlice}}; Op<name=StridedSlice; signature=input:T, begin:Index, end:Index, strides:Index -> output:T; attr=T:type; attr=Index:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=begin_mask:int,default=0; attr=end_mask:int,default=0; attr=ellipsis_mask:int,default=0; attr=new_axis_mask:int,default=0; attr=shrink_axis_mask:int,default=0> [Op:StridedSlice] name: strided_slice/")),
    ('mask_shape', 'tf.constant(np.arange(10))[np.array([True, False])]', ('err', 'ValueError', 'Shapes (10,) and (2,) are incompatible')),
    ('mask_rank', 'tf.constant(np.arange(6).reshape(2, 3))[tf.constant([[True, False, True]])]', ('err', 'ValueError', 'Shapes (2, 3) and (1, 3) are incompatible')),
    ('mask_in_tuple', 'tf.constant(np.arange(6).reshape(2, 3))[:, np.array([True, False, True])]', ('err', 'TypeError', 'Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got array([ True, False,  True])')),
    ('strings_out_of_range', "tf.constant(['a', 'b', 'c', 'd'])[5]", ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} slice index 5 of dimension 0 out of bounds. [Op:StridedSlice] name: strided_slice/')),
    ('past_one_dim', 'tf.constant(np.arange(10))[:, 0]', ('err', 'InvalidArgumentError', '{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} Index out of range using input dim 1; input has only 1 dims [Op:StridedSlice] name: strided_slice/')),
]


@pytest.mark.parametrize("expr, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_indexing_matches_tf(expr, expected):
    scope = {"tf": tf, "np": np}
    with tf.device("/CPU:0"):
        if expected[0] == "err":
            with pytest.raises(ERRORS[expected[1]]) as info:
                eval(expr, scope)
            assert str(info.value) == expected[2]
            return
        result = eval(expr, scope)
    assert result.dtype.name == expected[1]
    assert result.shape.as_list() == expected[2]
    assert np.asarray(result.numpy()).tolist() == expected[3]


def test_slices_are_copies_of_the_value():
    t = tf.constant([1, 2, 3])
    part = t[1:]
    assert part.numpy().tolist() == [2, 3] and t.numpy().tolist() == [1, 2, 3]


def test_item_assignment_is_refused():
    with pytest.raises(TypeError, match="does not support item assignment"):
        tf.constant([1, 2])[0] = 3
