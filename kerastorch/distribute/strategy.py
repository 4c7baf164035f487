"""`tf.distribute` strategies on torch.distributed: one replica per process, DDP between them.

A strategy's `scope()` marks the models built inside it as distributed: their `fit`,
`evaluate` and `predict` shard every global batch across the processes, train through
`DistributedDataParallel` and all-reduce the metrics (`kerastorch/distribute/training.py`).
Outside a launcher (no `RANK`/`WORLD_SIZE`) there is one process and one replica, and a
strategy changes nothing. The scope stack and the replica context are per thread.
"""

from __future__ import annotations

import contextlib
import enum
import threading

import torch

from kerastorch.distribute import cluster, collectives
from kerastorch.distribute.options import CommunicationImplementation
from kerastorch.framework import device as _device


class ReduceOp(enum.Enum):
    """How `Strategy.reduce` and `ReplicaContext.all_reduce` combine the replicas' values."""

    SUM = "SUM"
    MEAN = "MEAN"


class _State(threading.local):
    def __init__(self):
        self.scopes = []  # strategies whose scope is open, innermost last
        self.replica = None  # the ReplicaContext inside `strategy.run`


_state = _State()


class ReplicaContext:
    """What a function run by `strategy.run` sees of its replica (`tf.distribute.ReplicaContext`).

    Args:
        strategy: the strategy running the function.
        replica_id_in_sync_group: this replica's index (the process's rank).
    """

    def __init__(self, strategy: Strategy, replica_id_in_sync_group):
        self.strategy = strategy
        self.replica_id_in_sync_group = replica_id_in_sync_group

    @property
    def num_replicas_in_sync(self) -> int:
        return self.strategy.num_replicas_in_sync

    def all_reduce(self, reduce_op, value, options=None):
        """`value` (a tensor or a structure of them) summed or averaged over the replicas."""
        return _map_raw(lambda raw: collectives.reduce(_op(reduce_op).value, raw, None), value)

    def all_gather(self, value, axis: int, options=None):
        """`value` of every replica, concatenated along `axis` in replica order."""
        return _map_raw(lambda raw: collectives.gather(raw, axis), value)


class StrategyExtended:
    """The strategy's process-level facts (`strategy.extended`)."""

    def __init__(self, strategy: Strategy):
        self._strategy = strategy

    @property
    def should_checkpoint(self) -> bool:
        """Whether this process writes checkpoints (the chief does)."""
        return cluster.is_chief()

    @property
    def should_save_summary(self) -> bool:
        """Whether this process writes summaries (the chief does)."""
        return cluster.is_chief()

    @property
    def worker_devices(self) -> tuple:
        """The device of this process's replica."""
        return (_device.tf_name(self._strategy._device()),)


class Strategy:
    """A way to run a computation on several replicas (`tf.distribute.Strategy`).

    Build and compile a model inside `scope()`; its `fit`, `evaluate` and `predict` then run
    on every replica. `num_replicas_in_sync` is the number of processes training together.
    """

    _spans_processes = False  # replicas in several processes (DDP), rather than this one alone

    def __init__(self):
        self.extended = StrategyExtended(self)

    @property
    def num_replicas_in_sync(self) -> int:
        return cluster.world_size() if self._spans_processes else 1

    @property
    def cluster_resolver(self):
        return None

    def _device(self) -> torch.device:
        return _device.current()

    def _enter(self, stack: contextlib.ExitStack) -> None:
        """Scopes the strategy opens with its own (a device)."""

    @contextlib.contextmanager
    def scope(self):
        """Variables, models and optimizers created inside belong to this strategy."""
        scopes = _state.scopes
        if scopes and scopes[-1] is not self:
            raise RuntimeError(f"Mixing different tf.distribute.Strategy objects: {scopes[-1]} is not {self}")
        scopes.append(self)
        try:
            with contextlib.ExitStack() as stack:
                self._enter(stack)
                yield self
        finally:
            scopes.pop()

    def run(self, fn, args=(), kwargs=None, options=None):
        """`fn(*args, **kwargs)` on this process's replica, inside a replica context."""
        previous = _state.replica
        with self.scope():
            _state.replica = ReplicaContext(self, _replica_id(self))
            try:
                return fn(*args, **(kwargs or {}))
            finally:
                _state.replica = previous

    def reduce(self, reduce_op, value, axis=None):
        """The replicas' values (and, with `axis`, their elements along it) summed or averaged.

        Args:
            reduce_op: a `ReduceOp` or its name (`"SUM"`, `"MEAN"`).
            value: a tensor (or a structure of them) per replica, as `run` returns it.
            axis: None to combine the replicas elementwise; an axis to also reduce along it.
        """
        op = _op(reduce_op).value
        return _map_raw(lambda raw: collectives.reduce(op, raw, axis), value)

    def gather(self, value, axis: int):
        """The replicas' values concatenated along `axis` (sizes along it may differ)."""
        return _map_raw(lambda raw: collectives.gather(raw, axis), value)

    def experimental_local_results(self, value) -> tuple:
        """The values of this process's replicas: one per process."""
        return (value,)

    def experimental_distribute_dataset(self, dataset, options=None):
        """The dataset's batches split across the replicas: each gets its share of every global batch."""
        from kerastorch.distribute.sharding import DistributedDataset

        return DistributedDataset(dataset, self)


