"""The ``Profiler`` interface and ``PassThroughProfiler`` (the default: records nothing, costs nothing)."""
import contextlib
from abc import ABC, abstractmethod
from typing import Any, Generator, Optional


class Profiler(ABC):
    """Times named actions (``with profiler.profile("name"):``) and summarises them in ``describe()``."""

    def __init__(self, dirpath: Optional[Any] = None, filename: Optional[str] = None) -> None:
        self.dirpath = dirpath
        self.filename = filename
        self._stage: Optional[str] = None
        self._local_rank: Optional[int] = None

    @abstractmethod
    def start(self, action_name: str) -> None:
        """Start timing ``action_name``."""

    @abstractmethod
    def stop(self, action_name: str) -> None:
        """Stop timing ``action_name``."""

    def summary(self) -> str:
        return ""

    @contextlib.contextmanager
    def profile(self, action_name: str) -> Generator:
        try:
            self.start(action_name)
            yield action_name
        finally:
            self.stop(action_name)

    def describe(self) -> None:
        """Write or print the summary (on rank zero)."""
        summary = self.summary()
        if summary:
            print(summary)

    def setup(self, stage: str, local_rank: Optional[int] = None, log_dir: Optional[str] = None) -> None:
        self._stage = stage
        self._local_rank = local_rank
        self.dirpath = self.dirpath or log_dir

    def teardown(self, stage: Optional[str]) -> None:
        pass


class PassThroughProfiler(Profiler):
    """Records nothing; the Trainer skips profiling entirely when this is the profiler."""

    def start(self, action_name: str) -> None:
        pass

    def stop(self, action_name: str) -> None:
        pass
