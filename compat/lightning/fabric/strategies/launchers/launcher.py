"""``_Launcher``: the interface a strategy uses to run a function (Fabric's, or a Trainer entry point) in every
process."""
from abc import ABC, abstractmethod
from typing import Any, Callable


class _Launcher(ABC):
    """Starts the other processes (if it is its job) and runs ``function`` in this one."""

    @property
    @abstractmethod
    def is_interactive_compatible(self) -> bool:
        """Whether it works in a notebook / interactive interpreter (no script to re-run)."""

    @abstractmethod
    def launch(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``function(*args, **kwargs)`` in every process; return what rank zero returned."""

    def kill(self, signum: int) -> None:
        """Send ``signum`` to the processes this launcher started."""
