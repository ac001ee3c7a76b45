"""``CombinedLoader``: iterate several dataloaders (a list, dict or nested collection) as one.

Modes: ``min_size`` (stop with the shortest), ``max_size_cycle`` (cycle the shorter ones until the longest ends),
``max_size`` (shorter ones give None once exhausted) and ``sequential`` (one loader after the other, yielding the
dataloader index). Every mode yields ``(batch, batch_idx, dataloader_idx)``.
"""
from typing import Any, Iterator, Optional

from torch.utils._pytree import SUPPORTED_NODES, TreeSpec, _get_node_type, tree_flatten, tree_unflatten

_MODES = ("min_size", "max_size_cycle", "max_size", "sequential")


def _length(iterable: Any) -> Optional[int]:
    try:
        return len(iterable)
    except (TypeError, NotImplementedError):
        return None


class _ModeIterator:
    def __init__(self, iterables: list, limits: Optional[list]) -> None:
        self.iterables = iterables
        self.limits = limits
        self.iterators: list = []
        self.idx = 0

    def __iter__(self) -> "_ModeIterator":
        self.iterators = [iter(it) for it in self.iterables]
        self.idx = 0
        return self

    def _combined_length(self, combine: Any) -> int:
        """The number of batches when the iterables' lengths are combined with ``combine`` (min or max)."""
        lengths = [_length(it) for it in self.iterables]
        if any(n is None for n in lengths):
            raise TypeError("a dataloader has no length")
        n = combine(lengths) if lengths else 0
        return min([n, *self.limits]) if self.limits is not None else n

    def _limit_reached(self) -> bool:
        return self.limits is not None and self.idx >= min(self.limits)


class _MinSize(_ModeIterator):
    def __next__(self) -> tuple:
        if self._limit_reached():
            raise StopIteration
        out = [next(it) for it in self.iterators]
        index = self.idx
        self.idx += 1
        return out, index, 0

    def __len__(self) -> int:
        return self._combined_length(min)


class _MaxSizeCycle(_ModeIterator):
    def __iter__(self) -> "_MaxSizeCycle":
        super().__iter__()
        self.consumed = [False] * len(self.iterables)
        return self

    def __next__(self) -> tuple:
        if self._limit_reached():
            raise StopIteration
        out = []
        for i, it in enumerate(self.iterators):
            try:
                out.append(next(it))
            except StopIteration:
                self.consumed[i] = True
                if all(self.consumed):
                    raise
                self.iterators[i] = iter(self.iterables[i])
                out.append(next(self.iterators[i]))
        if all(self.consumed):
            raise StopIteration
        index = self.idx
        self.idx += 1
        return out, index, 0

    def __len__(self) -> int:
        return self._combined_length(max)


class _MaxSize(_MaxSizeCycle):
    def __next__(self) -> tuple:
        if self._limit_reached():
            raise StopIteration
        out = []
        for i, it in enumerate(self.iterators):
            if self.consumed[i]:
                out.append(None)
                continue
            try:
                out.append(next(it))
            except StopIteration:
                self.consumed[i] = True
                out.append(None)
        if all(self.consumed):
            raise StopIteration
        index = self.idx
        self.idx += 1
        return out, index, 0


class _Sequential(_ModeIterator):
    def __iter__(self) -> "_Sequential":
        self.iterator_idx = 0
        self.idx = 0
        self._current: Optional[Iterator] = None
        self._open()
        return self

    def _open(self) -> None:
        while self.iterator_idx < len(self.iterables):
            limit = self.limits[self.iterator_idx] if self.limits is not None else None
            if limit == 0:
                self.iterator_idx += 1
                continue
            self._current = iter(self.iterables[self.iterator_idx])
            return
        self._current = None

    def __next__(self) -> tuple:
        while self._current is not None:
            limit = self.limits[self.iterator_idx] if self.limits is not None else None
            if limit is None or self.idx < limit:
                try:
                    batch = next(self._current)
                    index = self.idx
                    self.idx += 1
                    return batch, index, self.iterator_idx
                except StopIteration:
                    pass
            self.iterator_idx += 1
            self.idx = 0
            self._open()
        raise StopIteration

    def __len__(self) -> int:
        total = 0
        for i, it in enumerate(self.iterables):
            n = _length(it)
            if n is None:
                raise TypeError("a dataloader has no length")
            if self.limits is not None:
                n = min(n, self.limits[i])
            total += n
        return total


