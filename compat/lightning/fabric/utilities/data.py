"""Data containers and dataloader helpers shared by the Trainer and Fabric."""
from typing import Any


class AttributeDict(dict):
    """A dict whose keys are also attributes: ``hparams.lr`` and ``hparams["lr"]`` are the same value."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{key}'") from e

    def __setattr__(self, key: str, val: Any) -> None:
        self[key] = val

    def __delattr__(self, item: str) -> None:
        if item not in self:
            raise KeyError(item)
        del self[item]

    def __repr__(self) -> str:
        if not self:
            return ""
        width = max(len(str(k)) for k in self)
        return "\n".join(f'"{k}":'.ljust(width + 3) + f" {self[k]}" for k in sorted(self, key=str))


def suggested_max_num_workers(local_world_size: int) -> int:
    """An upper bound for ``DataLoader(num_workers=...)``: the CPUs this process may use, shared among the
    ``local_world_size`` processes on this machine, keeping one for the main process (at least 1)."""
    if local_world_size < 1:
        raise ValueError(f"`local_world_size` should be >= 1, got {local_world_size}.")
    return max(1, _num_cpus_available() // local_world_size - 1)


def _num_cpus_available() -> int:
    import os

    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def sized_len(dataloader: object) -> "int | None":
    """``len(dataloader)``, or None when it has no length."""
    try:
        return len(dataloader)  # type: ignore[arg-type]
    except (TypeError, NotImplementedError):
        return None


def has_iterable_dataset(dataloader: object) -> bool:
    from torch.utils.data import IterableDataset

    return isinstance(getattr(dataloader, "dataset", None), IterableDataset)


def has_len(dataloader: object) -> bool:
    """Whether ``len(dataloader)`` works; warns about a zero length and about a length on an iterable dataset
    (with several workers each would yield the whole length unless the dataset splits itself per worker)."""
    from lightning.fabric.utilities.rank_zero import rank_zero_warn

    length = sized_len(dataloader)
    if length == 0:
        rank_zero_warn(f"`{type(dataloader).__name__}` returned 0 length: it will yield no batches.")
    if length is not None and has_iterable_dataset(dataloader):
        rank_zero_warn("Your `IterableDataset` has `__len__` defined: with several workers that length is only "
                       "right if each worker yields its own share of the data.")
    return length is not None


def _rebuild_with_sampler(loader: Any, sampler: Any) -> Any:
    """A copy of the ``DataLoader`` ``loader`` with another sampler (all other constructor arguments kept)."""
    from torch.utils.data import DataLoader

    # the loader's generator stays: its workers' base seed is drawn from it (2.6.6 keeps it too)
    return DataLoader(loader.dataset, batch_size=loader.batch_size, sampler=sampler, drop_last=loader.drop_last,
                      generator=loader.generator, **_worker_arguments(loader))


def _rebuild_with_batch_sampler(loader: Any, batch_sampler: Any) -> Any:
    """A copy of the ``DataLoader`` ``loader`` drawing its batches from ``batch_sampler`` (other arguments kept)."""
    from torch.utils.data import DataLoader

    return DataLoader(loader.dataset, batch_sampler=batch_sampler, generator=loader.generator,
                      **_worker_arguments(loader))


def _worker_arguments(loader: Any) -> dict:
    """How ``loader`` collates and runs its workers: the constructor arguments a rebuilt copy keeps."""
    return dict(
        num_workers=loader.num_workers, collate_fn=loader.collate_fn, pin_memory=loader.pin_memory,
        timeout=loader.timeout, worker_init_fn=loader.worker_init_fn,
        persistent_workers=getattr(loader, "persistent_workers", False),
        multiprocessing_context=loader.multiprocessing_context, prefetch_factor=loader.prefetch_factor,
    )
