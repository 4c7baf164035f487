"""Input across replicas: each process takes its share of every global batch (TF's semantics).

`batch_size` stays the global batch: a batch of `n` samples is split into `world`
consecutive parts, the first `n % world` one sample larger (as `numpy.array_split`), and
process `rank` reads part `rank`. Every process walks the same global batches, so all
take the same number of steps.
"""

from __future__ import annotations

from kerastorch.distribute import cluster
from kerastorch.distribute.strategy import Strategy, get_strategy


def current_shard() -> tuple | None:
    """`(rank, world size)` while the strategy in scope trains on several processes, else None."""
    return _shard_of(get_strategy())


def _shard_of(strategy: Strategy) -> tuple | None:
    if strategy._spans_processes and cluster.connected():
        return cluster.rank(), cluster.world_size()
    return None


def bounds(size: int, shard: tuple) -> tuple:
    """`(start, stop)` of the part of a batch of `size` samples that process `rank` reads."""
    rank, world = shard
    base, extra = divmod(size, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def shard_structure(structure, shard: tuple):
    """This process's part of a batch (every leaf with a first axis is cut the same way)."""
    from kerastorch.keras.engine import nest

    sized = [leaf for leaf in nest.flatten(structure) if leaf is not None and len(getattr(leaf, "shape", ())) > 0]
    if not sized:
        return structure
    start, stop = bounds(int(sized[0].shape[0]), shard)
    return nest.map(lambda leaf: leaf[start:stop] if leaf is not None and len(getattr(leaf, "shape", ())) > 0
                    else leaf, structure)


class DistributedDataset:
    """A dataset whose every batch is split across the replicas (`strategy.experimental_distribute_dataset`).

    Iterating it gives this process's share of each batch; `model.fit` given it reads the
    whole dataset and splits the batches itself, as it does for any dataset.

    Args:
        dataset: a batched `tf.data.Dataset` (or any iterable of batches).
        strategy: the strategy whose replicas share the batches.
    """

    def __init__(self, dataset, strategy: Strategy):
        self.dataset = dataset
        self._strategy = strategy

    def __iter__(self):
        shard = _shard_of(self._strategy)
        for batch in self.dataset:
            yield batch if shard is None else shard_structure(batch, shard)
