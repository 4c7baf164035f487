"""Writes the `tf.data` fixture: deterministic pipelines run under real TF (compat/fixtures/data.json).

A case is `(id, expression)`; the expression is evaluated with `tf`, `np`, `TensorSpec`
(`tf.TensorSpec`) and `split_dataset` (`keras.utils.split_dataset`) bound. A dataset
result records its repr, element spec, cardinality and elements (as numpy values); an
error records its class (the message is kept to help, not compared). The elements of ids
starting with `shuffled_` are recorded sorted, on both sides (TF's random order cannot be
matched). Run from the repository root (never in CI):

    .venv-tf/bin/python compat/generate_data.py

`CASES`, `encode` and `run_case` are shared with `compat/test_data_parity.py`, which runs
the same expressions with kerastorch; this module imports neither library at import time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "data.json"

D = "tf.data.Dataset"
G_RAGGED = "lambda: iter([[1], [2, 3], [4, 5, 6]])"
RAGGED = f"{D}.from_generator({G_RAGGED}, output_signature=TensorSpec((None,), tf.int32))"
PAIRS = f"{D}.from_tensor_slices((np.arange(10).reshape(5, 2), np.arange(5.0)))"

SOURCES = [
    ("slices_array", f"{D}.from_tensor_slices(np.arange(6).reshape(3, 2))"),
    ("slices_pylist", f"{D}.from_tensor_slices([[1, 2], [3, 4]])"),
    ("slices_pyfloats", f"{D}.from_tensor_slices([1.5, 2.5])"),
    ("slices_bools", f"{D}.from_tensor_slices([True, False])"),
    ("slices_tuple", f"{D}.from_tensor_slices((np.arange(3), np.arange(3.0)))"),
    ("slices_dict", f"{D}.from_tensor_slices({{'b': [1, 2], 'a': [3.0, 4.0]}})"),
    ("slices_nested", f"{D}.from_tensor_slices(({{'x': np.ones((2, 3), np.float32)}}, np.array([0, 1])))"),
    ("slices_strings", f"{D}.from_tensor_slices(['a', 'bc'])"),
    ("slices_list_of_arrays", f"{D}.from_tensor_slices([np.zeros(2), np.ones(2)])"),
    ("slices_numpy_scalars", f"{D}.from_tensor_slices([np.int64(1), np.int64(2)])"),
    ("slices_list_of_int_arrays", f"{D}.from_tensor_slices([np.arange(2), np.arange(2)])"),
    ("slices_empty", f"{D}.from_tensor_slices(np.zeros((0, 3), np.float32))"),
    ("slices_tensor", f"{D}.from_tensor_slices(tf.constant([[1, 2], [3, 4]]))"),
    ("slices_uint8", f"{D}.from_tensor_slices(np.arange(4, dtype=np.uint8).reshape(2, 2))"),
    ("slices_error_mismatch", f"{D}.from_tensor_slices((np.zeros(3), np.zeros(4)))"),
    ("slices_error_dict_mismatch", f"{D}.from_tensor_slices({{'a': np.zeros(3), 'b': np.zeros(2)}})"),
    ("slices_error_scalar", f"{D}.from_tensor_slices(3)"),
    ("slices_error_ragged", f"{D}.from_tensor_slices([[1], [2, 3]])"),
    ("tensors_list", f"{D}.from_tensors([1, 2])"),
    ("tensors_nested", f"{D}.from_tensors(({{'a': 1}}, [1.0, 2.0]))"),
    ("tensors_repeat_batch", f"{D}.from_tensors(np.arange(3)).repeat(4).batch(3)"),
    ("range_stop", f"{D}.range(5)"),
    ("range_step", f"{D}.range(2, 10, 3)"),
    ("range_negative", f"{D}.range(10, 2, -3)"),
    ("range_int32", f"{D}.range(2, 10, 3, output_type=tf.int32)"),
    ("range_empty", f"{D}.range(0)"),
    ("range_error_step", f"{D}.range(1, 5, 0)"),
    ("range_error_args", f"{D}.range()"),
    ("generator_scalar", f"{D}.from_generator(lambda: iter([1, 2]), output_signature=TensorSpec((), tf.int64))"),
    ("generator_ragged", RAGGED),
    ("generator_tuple", f"{D}.from_generator(lambda: iter([(1, 2.0), (3, 4.0)]), "
                        f"output_signature=(TensorSpec((), tf.int32), TensorSpec((), tf.float32)))"),
    ("generator_dict", f"{D}.from_generator(lambda: iter([{{'a': [1, 2]}}]), "
                       f"output_signature={{'a': TensorSpec((2,), tf.int64)}})"),
    ("generator_types", f"{D}.from_generator(lambda: iter([(1, 2.0)]), output_types=(tf.int32, tf.float32))"),
    ("generator_types_shapes", f"{D}.from_generator(lambda: iter([([1, 2], 2.0)]), "
                               f"output_types=(tf.int32, tf.float32), output_shapes=([2], []))"),
    ("generator_args", f"{D}.from_generator(lambda a, b: iter([a, b]), output_types=tf.int64, args=(1, 2))"),
    ("generator_cast", f"{D}.from_generator(lambda: iter([1.5]), output_signature=TensorSpec((), tf.int32))"),
    ("generator_strings", f"{D}.from_generator(lambda: iter(['x', 'yz']), output_signature=TensorSpec((), "
                          f"tf.string))"),
    ("generator_error_callable", f"{D}.from_generator(1, output_types=tf.int32)"),
    ("generator_error_both", f"{D}.from_generator(lambda: iter([1]), output_types=tf.int32, "
                             f"output_signature=TensorSpec((), tf.int32))"),
    ("generator_error_signature", f"{D}.from_generator(lambda: iter([1]), output_signature=tf.int32)"),
    ("generator_error_none", f"{D}.from_generator(lambda: iter([1]))"),
    ("generator_error_shape", f"{D}.from_generator({G_RAGGED}, output_signature=TensorSpec((2,), tf.int32))"),
    ("generator_error_structure", f"{D}.from_generator(lambda: iter([1]), output_types=(tf.int32, tf.int32))"),
    ("generator_error_list", f"{D}.from_generator(lambda: iter([[1, 2]]), output_types=(tf.int32, tf.int32))"),
]

TRANSFORMS = [
    ("map_scalar", f"{D}.range(5).map(lambda x: x * 2)"),
    ("map_tuple_args", f"{PAIRS}.map(lambda a, b: (a + 1, b * 2.0))"),
    ("map_dict_arg", f"{D}.from_tensor_slices({{'a': np.arange(3), 'b': np.arange(3)}}).map(lambda d: d['a'] + "
                     f"d['b'])"),
    ("map_list_to_tuple", f"{D}.range(3).map(lambda x: [x, x + 1])"),
    ("map_to_dict", f"{D}.range(3).map(lambda x: {{'k': x, 'v': (x, tf.cast(x, tf.float32))}})"),
    ("map_python_float", f"{D}.range(2).map(lambda x: 1.5)"),
    ("map_string", f"{D}.range(2).map(lambda x: 'abc')"),
    ("map_after_batch", f"{D}.range(5).batch(2).map(lambda x: tf.reshape(x, [-1, 1]))"),
    ("map_reduce_sum", f"{D}.range(5).batch(2).map(lambda x: tf.reduce_sum(x))"),
    ("map_one_hot", f"{D}.range(3).map(lambda x: tf.one_hot(x, 4))"),
    ("map_parallel", f"{D}.range(4).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE, "
                     f"deterministic=False)"),
    ("map_ragged", f"{RAGGED}.map(lambda x: x * 2)"),
    ("map_value_shape", f"{D}.range(4).map(lambda x: tf.range(x))"),
    ("map_error_parallel", f"{D}.range(5).map(lambda x: x, num_parallel_calls=0)"),
    ("filter_scalar", f"{D}.range(6).filter(lambda x: x % 2 == 0)"),
    ("filter_tuple_args", f"{PAIRS}.filter(lambda a, b: b > 1.5)"),
    ("filter_error_int", f"list({D}.range(3).filter(lambda x: tf.constant(1)))"),
    ("filter_error_vector", f"list({D}.range(3).filter(lambda x: tf.constant([True, False])))"),
    ("flat_map", f"{D}.range(4).flat_map(lambda x: {D}.range(x))"),
    ("batch_basic", f"{D}.range(7).batch(3)"),
    ("batch_drop", f"{D}.range(7).batch(3, drop_remainder=True)"),
    ("batch_dict", f"{D}.from_tensor_slices({{'a': np.arange(5), 'b': np.arange(5.0)}}).batch(2)"),
    ("batch_tuple", f"{PAIRS}.batch(2)"),
    ("batch_strings", f"{D}.from_tensor_slices(['a', 'b', 'c']).batch(2)"),
    ("batch_generator", f"{D}.from_generator(lambda: iter([[1, 2], [3, 4], [5, 6]]), output_signature="
                        f"TensorSpec((2,), tf.int32)).batch(2)"),
    ("batch_map_batch", f"{D}.range(8).map(lambda x: x * 3).batch(3)"),
    ("batch_nested", f"{D}.range(8).batch(2).batch(3)"),
    ("batch_infinite", f"{D}.range(3).repeat().batch(2).take(4)"),
    ("batch_infinite_spec", f"{D}.range(3).repeat().batch(2)"),
    ("batch_error_size", f"{D}.range(5).batch(0)"),
    ("batch_error_ragged", f"list({RAGGED}.batch(2))"),
    ("padded_default", f"{RAGGED}.padded_batch(2)"),
    ("padded_shape_value", f"{RAGGED}.padded_batch(2, padded_shapes=[4], padding_values=-1)"),
    ("padded_none", f"{RAGGED}.padded_batch(2, padded_shapes=[None])"),
    ("padded_minus_one", f"{D}.from_tensor_slices(np.zeros((2, 3))).padded_batch(2, padded_shapes=[-1])"),
    ("padded_bigger", f"{D}.from_tensor_slices(np.ones((2, 3))).padded_batch(2, padded_shapes=[4])"),
    ("padded_drop", f"{RAGGED}.padded_batch(2, drop_remainder=True)"),
    ("padded_tuple", f"{D}.zip(({RAGGED}, {RAGGED}.map(lambda x: tf.cast(x, tf.float32))))"
                     f".padded_batch(2, padded_shapes=([3], [4]), padding_values=(0, 0.5))"),
    ("padded_strings", f"{D}.from_tensor_slices([['a'], ['bc']]).padded_batch(2, padded_shapes=[2])"),
    ("padded_int64_value", f"{D}.range(3).map(lambda x: tf.fill([x], x)).padded_batch(3, "
                           f"padding_values=np.int64(-1))"),
    ("padded_error_smaller", f"list({RAGGED}.padded_batch(2, padded_shapes=[2]))"),
    ("padded_error_rank", f"{RAGGED}.padded_batch(2, padded_shapes=[None, 3])"),
    ("padded_error_scalar_shape", f"{D}.from_tensor_slices(np.zeros((2, 3))).padded_batch(2, padded_shapes=-1)"),
    ("padded_error_incompatible", f"{D}.from_tensor_slices(np.zeros((2, 3))).padded_batch(2, padded_shapes=[2])"),
    ("padded_error_value_dtype", f"{RAGGED}.map(lambda x: tf.cast(x, tf.int64)).padded_batch(2, "
                                 f"padding_values=-1)"),
    ("padded_error_unknown_rank", f"{D}.from_generator(lambda: iter([[1]]), output_types=tf.int32)"
                                  f".padded_batch(2)"),
    ("unbatch_basic", f"{D}.from_tensor_slices(np.arange(12).reshape(3, 4)).batch(2).unbatch()"),
    ("unbatch_tuple", f"{D}.zip(({D}.range(3), {D}.from_tensor_slices(np.arange(6).reshape(2, 3)))).batch(2)"
                      f".unbatch()"),
    ("unbatch_matrix", f"{D}.from_tensors(np.arange(6).reshape(3, 2)).unbatch()"),
    ("unbatch_infinite", f"{D}.from_tensors(np.zeros((2, 1))).repeat().unbatch()"),
    ("unbatch_unknown_rows", f"{RAGGED}.unbatch()"),
    ("unbatch_empty_rows", f"{D}.from_tensors(np.zeros((0, 2))).repeat(3).unbatch()"),
    ("unbatch_error_scalar", f"{D}.range(5).unbatch()"),
    ("unbatch_error_leading", f"{D}.from_tensors((np.zeros((2, 2)), np.zeros((3, 2)))).unbatch()"),
]

ORDER = [
    ("repeat_two", f"{D}.range(3).repeat(2)"),
    ("repeat_zero", f"{D}.range(3).repeat(0)"),
    ("repeat_forever_take", f"{D}.range(3).repeat().take(7)"),
    ("repeat_minus_one", f"{D}.range(3).repeat(-1)"),
    ("repeat_empty_forever", f"{D}.range(0).repeat()"),
    ("repeat_unknown", f"{D}.range(3).filter(lambda x: x > 0).repeat(2)"),
    ("repeat_unknown_forever", f"{D}.range(3).filter(lambda x: x > 0).repeat()"),
    ("take_two", f"{D}.range(5).take(2)"),
    ("take_all", f"{D}.range(5).take(-1)"),
    ("take_minus_two", f"{D}.range(5).take(-2)"),
    ("take_more", f"{D}.range(5).take(10)"),
    ("take_unknown", f"{D}.range(5).filter(lambda x: x > 0).take(3)"),
    ("take_take", f"{D}.from_tensor_slices([1, 2]).take(1).take(5)"),
    ("skip_two", f"{D}.range(5).skip(2)"),
    ("skip_all", f"{D}.range(5).skip(-1)"),
    ("skip_more", f"{D}.range(5).skip(10)"),
    ("skip_infinite", f"{D}.range(5).repeat().skip(3)"),
    ("skip_take_slices", f"{PAIRS}.skip(1).take(3).batch(2)"),
    ("concatenate", f"{D}.range(3).concatenate({D}.range(10, 12))"),
    ("concatenate_shapes", f"{D}.from_tensor_slices(np.zeros((2, 2))).concatenate({D}.from_tensor_slices("
                           f"np.ones((1, 3))))"),
    ("concatenate_infinite", f"{D}.range(3).concatenate({D}.range(2).repeat())"),
    ("concatenate_unknown", f"{D}.range(3).filter(lambda x: x > 0).concatenate({D}.range(2))"),
    ("concatenate_error_dtype", f"{D}.range(3).concatenate({D}.from_tensor_slices([1.0]))"),
    ("zip_tuple", f"{D}.zip(({D}.range(3), {D}.range(10, 15)))"),
    ("zip_args", f"{D}.zip({D}.range(3), {D}.from_tensor_slices(['a', 'b']))"),
    ("zip_dict", f"{D}.zip({{'a': {D}.range(2), 'b': {D}.range(3)}})"),
    ("zip_single", f"{D}.zip({D}.range(2))"),
    ("zip_one_tuple", f"{D}.zip(({D}.range(2),))"),
    ("zip_nested", f"{D}.zip(({D}.range(2), ({D}.range(3), {D}.range(4))))"),
    ("zip_infinite", f"{D}.zip(({D}.range(5).repeat(), {D}.range(3)))"),
    ("zip_unknown", f"{D}.zip(({D}.range(5).repeat(), {D}.range(3).filter(lambda x: x > 0)))"),
    ("zip_both_infinite", f"{D}.zip(({D}.range(5).repeat(), {D}.range(3).repeat())).take(4)"),
    ("zip_error_int", f"{D}.zip(1)"),
    ("zip_error_list", f"{D}.zip([{D}.range(3), {D}.range(2)])"),
    ("zip_error_empty", f"{D}.zip()"),
    ("enumerate", f"{D}.from_tensor_slices(['a', 'b', 'c']).enumerate(start=5)"),
    ("enumerate_default", f"{D}.range(3).enumerate()"),
    ("cache_repeat", f"{D}.range(3).map(lambda x: x * x).cache().repeat(2)"),
    ("cache_slices", f"{PAIRS}.cache().batch(2)"),
    ("prefetch", f"{D}.range(4).prefetch(2)"),
    ("prefetch_autotune", f"{PAIRS}.batch(2).prefetch(tf.data.AUTOTUNE)"),
    ("prefetch_error", f"{D}.range(5).prefetch(-2)"),
    ("shuffle_one", f"{D}.range(6).shuffle(1)"),
    ("shuffled_range", f"{D}.range(10).shuffle(4, seed=3)"),
    ("shuffled_slices", f"{PAIRS}.shuffle(5, seed=1, reshuffle_each_iteration=False)"),
    ("shuffled_unknown_buffer", f"{D}.range(3).shuffle(-2)"),
    ("shuffle_error_zero", f"{D}.range(5).shuffle(0)"),
    ("pipeline_fit_like", f"{PAIRS}.shuffle(1).batch(2, drop_remainder=True).map(lambda x, y: (x * 2, y))"
                          f".prefetch(1)"),
]

VALUES = [
    ("constants", "(tf.data.AUTOTUNE, tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY)"),
    ("experimental_cardinality", f"tf.data.experimental.cardinality({D}.range(3).repeat())"),
    ("len_finite", f"len({D}.range(7).batch(2))"),
    ("len_error_infinite", f"len({D}.range(3).repeat())"),
    ("len_error_unknown", f"len({D}.range(3).filter(lambda x: x > 0))"),
    ("next_element", f"next(iter({PAIRS}))"),
    ("get_next_error_end", f"(lambda it: (it.get_next(), it.get_next()))(iter({D}.range(1)))"),
    ("iter_element_spec", f"iter({D}.range(1)).element_spec"),
    ("reduce_sum", f"{D}.range(5).reduce(np.int64(0), lambda s, x: s + x)"),
    ("reduce_tuple", f"{PAIRS}.reduce((np.int64(0), np.float64(0.0)), lambda s, e: (s[0] + e[0][1], s[1] + e[1]))"),
    ("spec_repr", "TensorSpec((None, 3), tf.int32)"),
    ("spec_default_dtype", "TensorSpec([2])"),
    ("spec_named", "TensorSpec((), tf.string, name='s')"),
    ("spec_unknown_rank", "TensorSpec(None, tf.float64)"),
    ("spec_equal", "(TensorSpec((None,), tf.int32) == TensorSpec([None], tf.int32), TensorSpec((1,)) == "
                   "TensorSpec((2,)))"),
    ("spec_compatible", "(TensorSpec((None, 2)).is_compatible_with(TensorSpec((5, 2))), "
                        "TensorSpec((None, 2)).is_compatible_with(tf.constant([[1.0, 2.0]])), "
                        "TensorSpec((3,)).is_compatible_with(TensorSpec((3,), tf.int32)))"),
    ("spec_from_tensor", "TensorSpec.from_tensor(tf.constant([[1, 2]]))"),
]

SPLITS = [
    ("split_array_fraction", "split_dataset(np.arange(20).reshape(10, 2), left_size=0.8)"),
    ("split_tuple_right", "split_dataset((np.arange(10), np.arange(10.0)), right_size=3)"),
    ("split_list_both", "split_dataset([np.arange(10), np.arange(10) * 2], left_size=4, right_size=3)"),
    ("split_shuffle_seed", "split_dataset(np.arange(12), left_size=0.5, shuffle=True, seed=7)"),
    ("split_dataset_batched", f"split_dataset({PAIRS}.batch(2), left_size=0.6)"),
    ("split_dataset_dict", f"split_dataset({D}.from_tensor_slices({{'a': np.arange(6), 'b': np.arange(6.0)}}), "
                           f"right_size=0.5, shuffle=True, seed=3)"),
    ("split_error_sizes_none", "split_dataset(np.arange(10))"),
    ("split_error_left_zero", "split_dataset(np.arange(10), left_size=0)"),
    ("split_error_left_float", "split_dataset(np.arange(10), left_size=1.5)"),
    ("split_error_sum", "split_dataset(np.arange(10), left_size=0.6, right_size=0.6)"),
    ("split_error_count_sum", "split_dataset(np.arange(10), left_size=6, right_size=6)"),
    ("split_error_type", "split_dataset(np.arange(10), left_size='a')"),
    ("split_error_dataset_type", "split_dataset(5, left_size=0.5)"),
    ("split_error_lengths", "split_dataset((np.arange(10), np.arange(9)), left_size=0.5)"),
    ("split_error_empty_side", "split_dataset(np.arange(3), left_size=0.1)"),
]

CASES = SOURCES + TRANSFORMS + ORDER + VALUES + SPLITS


# -- recording (shared with the test) ----------------------------------------------------

MAX_ELEMENTS = 60


def _leaf(value) -> dict:
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        values = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else str(v), otypes=[object])(array)
        return {"dtype": "string", "shape": list(array.shape), "values": values.tolist()}
    return {"dtype": str(array.dtype), "shape": list(array.shape), "values": array.tolist()}


def _is_dataset(value) -> bool:
    return hasattr(value, "element_spec") and hasattr(value, "as_numpy_iterator")


def encode(value):
    """A JSON-able record of a case's result (datasets: repr, spec, cardinality, elements)."""
    if _is_dataset(value):
        count = int(value.cardinality())
        record = {"repr": repr(value), "spec": str(value.element_spec), "cardinality": count}
        if count != -1:
            record["elements"] = [encode(e) for e, _ in zip(value.as_numpy_iterator(), range(MAX_ELEMENTS))]
        return record
    if isinstance(value, dict):
        return {"dict": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, (bool, int, float, str)) and not isinstance(value, np.generic):
        return {"py": value}
    if hasattr(value, "dtype") or isinstance(value, (np.generic, bytes)):
        return {"leaf": _leaf(value)}
    return {"repr": repr(value)}