class _DefaultStrategy(Strategy):
    """The strategy in effect outside any scope: this process, no distribution."""


class MirroredStrategy(Strategy):
    """Synchronous training with one replica per process, the processes joined by DDP.

    Launched by `kerastorch run --nproc-per-node N script.py` (or `torchrun`), each process
    trains on one device (its local rank's GPU, or the CPU) with its share of every batch;
    DistributedDataParallel averages the gradients. Without a launcher the strategy has one
    replica and training is the same as without it.

    Args:
        devices, cross_device_ops: accepted for compatibility: each process uses one device,
            and DDP does the all-reduce (NCCL on CUDA, gloo on the CPU).

    Example:
        >>> strategy = tf.distribute.MirroredStrategy()
        >>> with strategy.scope():
        ...     model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
        ...     model.compile(optimizer="sgd", loss="mse")
    """

    _spans_processes = True

    def __init__(self, devices=None, cross_device_ops=None):
        super().__init__()
        cluster.connect()


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """`MirroredStrategy` across machines: `kerastorch run --nnodes M --nproc-per-node N ...`.

    Args:
        cluster_resolver: accepted for compatibility (torchrun's environment describes the cluster).
        communication_options: a `tf.distribute.experimental.CommunicationOptions`; its
            `implementation` picks the backend: `NCCL` nccl, `RING` gloo, `AUTO` by device.
    """

    def __init__(self, cluster_resolver=None, communication_options=None):
        Strategy.__init__(self)  # it joins the process group with its own backend, below
        implementation = getattr(communication_options, "implementation", CommunicationImplementation.AUTO)
        cluster.connect({CommunicationImplementation.NCCL: "nccl", CommunicationImplementation.RING: "gloo"}
                        .get(CommunicationImplementation(implementation)))

    @property
    def cluster_resolver(self):
        return _ClusterResolver("worker" if cluster.connected() else None,
                                cluster.rank() if cluster.connected() else None)


class OneDeviceStrategy(Strategy):
    """Everything on one device: the scope places the variables and computations there.

    Args:
        device: a TF device string, e.g. `"/gpu:0"`.
    """

    def __init__(self, device: str):
        super().__init__()
        self._spec = device

    def _device(self) -> torch.device:
        return _device.resolve(self._spec)

    def _enter(self, stack: contextlib.ExitStack) -> None:
        stack.enter_context(_device.device(self._spec))


class _ClusterResolver:
    """This process's task, as TF's cluster resolvers give it (`"worker"`, rank)."""

    def __init__(self, task_type, task_id):
        self.task_type = task_type
        self.task_id = task_id


_default = _DefaultStrategy()


def get_strategy() -> Strategy:
    """The strategy of the innermost open scope, or the default strategy (no distribution)."""
    scopes = _state.scopes
    return scopes[-1] if scopes else _default


def has_strategy() -> bool:
    """Whether a strategy's scope (other than the default one's) is open."""
    return get_strategy() is not _default


def in_cross_replica_context() -> bool:
    """Whether code runs inside a strategy's scope but outside `strategy.run`."""
    return has_strategy() and _state.replica is None


def get_replica_context() -> ReplicaContext | None:
    """The replica context inside `strategy.run`; the default one outside any scope; else None."""
    if _state.replica is not None:
        return _state.replica
    if has_strategy():
        return None
    return ReplicaContext(_default, 0)


def _replica_id(strategy: Strategy):
    from kerastorch.framework.convert import constant

    return constant(cluster.rank() if strategy._spans_processes else 0, dtype="int32")


def _op(reduce_op) -> ReduceOp:
    return reduce_op if isinstance(reduce_op, ReduceOp) else ReduceOp(reduce_op)


def _map_raw(fn, value):
    """`fn` on the torch tensor of every leaf of `value`, giving kerastorch Tensors."""
    from kerastorch.framework.convert import unwrap
    from kerastorch.framework.tensor import wrap
    from kerastorch.keras.engine import nest

    return nest.map(lambda leaf: wrap(fn(unwrap(leaf))), value)
