"""`compile(jit_compile=True)`: the built-in steps' forward passes through `torch.compile`.

What is compiled, per model:

- training: the forward pass and the loss (the compiled losses, the layers' `add_loss`
  losses and the weight penalties); AOTAutograd compiles the backward pass with it. The
  optimizer's update stays in torch's fused `foreach` kernels: it reads host scalars
  (the step count, the learning rate of a schedule) that a compiled graph would bake in.
- evaluation: the forward pass and the loss, without gradients;
- prediction: the forward pass.

The metrics are updated eagerly, as are custom `train_step` / `test_step` /
`predict_step` methods (their `GradientTape` cannot be traced): those run eagerly with
a one-time warning. The first step after `compile` runs eagerly too: it builds the
model, the optimizer and the metrics, and gathers the trained variables.

Each model compiles its own copy of the step functions, so that models do not share one
code object's cache (torch's recompile limit would otherwise stop compiling after a few
models). Where `torch.compile` fails (no C++ compiler for inductor, an unsupported
construct), the model warns once and runs eagerly from then on; an error of the model
itself (a shape mismatch) is raised as in eager mode. As a `tf.function`, a compiled step
keeps the Python values it was traced with: a layer's Python attribute changed afterwards
is seen after a new `compile()`, while tensors and variables are read at every step.
"""

from __future__ import annotations

import types
import warnings

import torch

from kerastorch.keras.engine import layer_state

_BACKEND = "inductor"  # torch.compile's backend; tests swap it for a cheaper one
_NON_LEAF_GRAD = "The .grad attribute of a Tensor that is not a leaf Tensor"


def _train_forward(model, x, y, sample_weight):
    y_pred = model._raw_call((x,), {"training": True})
    return model._raw_total_loss(y, y_pred, sample_weight), y_pred


def _test_forward(model, x, y, sample_weight):
    y_pred = model._raw_call((x,), {"training": False})
    return model._raw_total_loss(y, y_pred, sample_weight), y_pred


def _replica_forward(model, x):
    return model._raw_call((x,), {"training": True})


def _predict_forward(model, x):
    return model._raw_call((x,), {"training": False})


_STEPS = {"train": _train_forward, "test": _test_forward, "replica": _replica_forward,
          "predict": _predict_forward}


def _own_copy(function):
    """`function` with a code object of its own: torch keeps its compiled graphs per code object."""
    return types.FunctionType(function.__code__.replace(), function.__globals__, function.__name__,
                              function.__defaults__, function.__closure__)


class CompiledSteps:
    """A model's compiled step functions, made on first use; eager from the first failure on.

    Args:
        model: the Keras model.
    """

    def __init__(self, model):
        self._model_name = model.name
        self._compiled = {}
        self._failed = False
        self._warned = set()

    def run(self, step: str, model, *args):
        """`step`'s function (`"train"`, `"test"`, `"replica"` or `"predict"`) on `args`, compiled."""
        if self._failed:
            return _STEPS[step](model, *args)
        compiled = self._compiled.get(step)
        if compiled is None:
            _prepare_tracing()
            compiled = self._compiled[step] = torch.compile(_own_copy(_STEPS[step]), backend=_BACKEND)
            # As a Keras step traced with a `None` batch axis: one graph for every batch size (the
            # last, shorter batch of an epoch included), not one per size.
            for leaf in _tensors(args):
                if leaf.dim():
                    torch._dynamo.maybe_mark_dynamic(leaf, 0)
        try:
            with warnings.catch_warnings():
                # torch.compile reads `.grad` of the tensors it traces, which warns for non-leaf ones.
                warnings.filterwarnings("ignore", _NON_LEAF_GRAD, UserWarning)
                out = compiled(model, *args)
            layer_state.settle_compiled_losses()
            return out
        except torch._dynamo.exc.TorchDynamoException as error:
            # Eagerly: the model's own error (met while tracing it) is raised as eager mode raises it;
            # a step that runs eagerly shows that torch.compile was what failed.
            out = _STEPS[step](model, *args)
            self._failed = True
            self.warn_once("failed", f"`jit_compile=True`: torch.compile could not compile model "
                                     f"'{self._model_name}', which runs eagerly from now on. The error was: "
                                     f"{_cause(error)}")
            return out

    def warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(message, stacklevel=4)


def _prepare_tracing() -> None:
    """What torch.compile must treat apart, marked when a model first compiles (marking imports
    torch._dynamo, which takes about a second: not at kerastorch's import)."""
    from kerastorch.keras.layers.recurrent import fused
    from kerastorch.keras.losses import base

    fused.prepare_for_compiled_steps()
    base.prepare_for_compiled_steps()


def _tensors(tree) -> list:
    if isinstance(tree, torch.Tensor):
        return [tree]
    if isinstance(tree, dict):
        tree = list(tree.values())
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _tensors(item)]
    return []


def _cause(error: Exception) -> str:
    """The error torch.compile met (a failed backend's own error), on one line."""
    error = getattr(error, "inner_exception", None) or error
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:300]}"
