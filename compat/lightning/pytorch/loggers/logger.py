"""The ``Logger`` base class that every experiment logger implements, plus the do-nothing stand-ins.

A logger is told the run's hyperparameters once (``log_hyperparams``), metrics as they are produced
(``log_metrics(metrics, step)``), optionally the model graph, and is asked to ``save`` / ``finalize`` at the end.
``rank_zero_experiment`` makes ``logger.experiment`` a harmless dummy on every process except global rank zero.
"""
from abc import ABC, abstractmethod
from argparse import Namespace
from collections.abc import Mapping, Sequence
from functools import wraps
from typing import Any, Callable, Optional, Union

from torch import Tensor
from torch.nn import Module

from lightning.fabric.utilities.rank_zero import rank_zero_only


class Logger(ABC):
    """Subclass this to send a run's hyperparameters and metrics somewhere; pass it as ``Trainer(logger=...)``.

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
    def save_dir(self) -> Optional[str]:
        """The folder the logger was asked to write into, or ``None`` when nothing is written locally."""
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

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        """Called after ``checkpoint_callback`` wrote a checkpoint (loggers that upload checkpoints use this)."""


def rank_zero_experiment(fn: Callable) -> Callable:
    """Decorate a logger's ``experiment`` property body: on processes other than global rank zero it returns a
    ``DummyExperiment`` instead, so user code calling ``logger.experiment.anything(...)`` runs everywhere."""

    @wraps(fn)
    def experiment(self: Logger) -> Any:
        if rank_zero_only.rank > 0:
            return DummyExperiment()
        return fn(self)

    return experiment


class DummyExperiment:
    """An experiment object on which every method call, item access and item assignment does nothing."""

    def nop(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Callable:
        return self.nop

    def __getitem__(self, idx: Any) -> "DummyExperiment":
        return self

    def __setitem__(self, *args: Any, **kwargs: Any) -> None:
        return None


class DummyLogger(Logger):
    """A logger that records nothing; used where the user's loggers must be switched off for a while (e.g. while a
    tuner runs) without breaking user code that calls ``self.logger...``."""

    def __init__(self) -> None:
        super().__init__()
        self._experiment = DummyExperiment()

    @property
    def experiment(self) -> DummyExperiment:
        return self._experiment

    def log_metrics(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_hyperparams(self, *args: Any, **kwargs: Any) -> None:
        return None

    @property
    def name(self) -> str:
        return ""

    @property
    def version(self) -> str:
        return ""

    def __getitem__(self, idx: int) -> "DummyLogger":
        return self

    def __getattr__(self, name: str) -> Callable:
        if name.startswith("__"):  # keep copy/pickle protocol lookups honest
            raise AttributeError(name)

        def method(*args: Any, **kwargs: Any) -> None:
            return None

        return method


def __getattr__(name: str) -> Any:
    # ``merge_dicts`` defaults to ``statistics.mean`` (as in 2.x); ``statistics`` pulls in ``fractions`` and
    # ``decimal``, so the function lives in its own module, imported when first asked for.
    if name == "merge_dicts":
        from lightning.pytorch.loggers._merge_dicts import merge_dicts

        return merge_dicts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
