"""The vocabulary of the parity case lists: input specs and the `case` constructor.

A case is a dict: `id`, `src` (a Python expression evaluated with `tf`, `np` and the
inputs in scope), `inputs` (name -> spec), `grad` (evaluate inside a GradientTape
watching the float inputs, or only those named in `watch`, and record the gradients of
the result: TF's `tape.gradient(result, inputs)`, i.e. of its sum), `error` (the
expression must raise; the exception class is compared) and, where a case needs looser
tolerances, `rtol`/`atol` with the reason in `why`. Nothing here imports TensorFlow or
kerastorch.
"""

from __future__ import annotations


def N(*shape, dtype: str = "float32") -> tuple:
    """Standard-normal values of `shape`."""
    return ("normal", shape, dtype)


def U(lo: float, hi: float, *shape, dtype: str = "float32") -> tuple:
    """Uniform values in [lo, hi) of `shape`."""
    return ("uniform", shape, dtype, lo, hi)


def I(lo: int, hi: int, *shape, dtype: str = "int32") -> tuple:  # noqa: E743 - spec helper
    """Integers in [lo, hi) of `shape` (a bool dtype with lo=0, hi=2 gives random bools)."""
    return ("int", shape, dtype, lo, hi)


def A(value, dtype: str | None = None) -> tuple:
    """A literal: `np.array(value, dtype)`, or with no dtype the Python value itself, passed
    to `tf.constant` (so TF's dtype inference applies)."""
    return ("array", value, dtype)


def NP(spec: tuple) -> tuple:
    """A generated input (`N`, `U` or `I`) bound as a numpy array instead of a tensor."""
    return ("numpy", spec)


def PY(value) -> tuple:
    """A Python value bound as is."""
    return ("py", value)


def case(case_id: str, src: str, grad: bool = False, error: bool = False, watch: list | None = None,
         rtol: float | None = None, atol: float | None = None, why: str | None = None,
         **inputs) -> dict:
    """One parity case (see the module docstring); `inputs` maps names to specs."""
    spec = {"id": case_id, "src": src, "inputs": inputs, "grad": grad, "error": error}
    if watch is not None:
        spec["watch"] = watch
    if rtol is not None or atol is not None:
        if not why:
            raise ValueError(f"A case with its own tolerances says why. Received: why={why!r}")
        spec.update(rtol=rtol, atol=atol, why=why)
    return spec
