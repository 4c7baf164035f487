"""The fit loop's training step on several processes: the forward pass through DistributedDataParallel.

DDP averages the gradients across the processes while `backward()` runs (its hooks on
the parameters fire as their gradients are ready); `torch.autograd.grad`, which the
single-process step uses, would bypass them. So the step forwards through the DDP
module, calls `backward()` and hands the averaged `param.grad`s to the optimizer.

TF's step is the same computation: each replica's loss is its local mean, scaled by
`1 / num_replicas`, and the replicas' gradients are summed, i.e. the mean of the replicas'
gradients, which DDP computes. With equal shares of a global batch that is the gradient
of the global batch's mean loss.
"""

from __future__ import annotations

import torch
from torch.nn.parallel import DistributedDataParallel

from kerastorch.keras.engine import layer_state


class _TrainingForward(torch.nn.Module):
    """The model's training forward pass as a module for DDP to wrap (its parameters are the model's)."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.jit = None  # the model's compiled steps (`jit_compile`), or None to run eagerly

    def forward(self, x):
        if self.jit is not None:
            return self.jit.run("replica", self.model, x)
        return self.model._raw_call((x,), {"training": True})


class ReplicatedModel:
    """A model's DDP wrapper for the fit loop, made again whenever the trained variables change.

    The wrapper is made at the first step after `compile` (and after layers were frozen):
    DDP takes the parameters that require gradients when it is made, and broadcasts the
    chief's weights to every process then. `static_graph=True` lets a model have trainable
    weights that no loss reaches (TF gives them no gradient), without DDP's per-step search
    for unused parameters.

    Args:
        model: a Keras model.
    """

    def __init__(self, model):
        self.model = model
        self._ddp = None
        self._params = None  # the parameter list the wrapper was made for

    def forward(self, x, jit=None):
        """The model's outputs for the batch `x` in training mode, recorded for DDP's backward;
        through `jit` (the model's `CompiledSteps`) when given."""
        model = self.model
        if not model.built:
            # DDP needs the weights: build the model on this batch first (nothing is recorded).
            with torch.no_grad():
                model._raw_call((x,), {"training": False})
            layer_state.new_generation()
        _, params = model._step_variables or model._collect_step_variables()
        if not params:
            return model._raw_call((x,), {"training": True})
        if params is not self._params:
            self._wrap(params)
        self._ddp.module.jit = jit
        return self._ddp(x)

    def _wrap(self, params: list) -> None:
        device = params[0].device
        self._ddp = DistributedDataParallel(
            _TrainingForward(self.model), device_ids=[device.index] if device.type == "cuda" else None,
            static_graph=True)
        self._params = params

    def gradients(self, loss: torch.Tensor, params: list) -> list:
        """The gradients of `loss` for `params`, averaged over the processes (None where unused)."""
        if not params:
            return []
        for param in params:
            param.grad = None
        # An empty share of a batch has an empty loss: as TF's tape, differentiate its sum (0).
        (loss if loss.dim() == 0 else loss.sum()).backward()
        grads = [param.grad for param in params]
        for param in params:
            param.grad = None
        return grads
