"""Two CPU processes (gloo), started by torch's launcher through `kerastorch run --nproc-per-node 2`,
train, evaluate and predict as one process does on the same global batches.

The launch happens once per module (a few seconds); each test checks one promise.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerastorch as tf
from tests.distribute import ddp_worker, generate_mirrored

WORKER = os.path.join(os.path.dirname(__file__), "ddp_worker.py")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The launch's directory, stdout and per-rank results, and the reference trained alone."""
    out = tmp_path_factory.mktemp("ddp")
    rng = np.random.default_rng(0)
    data = {"x": rng.normal(size=(64, 4)).astype("float32"), "y": rng.integers(0, 3, size=64),
            "xv": rng.normal(size=(20, 4)).astype("float32"), "yv": rng.integers(0, 3, size=20)}
    shapes = [(4, 8), (8,), (8, 3), (3,)]
    data.update({f"w{i}": rng.normal(scale=0.5, size=shape).astype("float32") for i, shape in enumerate(shapes)})
    np.savez(out / "data.npz", **data)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "kerastorch", "run", "--nproc-per-node", "2", WORKER, str(out)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    ranks = [dict(np.load(out / f"result{rank}.npz")) for rank in range(2)]
    checks = [json.loads((out / f"result{rank}.json").read_text()) for rank in range(2)]
    mirrored = [json.loads((out / f"mirrored{rank}.json").read_text()) for rank in range(2)]
    alone_dir = tmp_path_factory.mktemp("alone")
    tf.keras.utils.set_random_seed(ddp_worker.SEED)
    alone = ddp_worker.experiment(tf, data, str(alone_dir))
    return {"out": out, "stdout": done.stdout, "ranks": ranks, "checks": checks, "alone": alone,
            "mirrored": mirrored}


KEYS = ["weights", "train_on_batch", "history_loss", "history_accuracy", "history_val_loss",
        "history_val_accuracy", "evaluate", "evaluate_19", "evaluate_dataset", "evaluate_distributed_dataset",
        "predict", "predict_on_batch", "shuffled_weights", "jit_history_loss", "jit_weights", "jit_evaluate",
        "synced_bn_history_loss", "synced_bn_weights"]


@pytest.mark.parametrize("key", KEYS, ids=str)
def test_two_processes_equal_one(run, key):
    for result in run["ranks"]:
        np.testing.assert_allclose(result[key], run["alone"][key], rtol=0, atol=1e-6)


def test_every_process_reports_the_same(run):
    first, second = run["ranks"]
    for key in KEYS:
        np.testing.assert_array_equal(first[key], second[key])


def test_only_the_chief_writes_and_prints(run):
    assert sorted(p.name for p in run["out"].iterdir() if not p.name.startswith(("result", "data", "mirrored"))) == [
        "rank0.csv", "rank0.weights.h5"]
    assert run["stdout"].count("Epoch 1/2") == 1


def test_strategy_collectives(run):
    # replica 0 holds [1.], replica 1 holds [2., 2.]
    for checks in run["checks"]:
        assert (checks["replicas"], checks["sum"], checks["gather"]) == (2, 5.0, [1.0, 2.0, 2.0])
        assert checks["mean"] == pytest.approx(5.0 / 3)
    first, second = run["checks"]
    assert first["shares"] == [[0, 1], [4, 5], [8]]
    assert second["shares"] == [[2, 3], [6, 7], [9]]
    assert (first["should_checkpoint"], second["should_checkpoint"]) == (True, False)


@pytest.mark.parametrize("case", generate_mirrored.CASES, ids=lambda case: case["id"])
def test_two_processes_match_tf_mirrored_strategy(run, case):
    """TF 2.21, MirroredStrategy on 2 logical CPUs, uneven and empty shares of the last batches."""
    expected = json.loads(generate_mirrored.FIXTURE.read_text())[case["id"]]["expected"]
    for result in (process[case["id"]] for process in run["mirrored"]):
        np.testing.assert_allclose(result["weights"], expected["weights"], rtol=0, atol=1e-6)
        assert result["history"].keys() == expected["history"].keys()
        for key, values in expected["history"].items():
            assert result["history"][key] == pytest.approx(values, rel=1e-5, abs=1e-6), key
        assert result["evaluate"] == pytest.approx(expected["evaluate"], rel=1e-5, abs=1e-6)
