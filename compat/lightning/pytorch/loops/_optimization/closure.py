"""``lightning.pytorch.loops.optimization.closure``: the public closure protocol of 2.6.6.

A closure is called by ``optimizer.step(closure)``; it returns the loss and keeps the full result of the step for
the caller to ``consume_result()``. The Trainer's own per-batch closure (``loops.optimization.Closure``) is a leaner
object on the hot path; these classes are for code that builds closures the 2.6.6 way.
"""
from abc import ABC, abstractmethod
from typing import Any, Generic, Optional, TypeVar

from lightning.pytorch.utilities.exceptions import MisconfigurationException


class OutputResult:
    """What one optimization step produced; ``asdict()`` is what the loop hands to the ``on_train_batch_end`` hooks."""

    def asdict(self) -> dict:
        raise NotImplementedError


T = TypeVar("T", bound=OutputResult)


class AbstractClosure(ABC, Generic[T]):
    """Subclasses implement ``closure``; calling the object runs it and returns the loss the optimizer needs."""

    def __init__(self) -> None:
        super().__init__()
        self._result: Optional[T] = None

    def consume_result(self) -> T:
        """The result of the last call, handed out once."""
        if self._result is None:
            raise MisconfigurationException("The closure has not been called (no result to consume): call it, or "
                                            "pass it to `optimizer.step(closure)`, first.")
        result, self._result = self._result, None
        return result

    @abstractmethod
    def closure(self, *args: Any, **kwargs: Any) -> T:
        """Run the step and return its result."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._result = self.closure(*args, **kwargs)
        return getattr(self._result, "loss", None)
