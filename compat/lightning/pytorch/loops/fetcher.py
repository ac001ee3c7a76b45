"""Iterating a combined loader while knowing whether the current batch is the last one."""
from typing import Any, Optional


class DataFetcher:
    """Wraps ``iter(combined_loader)``; looks one batch ahead only when the loader has no length."""

    def __init__(self, combined_loader: Any, length: Optional[float], profiler: Any = None,
                 action: str = "") -> None:
        iterator = iter(combined_loader)
        # a CombinedLoader may hand out the iterator whose items it would pass through unchanged: one call less a batch
        self.iterator = getattr(iterator, "_passthrough", lambda: iterator)()
        if profiler is not None:  # each pull is timed under ``action``; without a profiler nothing is in the way
            self.iterator = _Profiled(self.iterator, profiler, action)
        self.length = length if length is not None and length != float("inf") else None
        self.fetched = 0
        self.done = False
        self._peeked: Any = None
        self._has_peeked = False

    def skip(self, n: int) -> None:
        """Advance past ``n`` batches (resuming mid-epoch) without running them. With ``n == 0`` the first batch is
        pulled now all the same: a sampler draws the epoch's order on the first pull, from the RNG state just
        restored for it."""
        for _ in range(n):
            next(self.iterator)
            self.fetched += 1
        if n == 0 and not self._has_peeked:
            try:
                self._peeked = next(self.iterator)
                self._has_peeked = True
            except StopIteration:
                self.done = True

    def __iter__(self) -> "DataFetcher":
        return self

    def __next__(self) -> tuple:
        if self.done:
            raise StopIteration
        if self._has_peeked:
            item = self._peeked
            self._has_peeked = False
        else:
            try:
                item = next(self.iterator)
            except StopIteration:
                self.done = True
                raise
        self.fetched += 1
        if self.length is not None:
            self.done = self.fetched >= self.length
        else:
            try:
                self._peeked = next(self.iterator)
                self._has_peeked = True
            except StopIteration:
                self.done = True
        return item


class _Profiled:
    """An iterator whose every ``next`` is timed by the profiler under one action name."""

    def __init__(self, iterator: Any, profiler: Any, action: str) -> None:
        self.iterator = iterator
        self.profiler = profiler
        self.action = action

    def __next__(self) -> Any:
        with self.profiler.profile(self.action):
            return next(self.iterator)


class DataLoaderIter:
    """What a step that takes ``dataloader_iter`` receives: each ``next`` pulls one ``(batch, batch_idx,
    dataloader_idx)`` from the loop's fetcher, unmoved (the step moves it), and the loop's hooks see the last one
    pulled (before the step's first pull: no batch, index 0), as in 2.6.6."""

    def __init__(self, fetcher: DataFetcher) -> None:
        self.fetcher = fetcher
        self.batch: Any = None
        self.batch_idx = 0
        self.dataloader_idx = 0

    @property
    def done(self) -> bool:
        return self.fetcher.done

    def __iter__(self) -> "DataLoaderIter":
        return self

    def __next__(self) -> tuple:
        item = next(self.fetcher)
        self.batch, self.batch_idx, self.dataloader_idx = item
        return item


def pulled_by_step(pulled: DataLoaderIter) -> Any:
    """An evaluation loop's batches when the step pulls its own: one round per step until the data runs out, each
    with the last batch pulled (none yet: no batch, index 0)."""
    while not pulled.done:
        yield pulled.batch, pulled.batch_idx, pulled.dataloader_idx


def takes_dataloader_iter(step: Any) -> bool:
    """Whether a ``*_step`` method names a ``dataloader_iter`` parameter (it then pulls its batches itself)."""
    from lightning.pytorch.utilities.signature_utils import is_param_in_hook_signature

    return step is not None and is_param_in_hook_signature(step, "dataloader_iter", explicit=True)
