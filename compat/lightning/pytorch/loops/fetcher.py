"""Iterating a combined loader while knowing whether the current batch is the last one."""
from typing import Any, Optional


class DataFetcher:
    """Wraps ``iter(combined_loader)``; looks one batch ahead only when the loader has no length."""

    def __init__(self, combined_loader: Any, length: Optional[float]) -> None:
        iterator = iter(combined_loader)
        # a CombinedLoader may hand out the iterator whose items it would pass through unchanged: one call less a batch
        self.iterator = getattr(iterator, "_passthrough", lambda: iterator)()
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
