"""The machinery shared by the op parity generator and test: inputs, running, recording.

`compat/generate_ops.py` runs every case of `cases_ops.py` with `tf` bound to real
TensorFlow, `compat/test_ops_parity.py` with `tf` bound to kerastorch; both go through
the functions here, so a case is built and evaluated identically on both sides. This
module imports neither library: the `tf` module is always passed in.

An outcome is `{"out": tree, "grads": {name: tensor or None}}` for a case that ran, or
`{"error": exception}` for an error case. `record` turns one into JSON metadata plus
numpy arrays, which is what the fixtures store and what the test compares.
"""

from __future__ import annotations

import zlib

import numpy as np

FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")


def case_seed(case_id: str) -> int:
    """The fixed numpy seed of one case (crc32 of its id: stable across processes)."""
    return zlib.crc32(case_id.encode())


def make_arrays(case: dict) -> dict:
    """The numpy arrays of a case's generated inputs (not the literal or Python ones)."""
    rng = np.random.default_rng(case_seed(case["id"]))
    arrays = {}
    for name, spec in sorted(case["inputs"].items()):
        kind = spec[0]
        if kind == "numpy":
            kind, spec = spec[1][0], spec[1]
        if kind == "normal":
            arrays[name] = rng.standard_normal(spec[1]).astype(spec[2])
        elif kind == "uniform":
            arrays[name] = rng.uniform(spec[3], spec[4], spec[1]).astype(spec[2])
        elif kind == "int":
            arrays[name] = rng.integers(spec[3], spec[4], spec[1]).astype(spec[2])
    return arrays


def bind_inputs(case: dict, tf, arrays: dict) -> dict:
    """The names a case's source sees: tensors (via `tf.constant`), numpy or Python values."""
    env = {}
    for name, spec in case["inputs"].items():
        kind = spec[0]
        if kind == "py":
            env[name] = spec[1]
        elif kind == "array":
            value = spec[1] if spec[2] is None else np.array(spec[1], dtype=spec[2])
            env[name] = tf.constant(value)
        elif kind == "numpy":
            env[name] = arrays[name]
        else:
            env[name] = tf.constant(arrays[name])
    return env


def run_case(case: dict, tf, arrays: dict) -> dict:
    """Evaluates one case under `tf`; an error case's exception is returned, not raised."""
    env = bind_inputs(case, tf, arrays)
    names = sorted(env)
    code = compile(case["src"], f"<case {case['id']}>", "eval")
    scope = {"tf": tf, "np": np, **env}
    try:
        if not case.get("grad"):
            return {"out": eval(code, scope), "grads": {}}
        watched = case.get("watch") or [n for n in names if _is_float_tensor(env[n])]
        with tf.GradientTape() as tape:
            for name in watched:
                tape.watch(env[name])
            out = eval(code, scope)
        grads = tape.gradient(out, [env[n] for n in watched])
        return {"out": out, "grads": dict(zip(watched, grads))}
    except Exception as exc:  # an error case records whatever the library raised
        if not case.get("error"):
            raise
        return {"error": exc}


def _is_tensor(value) -> bool:
    return hasattr(value, "numpy") and hasattr(value, "dtype") and hasattr(value, "shape")


def _is_float_tensor(value) -> bool:
    return _is_tensor(value) and value.dtype.name in FLOAT_DTYPES


class Sequence:
    """The marker `flatten` puts where a tuple or list was: it records the length."""

    def __init__(self, length: int):
        self.length = length


def flatten(tree, prefix: str = "out") -> list:
    """`(key, leaf)` pairs of a nested output: tuples and lists (and namedtuples) recurse."""
    if isinstance(tree, (tuple, list)):
        pairs = [(prefix, Sequence(len(tree)))]
        for i, item in enumerate(tree):
            pairs.extend(flatten(item, f"{prefix}.{i}"))
        return pairs
    return [(prefix, tree)]


def describe(leaf) -> tuple:
    """`(meta, array)` of one output leaf: JSON-able metadata and the numpy values (or None)."""
    if isinstance(leaf, Sequence):
        return {"kind": "sequence", "length": leaf.length}, None
    if _is_tensor(leaf):
        arr = np.asarray(leaf.numpy())
        meta = {"kind": "tensor", "dtype": leaf.dtype.name, "shape": list(arr.shape)}
        if leaf.dtype.name == "string":
            meta["strings"] = np.vectorize(_text, otypes=[object])(arr).tolist()
            return meta, None
        if leaf.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)  # numpy has no bfloat16; float32 holds it exactly
        return meta, arr
    name = type(leaf).__name__
    if name == "IndexedSlices":  # TF's sparse gradient (of gather): compared densely
        dense = np.zeros(tuple(np.asarray(leaf.dense_shape)), dtype=np.asarray(leaf.values).dtype)
        np.add.at(dense, np.asarray(leaf.indices), np.asarray(leaf.values))
        return {"kind": "tensor", "dtype": leaf.dtype.name, "shape": list(dense.shape)}, dense
    if name == "TensorShape":
        return {"kind": "TensorShape", "value": leaf.as_list() if leaf.rank is not None else None}, None
    if name == "DType":
        return {"kind": "DType", "value": leaf.name}, None
    if isinstance(leaf, (np.ndarray, np.generic)):
        arr = np.asarray(leaf)
        return {"kind": "ndarray", "dtype": arr.dtype.name, "shape": list(arr.shape)}, arr
    if leaf is None or isinstance(leaf, (bool, int, float, str)):
        return {"kind": name, "value": leaf}, None
    raise TypeError(f"Unsupported output type {type(leaf)!r}: {leaf!r}")


def _text(value) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else str(value)


def record(outcome: dict) -> tuple:
    """`(meta, arrays)` of an outcome: the JSON part and the numpy values keyed like `meta`."""
    if "error" in outcome:
        exc = outcome["error"]
        return {"error": {"class": type(exc).__name__, "message": str(exc)[:400]}}, {}
    pairs = flatten(outcome["out"])
    pairs += [(f"grad.{name}", g) for name, g in sorted(outcome["grads"].items())]
    meta, arrays = {}, {}
    for key, leaf in pairs:
        meta[key], arr = describe(leaf)
        if arr is not None:
            arrays[key] = arr
    return {"outputs": meta}, arrays


def signature(case: dict) -> str:
    """What a fixture was generated from: the source and inputs (not the tolerances)."""
    keys = ("src", "inputs", "grad", "watch", "error")
    return repr({k: case.get(k) for k in keys})
