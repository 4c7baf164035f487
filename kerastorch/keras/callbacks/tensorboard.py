"""`keras.callbacks.TensorBoard`: metrics and weight histograms as TensorBoard event files.

The files are written with `torch.utils.tensorboard.SummaryWriter`, which needs the
`tensorboard` package; without it the callback refuses to be created, naming the
package. The layout is Keras's: `log_dir/train` holds `epoch_<name>` scalars (and
`batch_<name>` ones with an `update_freq` in batches), the learning rate and the
weight histograms; `log_dir/validation` holds the `val_` results as `epoch_<name>`
and `evaluation_<name>_vs_iterations`.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Mapping

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback
from kerastorch.keras.callbacks.learning_rate_scheduler import log_learning_rates
from kerastorch.keras.utils.progbar import to_host


def _summary_writer_class():
    """torch's SummaryWriter, or an ImportError saying which package is missing."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as error:
        raise ImportError("The TensorBoard callback writes event files with torch.utils.tensorboard, which "
                          "requires the `tensorboard` package. Install it with `pip install tensorboard`.") \
            from error
    return SummaryWriter


def _write_model_config(writer, model) -> None:
    """The model's JSON as a `graph_keras_model` summary tagged `keras` at step 0 (Keras's)."""
    from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboard.compat.proto.tensor_pb2 import TensorProto
    from tensorboard.compat.proto.types_pb2 import DT_STRING

    try:
        text = model.to_json()
    except (TypeError, ValueError) as error:  # as Keras: a model that cannot be serialized is skipped
        warnings.warn(f"Model failed to serialize as JSON. Ignoring... {error}", stacklevel=3)
        return
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model",
                                                                       content=b"1"))
    tensor = TensorProto(dtype=DT_STRING, string_val=[text.encode("utf-8")])
    summary = Summary(value=[Summary.Value(tag="keras", tensor=tensor, metadata=metadata)])
    writer._get_file_writer().add_summary(summary, global_step=0)


@ser.keras_export("keras.callbacks.TensorBoard")
class TensorBoard(Callback):
    """Writes logs for TensorBoard: metric curves, learning rate, weight histograms.

    Args:
        log_dir: the directory of the event files (one per run is best).
        histogram_freq: every how many epochs to write weight histograms (0: never).
        write_graph: write the model's config (Sequential and functional models), which
            TensorBoard's graph tab draws as a conceptual graph, as Keras does.
        write_images: also write the weights as images (with `histogram_freq`).
        write_steps_per_second: also write the training steps per second.
        update_freq: `"epoch"`, `"batch"` or a number of batches: how often the
            batch-level metrics are written (`"epoch"`: only epoch-level ones).
        profile_batch: must be 0 (profiling is not available on the torch backend).
        embeddings_freq: every how many epochs to save the weights for the embedding
            projector (0: never).
        embeddings_metadata: a metadata file name for every `Embedding` layer, or a
            dict of them by layer name.

    Example:
        >>> tensorboard = tf.keras.callbacks.TensorBoard(log_dir="./logs")
        >>> model.fit(x, y, epochs=2, callbacks=[tensorboard])  # then: tensorboard --logdir=./logs
    """

    _accepts_raw_logs = True  # batch values go to the writer as they are
    _chief_only = True

    def __init__(self, log_dir="logs", histogram_freq: int = 0, write_graph: bool = True,
                 write_images: bool = False, write_steps_per_second: bool = False, update_freq="epoch",
                 profile_batch=0, embeddings_freq: int = 0, embeddings_metadata=None):
        super().__init__()
        if profile_batch:
            raise ValueError("Profiling is not yet available with the torch backend. Please open a PR if you'd "
                             f"like to add this feature. Received: profile_batch={profile_batch} (must be 0)")
        self._writer_class = _summary_writer_class()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._batch_start_time = 0
        self._writers = {}  # created on first use, so that no empty event file appears

    def set_model(self, model):
        self._model = model
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        if self.write_graph:
            writer = self._writer("train")  # opened here even when nothing is written, as in Keras
            if type(model).__name__ in ("Functional", "Sequential"):
                _write_model_config(writer, model)
        if self.embeddings_freq:
            self._configure_embeddings()

    def _writer(self, which: str):
        if which not in self._writers:
            self._writers[which] = self._writer_class(self._train_dir if which == "train" else self._val_dir)
        return self._writers[which]

    def _configure_embeddings(self) -> None:
        from kerastorch.keras.layers import Embedding

        metadata = self.embeddings_metadata
        unclaimed = dict(metadata) if isinstance(metadata, dict) else None
        lines = []
        for layer in self.model.layers:
            if not isinstance(layer, Embedding):
                continue
            # The name Keras gives the first weight in its checkpoints.
            lines += ["embeddings {", '  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"']
            path = metadata if isinstance(metadata, str) else (unclaimed or {}).pop(layer.name, None)
            if path is not None:
                lines.append(f'  metadata_path: "{_escape(path)}"')
            lines.append("}")
        if unclaimed:
            raise ValueError("Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                             f"`embeddings_metadata` argument: {unclaimed.keys()}")
        os.makedirs(self.log_dir, exist_ok=True)
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w") as f:
            f.write("".join(line + "\n" for line in lines))

    def _records_batch(self) -> bool:
        return self.update_freq != "epoch" and self._global_train_batch % self.update_freq == 0

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def on_test_end(self, logs=None):
        optimizer = self.model.optimizer
        if optimizer and hasattr(optimizer, "iterations"):
            step = int(np.asarray(to_host(optimizer.iterations)))
            writer = self._writer("val")
            for name, value in (logs or {}).items():
                writer.add_scalar(f"evaluation_{name}_vs_iterations", value, global_step=step)

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if not self._records_batch():
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            writer.add_scalar("batch_steps_per_second", 1.0 / (time.time() - self._batch_start_time),
                              global_step=self._global_train_batch)
        if isinstance(logs, Mapping):  # fit's logs: a mapping of device scalars, read here only
            for name, value in logs.items():
                writer.add_scalar(f"batch_{name}", value, global_step=self._global_train_batch)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(np.asarray(to_host(self.model.optimizer.iterations)))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            path = os.path.join(self.log_dir, "train", f"keras_embedding.ckpt-{epoch}.weights.h5")
            self.model.save_weights(path)

    def _log_epoch_metrics(self, epoch: int, logs) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer's
        if optimizer is not None:
            log_learning_rates(optimizer, train_logs)
        if self.write_steps_per_second:
            iterations = float(np.asarray(to_host(self.model.optimizer.iterations)))
            train_logs["steps_per_second"] = ((iterations - self._previous_epoch_iterations)
                                              / (time.time() - self._epoch_start_time))
        for which, values in (("train", train_logs), ("val", val_logs)):
            if values:
                writer = self._writer(which)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", value, global_step=epoch)

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                value = np.asarray(to_host(weight))
                writer.add_histogram(f"{name}/histogram", value, global_step=epoch)
                if self.write_images:
                    image = _weight_image(value)
                    if image is not None:
                        writer.add_images(f"{name}/image", image, global_step=epoch, dataformats="NHWC")
        writer.flush()


def _weight_image(weight: np.ndarray) -> np.ndarray | None:
    """A weight as a batch of NHWC images (a kernel per image for convolutions), as Keras draws it."""
    image = np.squeeze(weight)
    if image.ndim == 1:  # a bias
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:  # a dense kernel, drawn wide
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:  # a convolution kernel, channels last: one image per channel
        image = np.transpose(image, (2, 0, 1))[..., None]
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