def run_case(case_id: str, expression: str, scope: dict) -> dict:
    """Evaluates one case and records its result, or the class of the error it raises."""
    try:
        result = encode(eval(expression, dict(scope)))  # noqa: S307 -- our own case expressions
    except Exception as exc:  # recorded: the test expects the same error class
        return {"error": type(exc).__name__, "message": str(exc).split("\n")[0][-300:]}
    if case_id.startswith("shuffled_"):
        result["elements"].sort(key=lambda e: json.dumps(e, sort_keys=True))
    return {"result": result}


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    import tensorflow as tf
    from tensorflow import keras

    tf.autograph.set_verbosity(0)
    scope = {"tf": tf, "np": np, "TensorSpec": tf.TensorSpec, "split_dataset": keras.utils.split_dataset}
    cases = {}
    for case_id, expression in CASES:
        cases[case_id] = {"expression": expression, **run_case(case_id, expression, scope)}
    FIXTURE.write_text(json.dumps({"tf": tf.__version__, "cases": cases}, sort_keys=True, indent=0,
                                  ensure_ascii=True) + "\n")
    errors = sum("error" in c for c in cases.values())
    print(f"{len(cases)} tf.data cases ({errors} errors) -> {FIXTURE}")


if __name__ == "__main__":
    main()
