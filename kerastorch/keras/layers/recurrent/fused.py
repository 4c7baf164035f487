"""torch's fused recurrent kernels (`torch._VF.lstm` / `gru` / `rnn_tanh` / `rnn_relu`) with Keras's semantics.

The cells hand over their weights already in torch's layout (views of the Keras
variables, gates reordered where the orders differ). Masks that keep one contiguous
block of steps per sample (right padding from `mask_zero`, or the left padding of
`pad_sequences`) run as packed sequences: each sample's block is moved to the front,
packed, run, and the outputs put back where Keras has them (zeros before the block,
the last output repeated after it). Other masks return None: the caller loops.
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

_KERNELS = {"lstm": torch._VF.lstm, "gru": torch._VF.gru, "rnn_tanh": torch._VF.rnn_tanh,
            "rnn_relu": torch._VF.rnn_relu}


class Blocks:
    """Where each sample's unmasked steps lie: `starts` and `lengths` (one block per sample)."""

    __slots__ = ("starts", "lengths", "lengths_cpu", "aligned")

    def __init__(self, starts, lengths, lengths_cpu, aligned):
        self.starts = starts
        self.lengths = lengths
        self.lengths_cpu = lengths_cpu
        self.aligned = aligned  # every block starts at step 0 (right padding)


def analyse(mask: torch.Tensor):
    """`"full"` (nothing masked), `Blocks` (one contiguous block per sample) or None (holes).

    One host sync: the fused kernels need the lengths on the CPU anyway.
    """
    steps = mask.shape[1]
    lengths = mask.sum(1)
    starts = mask.to(torch.uint8).argmax(1)  # the first unmasked step (argmax returns the first maximum)
    t = torch.arange(steps, device=mask.device)
    block = (t >= starts[:, None]) & (t < (starts + lengths)[:, None])
    flags = torch.stack([(block == mask).all(), (lengths == steps).all(), (starts == 0).all()])
    summary = torch.cat([flags.long(), lengths]).cpu()
    contiguous, full, aligned = (bool(v) for v in summary[:3])
    if not contiguous:
        return None
    if full:
        return "full"
    return Blocks(starts, lengths, summary[3:], aligned)


_eager_in_compiled_steps = None  # `_run` behind torch.compiler.disable, once a model compiles its steps


def prepare_for_compiled_steps() -> None:
    """Makes compiled steps (`jit_compile`) run the kernels eagerly, between their graphs: torch.compile
    would unroll a kernel into one graph node per time step (minutes to compile, slower to run).
    Called when a model first compiles, not at import (`torch.compiler.disable` imports torch._dynamo)."""
    global _eager_in_compiled_steps
    if _eager_in_compiled_steps is None:
        _eager_in_compiled_steps = torch.compiler.disable(_run)


def run(kind: str, sequence: torch.Tensor, states: list, params: list, has_biases: bool, blocks=None):
    if _eager_in_compiled_steps is not None and torch.compiler.is_compiling():
        return _eager_in_compiled_steps(kind, sequence, states, params, has_biases, blocks)
    return _run(kind, sequence, states, params, has_biases, blocks)


def _run(kind: str, sequence: torch.Tensor, states: list, params: list, has_biases: bool, blocks=None):
    """`(outputs, final_states)` of one fused recurrent layer.

    Args:
        kind: `"lstm"`, `"gru"`, `"rnn_tanh"` or `"rnn_relu"`.
        sequence: `(batch, time, features)`, in processing order.
        states: `[h]` or `[h, c]` for LSTM, each `(batch, units)`.
        params: `[w_ih, w_hh]` (+ `[b_ih, b_hh]`) in torch's layout.
        blocks: None (no mask) or the `Blocks` of a mask.
    """
    kernel = _KERNELS[kind]
    if sequence.is_cuda:
        params = _one_buffer(params)
    hx = tuple(s.unsqueeze(0) for s in states) if kind == "lstm" else states[0].unsqueeze(0)
    train = torch.is_grad_enabled()
    if blocks is None:
        result = kernel(sequence, hx, params, has_biases, 1, 0.0, train, False, True)
        return result[0], [s.squeeze(0) for s in result[1:]]
    return _run_packed(kernel, kind, sequence, hx, states, params, has_biases, train, blocks)


def _one_buffer(params: list) -> list:
    """The weights as views of one contiguous buffer, the layout cuDNN takes without compacting.

    cuDNN wants every weight in a single flat buffer; given separate tensors it copies
    them into one at each call (and torch warns about it). Concatenating them here
    makes the same copy, differentiably, and the views match cuDNN's layout (w_ih,
    w_hh, b_ih, b_hh back to back), so no warning; if they did not, cuDNN would copy.
    """
    flat = torch.cat([p.reshape(-1) for p in params])
    views, start = [], 0
    for p in params:
        views.append(flat[start:start + p.numel()].view(p.shape))
        start += p.numel()
    return views


def _run_packed(kernel, kind, sequence, hx, states, params, has_biases, train, blocks):
    batch, steps = sequence.shape[:2]
    t = torch.arange(steps, device=sequence.device)
    if not blocks.aligned:
        index = (t[None, :] + blocks.starts[:, None]).clamp(max=steps - 1)
        sequence = sequence.gather(1, index[..., None].expand(-1, -1, sequence.shape[-1]))
    packed = pack_padded_sequence(sequence, blocks.lengths_cpu.clamp(min=1), batch_first=True,
                                  enforce_sorted=False)
    order, unorder = packed.sorted_indices, packed.unsorted_indices
    hx = tuple(h.index_select(1, order) for h in hx) if kind == "lstm" else hx.index_select(1, order)
    result = kernel(packed.data, packed.batch_sizes, hx, params, has_biases, 1, 0.0, train, False)
    out, _ = pad_packed_sequence(PackedSequence(result[0], packed.batch_sizes, order, unorder),
                                 batch_first=True, total_length=steps)
    final = [s.index_select(1, unorder).squeeze(0) for s in result[1:]]
    # Put each output where Keras has it: zeros before the block, the block, then its last output.
    relative = t[None, :] - blocks.starts[:, None]
    index = torch.minimum(relative.clamp(min=0), (blocks.lengths - 1).clamp(min=0)[:, None])
    out = out.gather(1, index[..., None].expand(-1, -1, out.shape[-1]))
    empty = blocks.lengths == 0
    out = out.masked_fill(((relative < 0) | empty[:, None])[..., None], 0)
    if bool(blocks.lengths_cpu.min() == 0):
        final = [torch.where(empty[:, None], s0, s) for s0, s in zip(states, final)]
    return out, final
