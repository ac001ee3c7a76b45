"""Facts about batches and dataloaders: batch size inference, lengths, sampler replacement."""
from typing import Any, Generator, Iterable, Optional

import torch
from torch import Tensor
from torch.utils.data import BatchSampler, DataLoader, IterableDataset, Sampler

from lightning.fabric.utilities.rank_zero import WarningCache, rank_zero_warn
from lightning.pytorch.utilities.exceptions import MisconfigurationException

_warning_cache = WarningCache()
warning_cache = _warning_cache  # public name in 2.6.6
BType = Any


def _extract_batch_size(batch: BType) -> Generator[Optional[int], None, None]:
    if isinstance(batch, Tensor):
        yield 1 if batch.ndim == 0 else batch.size(0)
    elif isinstance(batch, (Iterable, dict)) and not isinstance(batch, str):
        items = batch.values() if isinstance(batch, dict) else batch
        for sample in items:
            yield from _extract_batch_size(sample)
    elif hasattr(batch, "__dataclass_fields__"):
        for field in batch.__dataclass_fields__:
            yield from _extract_batch_size(getattr(batch, field))
    else:
        yield None


def extract_batch_size(batch: BType) -> int:
    """The batch size of ``batch``: the first dimension of its first tensor (warns when tensors disagree)."""
    error = (
        "We could not infer the batch_size from the batch. Simplify its structure or pass it explicitly: "
        "`self.log(..., batch_size=batch_size)`."
    )
    batch_size = None
    try:
        for bs in _extract_batch_size(batch):
            if batch_size is None:
                batch_size = bs
            elif batch_size != bs:
                _warning_cache.warn(
                    "Trying to infer the `batch_size` from an ambiguous collection (tensors of different first "
                    f"dimensions). The batch size we found is {batch_size}. Pass `self.log(..., batch_size=...)` to "
                    "choose."
                )
                break
    except RecursionError:
        raise MisconfigurationException(error) from None
    if batch_size is None:
        raise MisconfigurationException(error)
    return batch_size


def has_len(dataloader: Any) -> bool:
    """True if ``len(dataloader)`` works and is not zero-crashing (an iterable dataset may define it)."""
    try:
        length = len(dataloader)
    except (TypeError, NotImplementedError):
        return False
    if length == 0:
        _warning_cache.warn(f"`{type(dataloader).__name__}` returned 0 length. Check that it yields batches.")
    return True


def has_len_all_ranks(dataloader: Any, strategy: Any, allow_zero_length_dataloader_with_multiple_devices: bool = False) -> bool:
    """True if the loader has a length on every process. Warns when it is empty everywhere; raises when it is empty on
    this process only (a warning instead with ``allow_zero_length_dataloader_with_multiple_devices``)."""
    try:
        local_length = len(dataloader)
    except (TypeError, NotImplementedError):
        return False
    name = type(dataloader).__name__
    total = int(strategy.reduce(torch.tensor(local_length, device=strategy.root_device), reduce_op="sum"))
    if total == 0:
        rank_zero_warn(f"Total length of `{name}` across ranks is zero. Check that this is what you meant.")
    elif local_length == 0:
        if not allow_zero_length_dataloader_with_multiple_devices:
            raise RuntimeError(f"`{name}` within local rank has zero length: give every process at least one batch.")
        rank_zero_warn(f"Total length of `{name}` across ranks is zero, but local rank has zero length: the "
                       "processes will see uneven numbers of batches.")
    if isinstance(getattr(dataloader, "dataset", None), IterableDataset):
        rank_zero_warn("Your `IterableDataset` has `__len__` defined: with several workers that length is only "
                       "right if each worker yields its own share of the data.")
    return True


def _is_dataloader_shuffled(dataloader: Any) -> bool:
    sampler = getattr(dataloader, "sampler", None)
    if isinstance(getattr(dataloader, "dataset", None), IterableDataset):
        return False
    return isinstance(sampler, torch.utils.data.RandomSampler)


def _get_sampler(dataloader: DataLoader) -> Optional[Sampler]:
    batch_sampler = getattr(dataloader, "batch_sampler", None)
    if isinstance(batch_sampler, BatchSampler):
        return batch_sampler.sampler
    return getattr(dataloader, "sampler", None)
