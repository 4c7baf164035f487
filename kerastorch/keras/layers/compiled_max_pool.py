"""Max pooling inside a compiled step (`jit_compile`) on the CPU: torch's own kernels, kept opaque.

Inductor generates C++ max pooling for the CPU that runs 3-4x slower than torch's kernel
(forward and backward of `relu` + `MaxPooling2D` on a (64, 32, 26, 26) batch: 20 ms
against 6.7 ms on the development machine). Inside a compiled step a max pooling on a CPU
tensor is therefore two custom ops, the pooling and its gradient, each calling torch's
kernel; the graph around them is still compiled. The results are the eager ones.
"""

from __future__ import annotations

import torch

_DILATION = {2: [1, 1], 3: [1, 1, 1]}


def max_pool(x: torch.Tensor, pool_size: tuple, strides: tuple, padding, ceil_mode: bool) -> torch.Tensor:
    """`F.max_pool2d/3d(x, pool_size, strides, padding, ceil_mode=ceil_mode)` as an opaque op."""
    rank = len(pool_size)
    padding = [padding] * rank if isinstance(padding, int) else list(padding)
    return _pool(x, list(pool_size), list(strides), padding, ceil_mode)[0]


def _forward(x, kernel, stride, padding, ceil_mode):
    op = torch.ops.aten.max_pool2d_with_indices if len(kernel) == 2 else torch.ops.aten.max_pool3d_with_indices
    return op(x, kernel, stride, padding, _DILATION[len(kernel)], ceil_mode)


@torch.library.custom_op("kerastorch::max_pool", mutates_args=())
def _pool(x: torch.Tensor, kernel: list[int], stride: list[int], padding: list[int],
          ceil_mode: bool) -> tuple[torch.Tensor, torch.Tensor]:
    out, indices = _forward(x, kernel, stride, padding, ceil_mode)
    return out, indices


@_pool.register_fake
def _(x, kernel, stride, padding, ceil_mode):
    return _forward(x, kernel, stride, padding, ceil_mode)


@torch.library.custom_op("kerastorch::max_pool_backward", mutates_args=())
def _pool_backward(grad: torch.Tensor, x: torch.Tensor, kernel: list[int], stride: list[int], padding: list[int],
                   ceil_mode: bool, indices: torch.Tensor) -> torch.Tensor:
    op = (torch.ops.aten.max_pool2d_with_indices_backward if len(kernel) == 2
          else torch.ops.aten.max_pool3d_with_indices_backward)
    return op(grad, x, kernel, stride, padding, _DILATION[len(kernel)], ceil_mode, indices)


@_pool_backward.register_fake
def _(grad, x, kernel, stride, padding, ceil_mode, indices):
    return torch.empty_like(x)


def _save(ctx, inputs, output) -> None:
    x, kernel, stride, padding, ceil_mode = inputs
    ctx.save_for_backward(x, output[1])
    ctx.options = (kernel, stride, padding, ceil_mode)


def _backward(ctx, grad, _indices_grad):
    x, indices = ctx.saved_tensors
    kernel, stride, padding, ceil_mode = ctx.options
    return _pool_backward(grad, x, kernel, stride, padding, ceil_mode, indices), None, None, None, None


_pool.register_autograd(_backward, setup_context=_save)
