"""Running a cell over a whole sequence: the step loop with Keras's mask rule, and dispatch.

Every runner takes the sequence in processing order (already reversed for
`go_backwards`) and returns `(outputs, final_states)`: the outputs of every step,
`(batch, time, ...)`, and the states after the last one. With a mask, a masked step
keeps the previous states and repeats the previous output (zeros before the first
unmasked step), exactly as Keras's `backend.rnn` does.

Built-in cells bring their own `_run_sequence` (fused torch kernels where they apply,
else a loop over precomputed input projections); any other cell, user cells included,
is called step by step.
"""

from __future__ import annotations

import inspect

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer


def expand(mask_t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A `(batch,)` step mask shaped to broadcast against `like`."""
    return mask_t.view(mask_t.shape[0], *([1] * (like.dim() - 1)))


def masked_loop(step, steps: int, states: list, mask: torch.Tensor | None):
    """Runs `step(t, states) -> (output, new_states)` for `t` in `range(steps)`.

    Args:
        step: the step function; states are a flat list of tensors.
        steps: the number of time steps.
        states: the initial states (a flat list).
        mask: `(batch, time)` booleans or None.
    """
    outputs = []
    previous = None
    for t in range(steps):
        output, new_states = step(t, states)
        if mask is not None:
            keep = mask[:, t]
            if previous is None:
                previous = torch.zeros_like(output)
            output = torch.where(expand(keep, output), output, previous)
            new_states = [torch.where(expand(keep, new), new, old) for new, old in zip(new_states, states)]
        outputs.append(output)
        previous = output
        states = new_states
    return torch.stack(outputs, 1), states


def is_native(cell) -> bool:
    """Whether `cell` is a built-in cell whose step is not overridden by a subclass."""
    cls = type(cell)
    return getattr(cls, "_native_forward", None) is cls.forward and cls.call is Layer.call


def run(cell, sequence: torch.Tensor, states, mask, training: bool):
    """`(outputs, final_states)` of `cell` over `sequence` (see the module docstring)."""
    if is_native(cell):
        return cell._run_sequence(sequence, states, mask, training)
    return run_custom(cell, sequence, states, mask, training)


def run_custom(cell, sequence: torch.Tensor, states, mask, training: bool):
    """A cell of any kind called once per step, as Keras's RNN calls it."""
    call = caller(cell, training)
    structure = [states]  # the structure of the states the cell returns, set at the first step

    def step(t, flat_states):
        output, new_states = call(sequence[:, t], tuple(nest.pack_like(structure[0], flat_states)))
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        structure[0] = new_states
        return output, nest.flatten(new_states)

    outputs, flat = masked_loop(step, sequence.shape[1], nest.flatten(states), mask)
    return outputs, list(nest.pack_like(structure[0], flat))


def caller(cell, training: bool):
    """`call(inputs, states) -> (output, new_states)` on torch tensors for any cell."""
    if isinstance(cell, Layer):
        if "training" in inspect.signature(cell.call).parameters or (
                is_native(cell) and "training" in inspect.signature(cell.forward).parameters):
            return lambda x, s: cell(x, s, training=training)
        return cell  # a layer called with torch tensors returns torch tensors
    return lambda x, s: nest.map(_to_torch, cell(wrap(x), nest.map(wrap, s)))


def initial_state(cell, batch: int, dtype: torch.dtype, device, single_as_list: bool = True):
    """The cell's initial states as torch tensors (zeros unless it has `get_initial_state`).

    Args:
        single_as_list: a single state (not in a list) is put in one: the RNN layer's
            rule; StackedRNNCells keeps it as it is.
    """
    cls = type(cell)
    if getattr(cls, "_native_initial_state", None) is getattr(cls, "get_initial_state", None) is not None:
        return cell._initial_state(batch, dtype, device)
    get = getattr(cell, "get_initial_state", None)
    if get is None:
        size = cell.state_size
        if isinstance(size, int):
            zeros = torch.zeros((batch, size), dtype=dtype, device=device)
            return [zeros] if single_as_list else zeros
        return [torch.zeros((batch, d), dtype=dtype, device=device) for d in size]
    state = nest.map(_to_torch, get(batch_size=batch))
    if isinstance(state, (list, tuple)):
        return list(state)
    return [state] if single_as_list else state


def _to_torch(x):
    return unwrap(x) if x is not None and not isinstance(x, torch.Tensor) else x
