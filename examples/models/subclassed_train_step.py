"""Subclassed Models that override train_step (and test_step) TF style, trained with fit.

The first model follows the Keras guide "Customizing what happens in fit()": the step
computes `self.compute_loss`, applies the gradients with `self.optimizer`, updates
`self.metrics` and returns their results. The second one keeps its own loss and metric
trackers (listed in the `metrics` property so that Keras resets them each epoch), is
compiled with an optimizer only and overrides test_step too. The data and the initial
weights come from a seeded numpy generator and `fit` keeps the sample order, so
TensorFlow and kerastorch print the same numbers.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(5)
x = rng.normal(size=(192, 4)).astype("float32")
y = (np.sin(x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3] - 0.3 * x[:, 3:]).astype("float32")
x_train, y_train, x_val, y_val = x[:160], y[:160], x[160:], y[160:]


class Regressor(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(16, activation="tanh")
        self.head = keras.layers.Dense(1)

    def call(self, inputs, training=False):
        return self.head(self.hidden(inputs))


def seeded_weights(model):
    model(x[:1])  # builds the weights
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])


class GuideModel(Regressor):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


model = GuideModel()
seeded_weights(model)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(x_train, y_train, epochs=5, batch_size=32, shuffle=False, verbose=0)
for key in sorted(history.history):
    print(key, [round(v, 4) for v in history.history[key]])
print({k: round(v, 4) for k, v in model.evaluate(x_val, y_val, verbose=0, return_dict=True).items()})


class TrackerModel(Regressor):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.mse = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.mse(y, y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(self.mse(y, y_pred))
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


model = TrackerModel()
seeded_weights(model)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.5))
history = model.fit(x_train, y_train, epochs=5, batch_size=32, shuffle=False, verbose=0,
                    validation_data=(x_val, y_val))
for key in sorted(history.history):
    print(key, [round(v, 4) for v in history.history[key]])
loss, mae = model.evaluate(x_val, y_val, verbose=0)
print(f"evaluate: loss {loss:.4f} mae {mae:.4f}, optimizer steps {int(model.optimizer.iterations.numpy())}")
print(np.round(model.predict(x_val[:4], verbose=0)[:, 0], 4), np.round(y_val[:4, 0], 4))
