"""A subclassed model with a TF-style train_step, and a Model subclass given inputs/outputs."""

import numpy as np

import kerastorch as tf
from kerastorch import keras


class Custom(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_tf_style_train_step_on_a_functional_subclass_matches_tf():
    inp = keras.Input((4,))
    out = keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")(inp)
    model = Custom(inp, out)  # a Model subclass given inputs/outputs is functional, as in Keras
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    x = np.linspace(-1, 1, 32 * 4, dtype="float32").reshape(32, 4)
    y = (x.sum(1, keepdims=True) > 0).astype("float32")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    # TF 2.21 printed {'accuracy': [1.0, 1.0], 'loss': [0.2001, 0.1969]} for this script.
    np.testing.assert_allclose(history.history["loss"], [0.2001, 0.1969], atol=1e-4)
    assert history.history["accuracy"] == [1.0, 1.0]
    assert model.metrics_names == ["loss", "compile_metrics"]
    assert [layer.name for layer in model.layers][1:] == ["dense"]
