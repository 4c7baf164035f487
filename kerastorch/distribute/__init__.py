"""`tf.distribute`: strategies that train on several devices through torch.distributed (DDP).

Launch one process per device with `kerastorch run --nproc-per-node N script.py` (torch's
own launcher, `torch.distributed.run`); a model built and compiled inside
`strategy.scope()` then trains with DistributedDataParallel: `batch_size` is the global
batch, each process gets its share, metrics are summed over the processes, and only the
chief (rank 0) prints progress and writes checkpoints and logs.
"""

import types

from kerastorch._missing import missing_names as _missing_names
from kerastorch.distribute.options import (
    CommunicationImplementation,
    CommunicationOptions,
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    NcclAllReduce,
    ReductionToOneDevice,
)
from kerastorch.distribute.sharding import DistributedDataset
from kerastorch.distribute.strategy import (
    MirroredStrategy,
    MultiWorkerMirroredStrategy,
    OneDeviceStrategy,
    ReduceOp,
    ReplicaContext,
    Strategy,
    StrategyExtended,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)

experimental = types.ModuleType(f"{__name__}.experimental", "`tf.distribute.experimental`.")
experimental.__dict__.update(CommunicationImplementation=CommunicationImplementation,
                             CommunicationOptions=CommunicationOptions,
                             MultiWorkerMirroredStrategy=MultiWorkerMirroredStrategy)
experimental.__getattr__ = _missing_names("tf.distribute.experimental", experimental.__name__)

__all__ = [
    "CrossDeviceOps", "DistributedDataset", "HierarchicalCopyAllReduce", "MirroredStrategy",
    "MultiWorkerMirroredStrategy", "NcclAllReduce", "OneDeviceStrategy", "ReduceOp", "ReductionToOneDevice",
    "ReplicaContext", "Strategy", "StrategyExtended", "experimental", "get_replica_context", "get_strategy",
    "has_strategy", "in_cross_replica_context",
]

__getattr__ = _missing_names("tf.distribute", __name__)
