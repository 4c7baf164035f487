"""The layer engine's cost per call: kerastorch layers against the same torch ops by hand.

Small inputs, where torch's own work is small, show what a Keras layer call adds
(argument conversion, build/spec checks, training and mask resolution, wrapping):

- `Dense(64)` inference call on (32, 64): `layer(x)` against `relu(addmm(b, x, W))`;
- an MLP training step on (32, 64) -> 64 -> 64 -> 10 (three Dense layers), forward and
  backward: the Keras way (`tf.GradientTape`), the plain-PyTorch way (a torch tensor
  through the layers, `.backward()`), and torch by hand with the same weights.

Usage: python bench/layers.py [--number N] [--repeat R] [--rounds K]
"""

from __future__ import annotations

import argparse

import _timing
import torch

import kerastorch as tf
from kerastorch import keras


def _dense_call():
    layer = keras.layers.Dense(64, activation="relu")
    x = tf.random.normal((32, 64))
    layer(x)
    raw, kernel, bias = x._t, layer.kernel._t.detach(), layer.bias._t.detach()

    def torch_call():
        with torch.no_grad():
            torch.relu(torch.addmm(bias, raw, kernel))

    return lambda: layer(x), torch_call


def _mlp_step():
    layers = [keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu"),
              keras.layers.Dense(10)]
    x = tf.random.normal((32, 64))
    raw = x._t
    h = x
    for layer in layers:  # builds them
        h = layer(h)
    weights = [w for layer in layers for w in layer.trainable_weights]
    params = [w._param for w in weights]

    def tape_step():
        with tf.GradientTape() as tape:
            h = x
            for layer in layers:
                h = layer(h)
            loss = tf.reduce_sum(h)
        tape.gradient(loss, weights)

    def torch_in_step():
        h = raw
        for layer in layers:
            h = layer(h)
        h.sum().backward()

    def torch_step():
        h = torch.relu(torch.addmm(params[1], raw, params[0]))
        h = torch.relu(torch.addmm(params[3], h, params[2]))
        torch.addmm(params[5], h, params[4]).sum().backward()

    return tape_step, torch_in_step, torch_step


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _timing.add_arguments(parser, number=200, repeat=5, rounds=5)
    args = parser.parse_args(argv)
    print(f"float32 on CPU, torch {torch.__version__}, {torch.get_num_threads()} threads; best of "
          f"{args.rounds * args.repeat} samples of {args.number} calls")
    best = _timing.best_times({"Dense(64) call": _dense_call(), "MLP step": _mlp_step()},
                              args.number, args.repeat, args.rounds)
    kt, by_hand = best["Dense(64) call"]
    print(f"Dense(64) call: kerastorch {kt * 1e6:.1f} us, torch {by_hand * 1e6:.1f} us, "
          f"{kt / by_hand:.2f}x ({(kt - by_hand) * 1e6:.1f} us per call)")
    tape, torch_in, by_hand = best["MLP step"]
    print(f"MLP training step: tape {tape * 1e6:.1f} us ({tape / by_hand:.2f}x), torch tensors in "
          f"{torch_in * 1e6:.1f} us ({torch_in / by_hand:.2f}x), torch {by_hand * 1e6:.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
