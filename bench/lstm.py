"""Recurrent layers of kerastorch against torch.nn.LSTM / GRU / RNN, forward + backward.

Each case is one training-step statement on a `(32, 100, 64)` float32 batch: the
layer's forward, the sum of its output, and the gradients of the weights. kerastorch
runs it the Keras way (`tf.GradientTape`) and the plain-PyTorch way (a torch tensor
through the layer, `.backward()`); torch runs the equivalent `torch.nn` module on the
same data. Samples are interleaved and cases take turns (the best sample counts), so
machine load hits all sides alike.

Usage: python bench/lstm.py [--number N] [--repeat R] [--rounds K]
"""

from __future__ import annotations

import argparse

import _timing
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import kerastorch as tf
from kerastorch import keras
from kerastorch.framework import device

BATCH, STEPS, FEATURES, UNITS = 32, 100, 64, 64
TARGET = 1.2  # kerastorch may cost at most this many times torch.nn on the fused cases


def _last(out):
    return out[:, -1]


def _whole(out):
    return out


# (name, layer factory, torch module factory, what of the torch output the loss reads, padded-mask case)
CASES = [
    ("LSTM(64)", lambda: keras.layers.LSTM(UNITS), lambda: torch.nn.LSTM(FEATURES, UNITS, batch_first=True),
     _last, False),
    ("LSTM(64) return_sequences", lambda: keras.layers.LSTM(UNITS, return_sequences=True),
     lambda: torch.nn.LSTM(FEATURES, UNITS, batch_first=True), _whole, False),
    ("GRU(64)", lambda: keras.layers.GRU(UNITS), lambda: torch.nn.GRU(FEATURES, UNITS, batch_first=True),
     _last, False),
    ("SimpleRNN(64)", lambda: keras.layers.SimpleRNN(UNITS), lambda: torch.nn.RNN(FEATURES, UNITS, batch_first=True),
     _last, False),
    ("LSTM(64) right-padded mask", lambda: keras.layers.LSTM(UNITS, return_sequences=True),
     lambda: torch.nn.LSTM(FEATURES, UNITS, batch_first=True), _whole, True),
    ("GRU(64) reset_after=False (loop)", lambda: keras.layers.GRU(UNITS, reset_after=False),
     lambda: torch.nn.GRU(FEATURES, UNITS, batch_first=True), _last, False),
]


def _statements(make_layer, make_module, read, padded, dev):
    """(kerastorch tape step, kerastorch torch-tensor step, torch step) for one case."""
    layer = make_layer()
    x = tf.random.normal((BATCH, STEPS, FEATURES))
    lengths = torch.randint(STEPS // 2, STEPS + 1, (BATCH,), generator=torch.Generator().manual_seed(0))
    mask = torch.arange(STEPS)[None, :] < lengths[:, None]
    kwargs = {"mask": tf.constant(mask.numpy())} if padded else {}
    raw_kwargs = {"mask": mask.to(dev)} if padded else {}
    layer(x, **kwargs)
    weights = layer.trainable_weights
    x_raw = x._t.detach().clone()
    module = make_module().to(dev)

    def tape_step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x, **kwargs))
        tape.gradient(loss, weights)

    def raw_step():
        layer(x_raw, **raw_kwargs).sum().backward()

    if padded:
        def torch_step():
            packed = pack_padded_sequence(x_raw, lengths, batch_first=True, enforce_sorted=False)
            out, _ = pad_packed_sequence(module(packed)[0], batch_first=True, total_length=STEPS)
            out.sum().backward()
    else:
        def torch_step():
            read(module(x_raw)[0]).sum().backward()

    return tape_step, raw_step, torch_step


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _timing.add_arguments(parser, number=3, repeat=3, rounds=4)
    args = parser.parse_args(argv)
    dev = device.current()
    print(f"forward + backward on ({BATCH}, {STEPS}, {FEATURES}), float32 on {dev}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; best of {args.rounds * args.repeat} samples of {args.number} steps")
    steps = {name: _statements(make, module, read, padded, dev) for name, make, module, read, padded in CASES}
    best = _timing.best_times(steps, args.number, args.repeat, args.rounds)
    print(f"{'case':<36}{'tape ms':>9}{'torch-in ms':>13}{'torch ms':>10}{'tape/torch':>12}{'in/torch':>10}")
    for name, (tape_s, raw_s, torch_s) in best.items():
        print(f"{name:<36}{tape_s * 1e3:>9.2f}{raw_s * 1e3:>13.2f}{torch_s * 1e3:>10.2f}"
              f"{tape_s / torch_s:>11.2f}x{raw_s / torch_s:>9.2f}x")
    print(f"target: the fused cases within {TARGET}x of torch.nn (the loop case is for reference)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
