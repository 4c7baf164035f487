"""One process of the 2-process test: `kerastorch run --nproc-per-node 2 ddp_worker.py OUT_DIR`.

`experiment` is also run by the test itself, alone and without a strategy, as the
reference: the same initial weights, data, batches and steps. Each process writes its
results to `OUT_DIR/result<rank>.npz`, its collective checks to `OUT_DIR/result<rank>.json`
and the cases of TF's 2-replica fixture (`generate_mirrored.py`) to `OUT_DIR/mirrored<rank>.json`.
"""

import contextlib
import json
import os
import sys

import numpy as np

SEED = 7


def experiment(tf, data: dict, out_dir: str, strategy=None) -> dict:
    """Trains, evaluates and predicts as the test prescribes; returns the figures to compare."""
    rank = int(os.environ.get("RANK", "0"))
    scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
    with scope:
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="tanh"),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    model.set_weights([data[f"w{i}"] for i in range(4)])
    callbacks = [tf.keras.callbacks.ModelCheckpoint(os.path.join(out_dir, f"rank{rank}.weights.h5"),
                                                    save_weights_only=True),
                 tf.keras.callbacks.CSVLogger(os.path.join(out_dir, f"rank{rank}.csv"))]
    history = model.fit(data["x"], data["y"], batch_size=8, epochs=2, shuffle=False, verbose=2,
                        validation_data=(data["xv"], data["yv"]), callbacks=callbacks)
    results = {f"history_{key}": np.array(values) for key, values in history.history.items()}
    results["train_on_batch"] = np.array(model.train_on_batch(data["x"][:8], data["y"][:8]))
    results["weights"] = np.concatenate([w.reshape(-1) for w in model.get_weights()])
    evaluation = model.evaluate(data["xv"], data["yv"], batch_size=6, verbose=0, return_dict=True)
    results["evaluate"] = np.array([evaluation["loss"], evaluation["accuracy"]])
    results["evaluate_19"] = np.array(model.evaluate(data["xv"], data["yv"], batch_size=19, verbose=0))  # shares 10/9, 1/0
    dataset = tf.data.Dataset.from_tensor_slices((data["xv"], data["yv"])).batch(6)
    results["evaluate_dataset"] = np.array(model.evaluate(dataset, verbose=0))
    distributed = strategy.experimental_distribute_dataset(dataset) if strategy is not None else dataset
    results["evaluate_distributed_dataset"] = np.array(model.evaluate(distributed, verbose=0))
    results["predict"] = model.predict(data["xv"], batch_size=7, verbose=0)
    results["predict_on_batch"] = model.predict_on_batch(data["xv"][:5])
    # Compiled again (a new DDP wrapper) and shuffled: each process seeds differently; the chief's
    # order (seed SEED) must rule.
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    model.set_weights([data[f"w{i}"] for i in range(4)])
    tf.keras.utils.set_random_seed(SEED + rank)
    model.fit(data["x"], data["y"], batch_size=8, epochs=1, shuffle=True, verbose=0)
    results["shuffled_weights"] = np.concatenate([w.reshape(-1) for w in model.get_weights()])
    # The forward passes compiled (`jit_compile`) inside DDP: the processes train as one eager process.
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=strategy is not None)
    model.set_weights([data[f"w{i}"] for i in range(4)])
    history = model.fit(data["x"], data["y"], batch_size=8, epochs=2, shuffle=False, verbose=0)
    results["jit_history_loss"] = np.array(history.history["loss"])
    results["jit_weights"] = np.concatenate([w.reshape(-1) for w in model.get_weights()])
    results["jit_evaluate"] = np.array(model.evaluate(data["xv"], data["yv"], batch_size=6, verbose=0))
    # BatchNormalization(synchronized=True): the moments of the global batch, as one process computes them.
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="tanh"),
                                     tf.keras.layers.BatchNormalization(synchronized=True),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    model.set_weights([data["w0"], data["w1"], *[np.ones(8, "float32"), np.zeros(8, "float32")] * 2,
                       data["w2"], data["w3"]])
    history = model.fit(data["x"], data["y"], batch_size=8, epochs=2, shuffle=False, verbose=0)
    results["synced_bn_history_loss"] = np.array(history.history["loss"])
    results["synced_bn_weights"] = np.concatenate([w.reshape(-1) for w in model.get_weights()])
    return results


def collectives(tf, strategy) -> dict:
    """What `tf.distribute`'s own collectives give in this process."""
    rank = int(os.environ["RANK"])
    value = strategy.run(lambda: tf.constant([float(rank + 1)] * (rank + 1)))
    dataset = tf.data.Dataset.range(10).batch(4)
    return {
        "replicas": strategy.num_replicas_in_sync,
        "sum": strategy.reduce("SUM", value, axis=0).numpy().item(),
        "mean": strategy.reduce(tf.distribute.ReduceOp.MEAN, value, axis=0).numpy().item(),
        "gather": strategy.gather(value, axis=0).numpy().tolist(),
        "shares": [batch.numpy().tolist() for batch in strategy.experimental_distribute_dataset(dataset)],
        "should_checkpoint": strategy.extended.should_checkpoint,
    }


def main(out_dir: str) -> None:
    import tensorflow as tf  # kerastorch, through `kerastorch run`'s import aliasing

    from kerastorch.keras.models import compiled_steps

    compiled_steps._BACKEND = "aot_eager"  # torch.compile's graphs without inductor's C++ build

    strategy = tf.distribute.MirroredStrategy()
    data = dict(np.load(os.path.join(out_dir, "data.npz")))
    rank = int(os.environ["RANK"])
    np.savez(os.path.join(out_dir, f"result{rank}.npz"), **experiment(tf, data, out_dir, strategy))
    with open(os.path.join(out_dir, f"result{rank}.json"), "w") as f:
        json.dump(collectives(tf, strategy), f)
    from generate_mirrored import CASES, FIXTURE, run_case  # this script's folder is on the import path

    fixture = json.loads(FIXTURE.read_text())
    mirrored = {case["id"]: run_case(tf, case, fixture[case["id"]]["data"], strategy) for case in CASES}
    with open(os.path.join(out_dir, f"mirrored{rank}.json"), "w") as f:
        json.dump(mirrored, f)


if __name__ == "__main__":
    main(sys.argv[1])
