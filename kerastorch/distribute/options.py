"""The options of `tf.distribute` strategies that name how replicas communicate.

With DDP the all-reduce is torch's (NCCL on CUDA, gloo on the CPU): of these options only
`CommunicationOptions.implementation` has an effect (it picks the backend); the others are
accepted so that TF scripts run unchanged.
"""

from __future__ import annotations

import enum


class CommunicationImplementation(enum.Enum):
    """The collective implementation of `MultiWorkerMirroredStrategy` (its torch backend)."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


class CommunicationOptions:
    """Options of the cross-process collectives; `implementation` picks the backend.

    Args:
        bytes_per_pack, timeout_seconds: accepted for compatibility.
        implementation: a `CommunicationImplementation`.
    """

    def __init__(self, bytes_per_pack: int = 0, timeout_seconds=None,
                 implementation=CommunicationImplementation.AUTO):
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation


class CrossDeviceOps:
    """How MirroredStrategy all-reduces, accepted for compatibility: DDP does it here."""

    def __init__(self, *args, **kwargs):
        pass


class NcclAllReduce(CrossDeviceOps):
    """TF's NCCL all-reduce; DistributedDataParallel uses NCCL on CUDA already."""


class HierarchicalCopyAllReduce(CrossDeviceOps):
    """TF's hierarchical copy all-reduce; DistributedDataParallel does the all-reduce."""


class ReductionToOneDevice(CrossDeviceOps):
    """TF's reduce-to-one-device all-reduce; DistributedDataParallel does the all-reduce."""
