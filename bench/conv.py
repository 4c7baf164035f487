"""Convolution and pooling layers of kerastorch against raw torch, forward + backward.

Each case is one training-step statement: the layer's forward on a batch, the sum of
its output, and the gradients of the weights. kerastorch runs it the Keras way (NHWC
data, `tf.GradientTape`) and the plain-PyTorch way (a torch NHWC tensor through the
layer, `.backward()`); torch runs `torch.nn.Conv2d` / `max_pool2d` on contiguous NCHW
data, the layout torch users start from (the ratios), and on the channels_last view of
the NHWC data kerastorch hands torch ("torch CL": the same kernels without kerastorch).
Samples are interleaved and cases take turns (the best sample counts), so machine load
hits all sides alike.

Usage: python bench/conv.py [--number N] [--repeat R] [--rounds K]
"""

from __future__ import annotations

import argparse

import _timing
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.framework import device

# (name, layer factory, torch module factory or None for max pooling, NHWC input shape)
CASES = [
    ("Conv2D 3x3 same, 16->32", lambda: keras.layers.Conv2D(32, 3, padding="same"),
     lambda: torch.nn.Conv2d(16, 32, 3, padding=1), (32, 32, 32, 16)),
    ("Conv2D 3x3 same stride 2 (pads 0/1)", lambda: keras.layers.Conv2D(32, 3, strides=2, padding="same"),
     None, (32, 32, 32, 16)),
    ("MaxPooling2D 2x2", lambda: keras.layers.MaxPooling2D(), None, (32, 32, 32, 16)),
]


def _statements(make_layer, make_module, shape, dev):
    """(kerastorch tape step, kerastorch torch-tensor step, torch NCHW step, torch channels_last step).

    Layers with weights differentiate with respect to their weights, pooling with
    respect to its input.
    """
    layer = make_layer()
    x = tf.random.normal(shape)
    layer(x)
    weights = layer.trainable_weights
    x_raw = x._t.detach().clone().requires_grad_(not weights)
    x_nchw = x._t.permute(0, 3, 1, 2).contiguous().requires_grad_(not weights)

    def tape_step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(layer(x))
        tape.gradient(loss, weights or [x])

    def raw_step():
        layer(x_raw).sum().backward()

    x_cl = x_raw.detach().permute(0, 3, 1, 2).requires_grad_(not weights)  # NCHW view, channels_last memory
    if make_module is not None:
        module = make_module().to(dev)

        def torch_step(data):
            module(data).sum().backward()
    elif weights:
        kernel = layer.kernel._t.detach().permute(3, 2, 0, 1).contiguous().requires_grad_()
        bias = layer.bias._t.detach().clone().requires_grad_()

        def torch_step(data):
            padded = torch.nn.functional.pad(data, (0, 1, 0, 1))
            torch.nn.functional.conv2d(padded, kernel, bias, stride=2).sum().backward()
    else:
        def torch_step(data):
            torch.nn.functional.max_pool2d(data, 2).sum().backward()

    return tape_step, raw_step, lambda: torch_step(x_nchw), lambda: torch_step(x_cl)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _timing.add_arguments(parser, number=5, repeat=3, rounds=5)
    args = parser.parse_args(argv)
    dev = device.current()
    print(f"forward + backward, float32 on {dev}, torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"best of {args.rounds * args.repeat} samples of {args.number} steps")
    steps = {name: _statements(make, module, shape, dev) for name, make, module, shape in CASES}
    best = _timing.best_times(steps, args.number, args.repeat, args.rounds)
    print(f"{'case':<38}{'tape ms':>9}{'torch-in ms':>13}{'torch ms':>10}{'torch CL ms':>13}{'tape/torch':>12}"
          f"{'in/torch':>10}")
    for name, (tape_s, raw_s, torch_s, cl_s) in best.items():
        print(f"{name:<38}{tape_s * 1e3:>9.2f}{raw_s * 1e3:>13.2f}{torch_s * 1e3:>10.2f}{cl_s * 1e3:>13.2f}"
              f"{tape_s / torch_s:>11.2f}x{raw_s / torch_s:>9.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
