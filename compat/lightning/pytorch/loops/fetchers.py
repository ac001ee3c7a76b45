"""``lightning.pytorch.loops.fetchers``: 2.6.6's module path of the data fetcher (see :mod:`.fetcher`)."""
from lightning.pytorch.loops.fetcher import DataFetcher as _DataFetcher

__all__: list = []  # 2.6.6 keeps its fetchers private; the path itself is what user code imports
