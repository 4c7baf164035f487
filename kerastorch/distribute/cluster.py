"""The processes a strategy trains on: torch.distributed's process group, as torchrun sets it up.

`torchrun` (or `kerastorch run --nproc-per-node N`) starts one process per device and
tells each its place in the environment: `RANK`, `WORLD_SIZE`, `LOCAL_RANK` and the
rendezvous address. A strategy created in such a process joins the process group
(`nccl` on CUDA, `gloo` on the CPU) and, on CUDA, makes the GPU of its local rank the
one kerastorch places tensors on (`GPU:0` of this process, as with TF's visible
devices). Without those variables there is one process and nothing to join.
"""

from __future__ import annotations

import atexit
import os
import warnings

import torch
import torch.distributed as dist

from kerastorch.framework import device as _device


def launched_world_size() -> int:
    """How many processes the launcher started (`WORLD_SIZE`, 1 when not launched by torchrun)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def connected() -> bool:
    """Whether this process is one of several in a torch.distributed process group."""
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def rank() -> int:
    """This process's rank (0 when it trains alone)."""
    return dist.get_rank() if connected() else 0


def world_size() -> int:
    """The number of processes training together (1 when alone)."""
    return dist.get_world_size() if connected() else 1


def is_chief() -> bool:
    """Whether this process prints progress and writes files (rank 0, or a process alone)."""
    return rank() == 0


def connect(backend: str | None = None) -> None:
    """Joins the process group torchrun describes, once per process; alone, warns when GPUs go unused.

    Args:
        backend: `"nccl"` or `"gloo"`; None picks nccl when CUDA is available, else gloo.
    """
    if launched_world_size() <= 1:
        _warn_unused_gpus()
        return
    if dist.is_initialized():
        return
    gpu = _claim_local_gpu()
    backend = backend or ("nccl" if gpu is not None else "gloo")
    if backend == "nccl":
        dist.init_process_group(backend, device_id=gpu)
    else:
        dist.init_process_group(backend)
    atexit.register(_disconnect)


def _claim_local_gpu() -> torch.device | None:
    """The GPU of this process's local rank, made the current and only visible one."""
    gpus = _device.list_physical_devices("GPU")
    if not gpus:
        return None
    index = int(os.environ.get("LOCAL_RANK", "0")) % len(gpus)
    torch.cuda.set_device(index)
    _device.set_visible_devices([gpus[index]], "GPU")
    return torch.device("cuda", index)


def _disconnect() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def _warn_unused_gpus() -> None:
    count = len(_device.list_logical_devices("GPU"))
    if count > 1:
        warnings.warn(f"kerastorch trains one replica per process: this process uses one of the {count} visible "
                      f"GPUs. To train on all of them, launch the script with `kerastorch run --nproc-per-node "
                      f"{count} script.py`.", stacklevel=3)
