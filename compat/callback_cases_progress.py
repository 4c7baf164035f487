"""Callback parity scenarios, part 1: the progress output (Progbar, ProgbarLogger) and History.

Batch log values are multiples of 1/64 or 1/1024, so they are the same as Python floats
and as float32 tensors, and the output must not depend on which the callbacks get.
`drive_fit` (a `fit` driven by hand through a CallbackList) serves the other scenarios too.
"""

from __future__ import annotations

import numpy as np

from compat.callback_kit import FakeModel

# -- keras.utils.Progbar ------------------------------------------------------------------


def _drive(env, bar, steps, dt, values, finalize_last=None):
    for step in range(1, steps + 1):
        env.clock.t += dt
        bar.update(step, [(k, v(step)) for k, v in values.items()],
                   finalize=finalize_last if step == steps else None)


def pb_averaged(env, rec):
    bar = env.Progbar(10)
    _drive(env, bar, 10, 0.02, {"loss": lambda s: 1 - s / 16, "acc": lambda s: s / 32})


def pb_stateful(env, rec):
    bar = env.Progbar(8, stateful_metrics=["acc"])
    _drive(env, bar, 8, 0.06, {"loss": lambda s: 2 - s / 8, "acc": lambda s: s / 8})


def pb_stateless(env, rec):
    bar = env.Progbar(6, stateless_metrics=["loss"], width=12)
    _drive(env, bar, 6, 0.07, {"loss": lambda s: 1 / s, "lr": lambda s: 0.0005})


def pb_unknown_target(env, rec):
    bar = env.Progbar(None)
    _drive(env, bar, 5, 0.3, {"loss": lambda s: s / 4}, finalize_last=True)


def pb_verbose2(env, rec):
    bar = env.Progbar(5, verbose=2, stateful_metrics=["neg", "tiny"])
    _drive(env, bar, 5, 0.5, {"neg": lambda s: -0.5, "tiny": lambda s: 0.0001, "big": lambda s: 1234.5})


def pb_small_and_negative(env, rec):
    bar = env.Progbar(3, stateful_metrics=["neg", "tiny", "zero"])
    _drive(env, bar, 3, 0.1, {"neg": lambda s: -0.25 * s, "tiny": lambda s: 1e-5, "zero": lambda s: 0.0})


def pb_time_units(env, rec):
    for dt, target in ((2.5, 4), (0.0125, 4), (0.00005, 4)):
        bar = env.Progbar(target)
        _drive(env, bar, target, dt, {"loss": lambda s: 0.5})


def pb_eta(env, rec):
    bar = env.Progbar(10000, interval=0.0)
    for step, dt in ((1, 1.0), (2, 1.0), (3, 1.3), (9990, 0.001), (9995, 0.0)):
        env.clock.t += dt
        bar.update(step, [("loss", 0.5)])


def pb_add_and_units(env, rec):
    bar = env.Progbar(100, width=10, unit_name="sample")
    for n in (32, 32, 36):
        env.clock.t += 0.2
        bar.add(n, [("loss", n / 64), ("count", n)])


def pb_array_values(env, rec):
    bar = env.Progbar(2, stateful_metrics=["vec"])
    env.clock.t += 0.1
    bar.update(1, [("vec", np.array([0.25, 0.75])), ("ints", 3)])
    env.clock.t += 0.1
    bar.update(2, [("vec", np.array([0.5, 1.0])), ("ints", 4)])


def pb_zero_target(env, rec):
    bar = env.Progbar(0)
    env.clock.t += 0.1
    bar.update(0, [("loss", 0.5)])


def pb_both_metric_lists(env, rec):
    env.Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


# -- ProgbarLogger through CallbackList ---------------------------------------------------

def drive_fit(env, rec, callbacks, epochs=2, steps=4, verbose=1, declared_steps="same", val=True, dt=0.03,
         model=None):
    model = model or FakeModel(rec)
    cbs = env.callbacks.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                                     verbose=verbose, epochs=epochs,
                                     steps=steps if declared_steps == "same" else declared_steps)
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps):
            cbs.on_train_batch_begin(batch)
            env.clock.t += dt
            logs = {"loss": 1 - (epoch * steps + batch) / 64, "accuracy": (epoch * steps + batch) / 64}
            cbs.on_train_batch_end(batch, {k: env.batch_value(v) for k, v in logs.items()})
        epoch_logs = {"accuracy": logs["accuracy"], "loss": logs["loss"]}
        if val:
            cbs.on_test_begin()
            for batch in range(2):
                cbs.on_test_batch_begin(batch)
                env.clock.t += dt / 3
                cbs.on_test_batch_end(batch, {"loss": env.batch_value(0.5)})
            cbs.on_test_end({"loss": 0.5 + epoch / 16, "accuracy": 0.75})
            epoch_logs.update(val_loss=0.5 + epoch / 16, val_accuracy=0.75)
        cbs.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    cbs.on_train_end(epoch_logs)
    return cbs, model


def log_fit_verbose1(env, rec):
    drive_fit(env, rec, None)


def log_fit_verbose2(env, rec):
    drive_fit(env, rec, None, verbose=2)


def log_fit_auto_one_epoch(env, rec):
    drive_fit(env, rec, None, epochs=1, verbose="auto", val=False, dt=0.2)


def log_fit_unknown_steps(env, rec):
    drive_fit(env, rec, None, steps=3, declared_steps=None, dt=0.02)


def log_fit_slow_steps(env, rec):
    drive_fit(env, rec, None, epochs=1, steps=3, dt=75.0, val=False)


def log_evaluate(env, rec):
    cbs = env.callbacks.CallbackList(None, add_progbar=True, model=FakeModel(rec), verbose=1, epochs=1, steps=3)
    cbs.on_test_begin()
    for batch in range(3):
        cbs.on_test_batch_begin(batch)
        env.clock.t += 0.04
        cbs.on_test_batch_end(batch, {"loss": env.batch_value(batch / 8), "mae": env.batch_value(0.125)})
    cbs.on_test_end({"mae": 0.125, "loss": 0.125})


def log_predict(env, rec):
    cbs = env.callbacks.CallbackList(None, add_progbar=True, model=FakeModel(rec), verbose=1, epochs=1, steps=2)
    cbs.on_predict_begin()
    for batch in range(2):
        cbs.on_predict_batch_begin(batch)
        env.clock.t += 0.06
        cbs.on_predict_batch_end(batch, {"outputs": np.ones((4, 1), dtype="float32")})
    cbs.on_predict_end()


def history(env, rec):
    _, model = drive_fit(env, rec, None, verbose=0)
    hist = model.history
    rec.event("history", type(hist).__name__, hist.history, hist.epoch, hist.params, hist.model is model)
