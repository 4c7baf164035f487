"""The callback parity scenarios (see `callback_kit.py`): the progress output comes from
`callback_cases_progress.py`, the callbacks are here; `CASES` lists them all.
"""

from __future__ import annotations

import json
import math
import os

import numpy as np

from compat.callback_cases_progress import (
    drive_fit,
    history,
    log_evaluate,
    log_fit_auto_one_epoch,
    log_fit_slow_steps,
    log_fit_unknown_steps,
    log_fit_verbose1,
    log_fit_verbose2,
    log_predict,
    pb_add_and_units,
    pb_array_values,
    pb_averaged,
    pb_both_metric_lists,
    pb_eta,
    pb_small_and_negative,
    pb_stateful,
    pb_stateless,
    pb_time_units,
    pb_unknown_target,
    pb_verbose2,
    pb_zero_target,
)
from compat.callback_kit import FakeModel, listing, read_text

# -- the callbacks ------------------------------------------------------------------------

def _epochs(env, rec, callback, series, model=None, key="val_loss", extra=None):
    """`fit` reduced to its epoch hooks: `series` gives the monitored value per epoch."""
    model = model or FakeModel(rec)
    cbs = env.callbacks.CallbackList([callback], model=model, verbose=0, epochs=len(series), steps=1)
    cbs.on_train_begin()
    logs = {}
    for epoch, value in enumerate(series):
        model.weights = [np.full(2, epoch, dtype="float32")]
        cbs.on_epoch_begin(epoch)
        logs = {"loss": 1.0, key: value, **(extra or {})}
        cbs.on_epoch_end(epoch, logs)
        rec.event(epoch, model.stop_training, float(model.optimizer.learning_rate), sorted(logs))
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return model


def _watch(env, rec, cls, series, key="val_loss", **kwargs):
    callback = getattr(env.callbacks, cls)(**kwargs)
    _epochs(env, rec, callback, series, key=key)
    rec.event("state", callback.wait, callback.best, getattr(callback, "stopped_epoch", None))


SERIES = [1.0, 0.875, 0.9375, 0.875, 0.8125, 0.84375, 0.875, 0.90625]


def es_patience(env, rec):
    _watch(env, rec, "EarlyStopping", SERIES, patience=2, verbose=1)


def es_min_delta(env, rec):
    _watch(env, rec, "EarlyStopping", SERIES, patience=1, min_delta=0.1, verbose=1)


def es_baseline_restore(env, rec):
    _watch(env, rec, "EarlyStopping", SERIES, patience=3, baseline=0.5, restore_best_weights=True, verbose=1)


def es_restore_best(env, rec):
    _watch(env, rec, "EarlyStopping", SERIES, patience=2, restore_best_weights=True, verbose=1)


def es_start_from_epoch(env, rec):
    _watch(env, rec, "EarlyStopping", [1.0, 2.0, 3.0, 0.5, 0.75, 0.75, 0.75], patience=1, start_from_epoch=3)


def es_mode_max(env, rec):
    _watch(env, rec, "EarlyStopping", [0.5, 0.75, 0.625, 0.6875], key="val_acc", monitor="val_acc", mode="max",
           patience=1)


def es_float32_compare(env, rec):
    _watch(env, rec, "EarlyStopping", [0.3, 0.30000001, 0.3000001, 0.3000001], key="score", monitor="score",
           mode="max", patience=1)


def es_auto_unknown_metric(env, rec):
    _watch(env, rec, "EarlyStopping", [0.5, 0.6], key="val_acc", monitor="val_acc")


def es_missing_monitor(env, rec):
    _watch(env, rec, "EarlyStopping", [0.5, 0.6], key="val_other", patience=0)


def es_unknown_mode(env, rec):
    _watch(env, rec, "EarlyStopping", [0.5, 0.6, 0.7], mode="sideways", patience=0)


def rlr_basic(env, rec):
    _watch(env, rec, "ReduceLROnPlateau", SERIES, factor=0.5, patience=1, verbose=1)


def rlr_cooldown_min_lr(env, rec):
    _watch(env, rec, "ReduceLROnPlateau", [1.0] * 9, factor=0.2, patience=1, cooldown=2, min_lr=0.0004,
           verbose=1)


def rlr_max_mode_min_delta(env, rec):
    _watch(env, rec, "ReduceLROnPlateau", [0.5, 0.52, 0.6, 0.6, 0.65], key="acc", monitor="acc", mode="max",
           min_delta=0.05, patience=1, factor=0.1)


def rlr_factor_error(env, rec):
    env.callbacks.ReduceLROnPlateau(factor=1.0)


def rlr_missing_monitor(env, rec):
    _watch(env, rec, "ReduceLROnPlateau", [0.5], key="val_other")


