"""Seed, layers section 11 (Stateful vs Stateless layers): an RNN's state across batches.

Fixed initializers keep the printed numbers the same under any framework.
"""
import numpy as np
import tensorflow as tf

init = dict(kernel_initializer=tf.keras.initializers.Constant(0.1),
            recurrent_initializer=tf.keras.initializers.Constant(0.05))
chunk = tf.constant(np.linspace(-1.0, 1.0, 2 * 3 * 2, dtype="float32").reshape(2, 3, 2))

stateless = tf.keras.layers.LSTM(4, **init)
print(stateless(chunk).numpy().round(4))
print(stateless(chunk).numpy().round(4))      # same: the state starts at zero every batch

stateful = tf.keras.layers.LSTM(4, stateful=True, **init)
first = stateful(chunk)
second = stateful(chunk)                       # continues from the state the first batch left
print(first.numpy().round(4))
print(second.numpy().round(4))
stateful.reset_states()
print(np.allclose(stateful(chunk).numpy(), first.numpy()))

gru = tf.keras.layers.GRU(3, return_sequences=True, return_state=True, **init)
sequence, state = gru(chunk)
print(sequence.shape, state.shape)
print(np.allclose(sequence[:, -1], state))
print(gru.count_params(), [w.path for w in gru.weights])
