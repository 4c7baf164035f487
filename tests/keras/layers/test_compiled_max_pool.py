"""Max pooling inside a compiled function on the CPU (torch's kernels as opaque ops): eager's outputs and gradients."""

import pytest
import torch

from kerastorch import keras


@pytest.mark.parametrize("make, shape", [
    (lambda: keras.layers.MaxPooling1D(3, strides=2), (2, 9, 4)),
    (lambda: keras.layers.MaxPooling2D(3, strides=1, padding="same"), (2, 6, 6, 3)),
    (lambda: keras.layers.MaxPooling2D(2, data_format="channels_first"), (2, 3, 7, 5)),
    (lambda: keras.layers.MaxPooling3D(2, padding="same"), (2, 5, 6, 7, 3)),
], ids=["1d", "2d_same_stride1", "2d_channels_first", "3d_same"])
def test_compiled_max_pooling_gives_eager_outputs_and_gradients(make, shape):
    layer = make()
    x = torch.randn(shape, generator=torch.Generator().manual_seed(0), requires_grad=True)

    def pooled_square_sum(x):
        y = layer._raw_call((x,), {})
        return y, (y * y).sum()

    eager, eager_loss = pooled_square_sum(x)
    (eager_grad,) = torch.autograd.grad(eager_loss, x)
    compiled, compiled_loss = torch.compile(pooled_square_sum, backend="aot_eager", fullgraph=True)(x)
    (compiled_grad,) = torch.autograd.grad(compiled_loss, x)
    torch.testing.assert_close(compiled, eager, rtol=0, atol=0)
    torch.testing.assert_close(compiled_grad, eager_grad, rtol=0, atol=0)
