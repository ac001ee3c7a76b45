"""The ``Logger`` base class that every experiment logger implements, plus the do-nothing stand-ins.

A logger is told the run's hyperparameters once (``log_hyperparams``), metrics as they are produced
(``log_metrics(metrics, step)``), optionally the model graph, and is asked to ``save`` / ``finalize`` at the end.
``rank_zero_experiment`` makes ``logger.experiment`` a harmless dummy on every process except global rank zero.
"""
from abc import ABC
from typing import Any, Callable, Optional

from lightning.fabric.loggers.logger import Logger as _FabricLogger
from lightning.fabric.loggers.logger import _DummyExperiment, rank_zero_experiment  # noqa: F401 - public here too


class Logger(_FabricLogger, ABC):
    """Subclass this to send a run's hyperparameters and metrics somewhere; pass it as ``Trainer(logger=...)``.

    Fabric's ``Logger`` plus what the Trainer asks of a logger: ``save_dir`` (where ``ModelCheckpoint`` puts its
    folder) and ``after_save_checkpoint`` (for loggers that upload checkpoints).
    """

    @property
    def save_dir(self) -> Optional[str]:
        """The folder the logger was asked to write into, or ``None`` when nothing is written locally."""
        return None

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        """Called after ``checkpoint_callback`` wrote a checkpoint (loggers that upload checkpoints use this)."""


DummyExperiment = _DummyExperiment


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
