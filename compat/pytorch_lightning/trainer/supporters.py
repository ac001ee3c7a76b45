"""``pytorch_lightning.trainer.supporters`` (1.x-only): ``CombinedLoader`` with its 1.x behaviour.

2.x moved it to ``lightning.pytorch.utilities.CombinedLoader`` and changed it: ``.loaders`` became ``.iterables``,
``len()`` needs ``iter()`` first, and iterating yields ``(batch, batch_idx, dataloader_idx)``. This subclass keeps
the 1.x contract for code that imports it from here; ``isinstance`` checks against the 2.x class still pass.
"""
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union

from lightning.pytorch.utilities.combined_loader import CombinedLoader as _CombinedLoader
from lightning.pytorch._legacy.usage import legacy_usage
from lit_migrate import legacy_facts as _facts

legacy_usage(f"`pytorch_lightning.trainer.supporters` is a 1.x module; in Lightning 2.x it is "
             f"`lightning.pytorch.utilities.combined_loader` ({_facts.MODULE_MOVES['pytorch_lightning.trainer.supporters'].review}).",
             error=ModuleNotFoundError, stacklevel=3)


def _lengths(collection: Any) -> Any:
    """1.x: the length of every loader in a nested collection (non-iterable leaves count as themselves)."""
    if isinstance(collection, Mapping):
        return [_lengths(v) for v in collection.values()]
    if isinstance(collection, Sequence) and not isinstance(collection, str):
        return [_lengths(v) for v in collection]
    if isinstance(collection, Iterable):
        try:
            return len(collection)
        except (TypeError, NotImplementedError):
            return float("inf")
    return collection


def _reduce(lengths: Any, pick: Any) -> Union[int, float]:
    if isinstance(lengths, list):
        values = [_reduce(v, pick) for v in lengths]
        return pick(values) if values else 0
    return lengths


class CombinedLoader(_CombinedLoader):
    """The 1.x ``CombinedLoader``: ``loaders``, ``len()`` at any time, iteration yields the batch only."""

    def __init__(self, loaders: Any, mode: str = "min_size") -> None:
        if mode not in ("min_size", "max_size_cycle"):
            raise ValueError(f"CombinedLoader(mode={mode!r}): 1.x supported 'min_size' and 'max_size_cycle'.")
        super().__init__(loaders, mode)

    @property
    def loaders(self) -> Any:
        return self.iterables

    def __len__(self) -> int:
        return _reduce(_lengths(self.iterables), max if self._mode == "max_size_cycle" else min)

    def __next__(self) -> Any:
        return super().__next__()[0]