class _Single(_ModeIterator):
    """One iterable (not a collection): every mode but "sequential" is plain iteration; no packing per batch."""

    def __next__(self) -> tuple:
        if self.limits is not None and self.idx >= self.limits[0]:  # _limit_reached(), inlined: runs every step
            raise StopIteration
        batch = next(self.iterators[0])
        index = self.idx
        self.idx += 1
        return batch, index, 0

    def __len__(self) -> int:
        return self._combined_length(min)


_ITERATORS = {"min_size": _MinSize, "max_size_cycle": _MaxSizeCycle, "max_size": _MaxSize, "sequential": _Sequential}


def _flatten(tree: Any) -> tuple:
    """``tree_flatten`` that keeps a container of plain values (``[0, 1]``, ``{"a": 1}``) whole: such a container is
    one iterable to load from, not a collection of iterables (2.6.6 reads ``trainer.test(model, [0, 1])`` so)."""
    node = SUPPORTED_NODES.get(_get_node_type(tree))
    if node is None:
        return tree_flatten(tree)
    children, context = node.flatten_fn(tree)
    if all(isinstance(child, (int, float, str)) for child in children):
        return [tree], tree_flatten(object())[1]  # a leaf spec
    flat: list = []
    specs = []
    for child in children:
        child_flat, child_spec = _flatten(child)
        flat += child_flat
        specs.append(child_spec)
    return flat, TreeSpec(_get_node_type(tree), context, specs)


class CombinedLoader:
    """Combine a collection of iterables (dataloaders) into one iterable; see the module docstring for the modes."""

    def __init__(self, iterables: Any, mode: str = "min_size") -> None:
        if mode not in _MODES:
            raise ValueError(f"Unsupported mode {mode!r}, please select one of: {_MODES}.")
        self._iterables = iterables
        self._flattened, self._spec = _flatten(iterables)
        self._mode = mode
        self._iterator: Optional[_ModeIterator] = None
        self._limits: Optional[list] = None

    @property
    def iterables(self) -> Any:
        return self._iterables

    @property
    def flattened(self) -> list:
        """The leaf iterables, in order."""
        return self._flattened

    @flattened.setter
    def flattened(self, flattened: list) -> None:
        if len(flattened) != len(self._flattened):
            raise ValueError(f"Mismatch in flattened length ({len(flattened)}) and existing length ({len(self._flattened)})")
        self._iterables = tree_unflatten(flattened, self._spec)
        self._flattened = flattened

    @property
    def limits(self) -> Optional[list]:
        return self._limits

    @limits.setter
    def limits(self, limits: Any) -> None:
        if limits is None or isinstance(limits, list):
            self._limits = limits
        else:
            self._limits = [limits] * len(self._flattened)

    @property
    def sampler(self) -> Any:
        return tree_unflatten([getattr(dl, "sampler", None) for dl in self._flattened], self._spec)

    @property
    def batch_sampler(self) -> Any:
        return tree_unflatten([getattr(dl, "batch_sampler", None) for dl in self._flattened], self._spec)

    def _mode_iterator(self) -> _ModeIterator:
        if self._mode != "sequential" and self._spec.is_leaf():
            return _Single(self._flattened, self._limits)
        return _ITERATORS[self._mode](self._flattened, self._limits)

    def __iter__(self) -> "CombinedLoader":
        iterator = self._mode_iterator()
        iter(iterator)
        self._iterator = iterator
        return self

    def _passthrough(self) -> Any:
        """What to call ``next`` on after ``iter(self)``: the mode iterator when ``__next__`` would return its items
        as they are (one loader, or sequential mode), else ``self``."""
        return self._iterator if isinstance(self._iterator, (_Sequential, _Single)) else self

    def __next__(self) -> tuple:
        assert self._iterator is not None
        out = next(self._iterator)
        if isinstance(self._iterator, (_Sequential, _Single)):
            return out
        batch, batch_idx, dataloader_idx = out
        return tree_unflatten(batch, self._spec), batch_idx, dataloader_idx

    def __len__(self) -> int:
        return len(self._mode_iterator())

    def reset(self) -> None:
        self._iterator = None

    def _state_dicts(self) -> list:
        return [dl.state_dict() for dl in self._flattened if hasattr(dl, "state_dict")]

    def _load_state_dicts(self, states: list) -> None:
        stateful = [dl for dl in self._flattened if hasattr(dl, "load_state_dict")]
        for dl, state in zip(stateful, states):
            dl.load_state_dict(state)
