"""keras.utils.PyDataset as fit/evaluate/predict data."""

import numpy as np

from kerastorch import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_fit_evaluate_predict_on_a_py_dataset():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x.sum(1, keepdims=True)
    data = Batches(x, y, 8, workers=2)
    assert keras.utils.Sequence is keras.utils.PyDataset
    assert (data.num_batches, data.workers, data.use_multiprocessing) == (4, 2, False)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(data, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and history.history["loss"][-1] < history.history["loss"][0]
    assert data.epochs_ended == 3
    np.testing.assert_allclose(model.evaluate(data, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-5)
    assert model.predict(data, verbose=0).shape == (32, 1)