def _halve_after_two(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


def _inverse_epoch(epoch):
    return 0.1 / (epoch + 1)


def _integer_rate(epoch, lr):
    return 1


def lrs_two_args(env, rec):
    _epochs(env, rec, env.callbacks.LearningRateScheduler(_halve_after_two, verbose=1), [0.5] * 4)


def lrs_one_arg(env, rec):
    _epochs(env, rec, env.callbacks.LearningRateScheduler(_inverse_epoch), [0.5] * 3)


def lrs_not_a_float(env, rec):
    _epochs(env, rec, env.callbacks.LearningRateScheduler(_integer_rate), [0.5])


def mc_every_epoch(env, rec):
    path = os.path.join(env.tmp, "ckpt", "m-{epoch:02d}-{val_loss:.2f}.keras")
    _epochs(env, rec, env.callbacks.ModelCheckpoint(path, verbose=1), [0.5, 0.25])
    rec.event("files", listing(env.tmp))


def mc_best_only(env, rec):
    path = os.path.join(env.tmp, "best.keras")
    callback = env.callbacks.ModelCheckpoint(path, save_best_only=True, verbose=1, initial_value_threshold=0.9)
    _epochs(env, rec, callback, [0.95, 0.875, 0.9, 0.5])


def mc_best_only_max(env, rec):
    path = os.path.join(env.tmp, "{epoch}.h5")
    callback = env.callbacks.ModelCheckpoint(path, monitor="acc", mode="max", save_best_only=True, verbose=1)
    _epochs(env, rec, callback, [0.5, 0.25, 0.75], key="acc")


def mc_weights_every_two_batches(env, rec):
    path = os.path.join(env.tmp, "w-{epoch}-{batch}-{loss:.3f}.weights.h5")
    callback = env.callbacks.ModelCheckpoint(path, save_weights_only=True, save_freq=2, verbose=1)
    drive_fit(env, rec, [callback], epochs=2, steps=3, verbose=0, val=False)


def mc_missing_monitor(env, rec):
    path = os.path.join(env.tmp, "m.keras")
    _epochs(env, rec, env.callbacks.ModelCheckpoint(path, monitor="val_acc", mode="max", save_best_only=True),
            [0.5], key="val_loss")


def mc_bad_model_path(env, rec):
    env.callbacks.ModelCheckpoint(os.path.join(env.tmp, "model.pt"))


def mc_bad_weights_path(env, rec):
    env.callbacks.ModelCheckpoint(os.path.join(env.tmp, "model.h5"), save_weights_only=True)


def mc_bad_save_freq(env, rec):
    env.callbacks.ModelCheckpoint(os.path.join(env.tmp, "model.keras"), save_freq="batch")


def mc_unknown_field(env, rec):
    path = os.path.join(env.tmp, "{epoch}-{val_nope}.keras")
    _epochs(env, rec, env.callbacks.ModelCheckpoint(path), [0.5])


def mc_directory_path(env, rec):
    os.makedirs(os.path.join(env.tmp, "dir.keras"))
    model = FakeModel(rec)

    def save(filepath, overwrite=True):
        open(filepath, "wb").close()  # noqa: SIM115 -- raises IsADirectoryError, as h5py does

    model.save = save
    _epochs(env, rec, env.callbacks.ModelCheckpoint(os.path.join(env.tmp, "dir.keras")), [0.5], model=model)


def csv_two_runs(env, rec):
    path = os.path.join(env.tmp, "log.csv")
    _epochs(env, rec, env.callbacks.CSVLogger(path), [0.5, 0.25], extra={"acc": 0.75})
    rec.event("first", read_text(path))
    _epochs(env, rec, env.callbacks.CSVLogger(path, separator=";", append=True), [0.125])
    rec.event("appended", read_text(path))


def csv_values_without_validation(env, rec):
    path = os.path.join(env.tmp, "log.csv")
    extra = {"name": "run a", "vec": [0.25, 0.5], "arr": np.array([1.5, 2.5]), "zero_d": np.array(0.125)}
    _epochs(env, rec, env.callbacks.CSVLogger(path), [0.5, 0.25], key="loss", extra=extra)
    rec.event("file", read_text(path))


def nan_stops(env, rec):
    callback = env.callbacks.TerminateOnNaN()
    model = FakeModel(rec)
    cbs = env.callbacks.CallbackList([callback], model=model, verbose=0, epochs=1, steps=4)
    for batch, loss in enumerate([1.0, 0.5, math.inf, math.nan]):
        cbs.on_train_batch_end(batch, {"loss": env.batch_value(loss)})
        rec.event(batch, model.stop_training)


def nan_raises(env, rec):
    cbs = env.callbacks.CallbackList([env.callbacks.TerminateOnNaN(raise_error=True)], model=FakeModel(rec))
    cbs.on_train_batch_end(0, {"loss": env.batch_value(0.5)})
    cbs.on_train_batch_end(1, {"loss": env.batch_value(math.nan)})


def _backup_state(env, rec, directory):
    meta = os.path.join(directory, "training_metadata.json")
    rec.event("files", listing(directory) if os.path.isdir(directory) else None,
              json.loads(read_text(meta)) if os.path.exists(meta) else None)


def bar_epochs_then_resume(env, rec):
    directory = os.path.join(env.tmp, "backup")
    drive_fit(env, rec, [env.callbacks.BackupAndRestore(directory, delete_checkpoint=False)], epochs=2, steps=2,
         verbose=0, val=False)
    _backup_state(env, rec, directory)
    model = FakeModel(rec)
    cbs = env.callbacks.CallbackList([env.callbacks.BackupAndRestore(directory)], model=model)
    cbs.on_train_begin()
    rec.event("initial_epoch", model._initial_epoch)
    cbs.on_train_end()
    rec.event("deleted", not os.path.exists(directory))


def bar_every_three_batches(env, rec):
    directory = os.path.join(env.tmp, "backup")
    drive_fit(env, rec, [env.callbacks.BackupAndRestore(directory, save_freq=3, double_checkpoint=True,
                                                   delete_checkpoint=False)],
         epochs=2, steps=4, verbose=0, val=False)
    _backup_state(env, rec, directory)


def bar_unbuilt(env, rec):
    model = FakeModel(rec, built=False)
    env.callbacks.CallbackList([env.callbacks.BackupAndRestore(env.tmp)], model=model).on_train_begin()


def bar_empty_dir(env, rec):
    env.callbacks.BackupAndRestore("")


def bar_bad_save_freq(env, rec):
    env.callbacks.BackupAndRestore(env.tmp, save_freq="batch")


def lambda_hooks(env, rec):
    callback = env.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: rec.event("epoch_begin", epoch, logs),
        on_epoch_end=lambda epoch, logs: rec.event("epoch_end", epoch, logs),
        on_train_begin=lambda logs: rec.event("train_begin", logs),
        on_train_end=lambda logs: rec.event("train_end", logs),
        on_train_batch_begin=lambda batch, logs: rec.event("batch_begin", batch, logs),
        on_train_batch_end=lambda batch, logs: rec.event("batch_end", batch, logs),
        on_test_begin=lambda logs: rec.event("test_begin", logs))
    drive_fit(env, rec, [callback], epochs=1, steps=2, verbose=0, val=True)


