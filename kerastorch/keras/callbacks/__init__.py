"""`tf.keras.callbacks`: hooks into `fit`, `evaluate` and `predict` (Keras 3's callbacks)."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.callbacks.backup_and_restore import BackupAndRestore
from kerastorch.keras.callbacks.callback import Callback, CallbackList
from kerastorch.keras.callbacks.csv_logger import CSVLogger
from kerastorch.keras.callbacks.early_stopping import EarlyStopping
from kerastorch.keras.callbacks.history import History
from kerastorch.keras.callbacks.lambda_callback import LambdaCallback
from kerastorch.keras.callbacks.learning_rate_scheduler import LearningRateScheduler
from kerastorch.keras.callbacks.model_checkpoint import ModelCheckpoint
from kerastorch.keras.callbacks.progbar_logger import ProgbarLogger
from kerastorch.keras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kerastorch.keras.callbacks.tensorboard import TensorBoard
from kerastorch.keras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
    "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TensorBoard",
    "TerminateOnNaN",
]

__getattr__ = _missing_names("tf.keras.callbacks", __name__)
