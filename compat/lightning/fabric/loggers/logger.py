"""The ``Logger`` base class of Fabric's and the Trainer's loggers, and ``rank_zero_experiment``.

A logger is told the run's hyperparameters (``log_hyperparams``), metrics as they are produced
(``log_metrics(metrics, step)``), optionally the model graph, and is asked to ``save`` / ``finalize`` at the end.
``rank_zero_experiment`` makes ``logger.experiment`` a harmless dummy on every process except global rank zero.
"""
from abc import ABC, abstractmethod
from argparse import Namespace
from functools import wraps
from typing import Any, Callable, Optional, Union

from torch import Tensor
from torch.nn import Module

from lightning.fabric.utilities.rank_zero import rank_zero_only


class Logger(ABC):
    """Subclass this to send a run's hyperparameters and metrics somewhere.

    Required: ``name``, ``version``, ``log_metrics`` and ``log_hyperparams``. The directory properties return
    ``None`` for loggers that keep nothing on the local disk.
    """

    @property
    @abstractmethod
    def name(self) -> Optional[str]:
        """The experiment's name."""

    @property
    @abstractmethod
    def version(self) -> Optional[Union[int, str]]:
        """The experiment's version (an int for ``version_N`` folders, or any string)."""

    @property
    def root_dir(self) -> Optional[str]:
        """Folder holding every version of this experiment, or ``None`` when nothing is written locally."""
        return None

    @property
    def log_dir(self) -> Optional[str]:
        """Folder of this version of the experiment, or ``None`` when nothing is written locally."""
        return None

    @property
    def group_separator(self) -> str:
        """The character that splits metric names into groups (``"train/loss"``)."""
        return "/"

    @abstractmethod
    def log_metrics(self, metrics: dict[str, float], step: Optional[int] = None) -> None:
        """Record ``metrics`` (name -> number) at ``step``, right away."""

    @abstractmethod
    def log_hyperparams(self, params: Union[dict[str, Any], Namespace], *args: Any, **kwargs: Any) -> None:
        """Record the run's hyperparameters (a dict or ``Namespace``); extra arguments are logger-specific."""

    def log_graph(self, model: Module, input_array: Optional[Tensor] = None) -> None:
        """Record the model's computation graph, traced with ``input_array`` (default: does nothing)."""

    def save(self) -> None:
        """Write out whatever is buffered (default: does nothing)."""

    def finalize(self, status: str) -> None:
        """Called once when the run ends with ``status`` ``"success"``, ``"failed"`` or ``"aborted"``."""
        self.save()


def rank_zero_experiment(fn: Callable) -> Callable:
    """Decorate a logger's ``experiment`` property body: on processes other than global rank zero it returns a
    dummy experiment instead, so user code calling ``logger.experiment.anything(...)`` runs everywhere."""

    @wraps(fn)
    def experiment(self: Logger) -> Any:
        if rank_zero_only.rank > 0:
            return _DummyExperiment()
        return fn(self)

    return experiment


class _DummyExperiment:
    """An experiment object on which every method call, item access and item assignment does nothing."""

    def nop(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Callable:
        return self.nop

    def __getitem__(self, idx: Any) -> "_DummyExperiment":
        return self

    def __setitem__(self, *args: Any, **kwargs: Any) -> None:
        return None