def list_nested_and_pythonified(env, rec):
    seen = env.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: rec.event(
        batch, {k: [type(v).__name__, v] for k, v in logs.items()}))
    cbs = env.callbacks.CallbackList([[seen], []], model=FakeModel(rec))
    rec.event("count", len(cbs.callbacks))
    cbs.on_train_batch_end(0, {"z": env.batch_value(0.25), "a": np.float32(0.5), "nested": {"m": 2},
                               "text": "x"})


def list_end_without_begin(env, rec):
    env.callbacks.CallbackList([]).on_test_end()


CASES = {fn.__name__: fn for fn in [
    pb_averaged, pb_stateful, pb_stateless, pb_unknown_target, pb_verbose2, pb_small_and_negative, pb_time_units,
    pb_eta, pb_add_and_units, pb_array_values, pb_zero_target, pb_both_metric_lists,
    log_fit_verbose1, log_fit_verbose2, log_fit_auto_one_epoch, log_fit_unknown_steps, log_fit_slow_steps,
    log_evaluate, log_predict, history,
    es_patience, es_min_delta, es_baseline_restore, es_restore_best, es_start_from_epoch, es_mode_max,
    es_float32_compare, es_auto_unknown_metric, es_missing_monitor, es_unknown_mode,
    rlr_basic, rlr_cooldown_min_lr, rlr_max_mode_min_delta, rlr_factor_error, rlr_missing_monitor,
    lrs_two_args, lrs_one_arg, lrs_not_a_float,
    mc_every_epoch, mc_best_only, mc_best_only_max, mc_weights_every_two_batches, mc_missing_monitor,
    mc_bad_model_path, mc_bad_weights_path, mc_bad_save_freq, mc_unknown_field, mc_directory_path,
    csv_two_runs, csv_values_without_validation, nan_stops, nan_raises,
    bar_epochs_then_resume, bar_every_three_batches, bar_unbuilt, bar_empty_dir, bar_bad_save_freq,
    lambda_hooks, list_nested_and_pythonified, list_end_without_begin,
]}

# Scenarios whose batch logs may be handed over as 0-d torch tensors with the same output.
TENSOR_LOGS = ["log_fit_verbose1", "log_fit_verbose2", "log_fit_unknown_steps", "log_evaluate",
               "mc_weights_every_two_batches", "nan_stops", "nan_raises"]
