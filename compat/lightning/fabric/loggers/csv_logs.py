"""Fabric's ``CSVLogger``: metrics to ``<root_dir>/<name>/version_N/metrics.csv``.

The writing (buffering, header growth, flushing every ``flush_logs_every_n_steps``) is the Trainer's CSV logger;
Fabric's differs in its arguments (``root_dir``), in ``root_dir`` naming the given folder, and in not taking
hyperparameters.
"""
import os
from argparse import Namespace
from typing import Any, Optional, Union

from lightning.pytorch.loggers._files import _next_version, _version_folder
from lightning.pytorch.loggers.csv_logs import CSVLogger as _TrainerCSVLogger


class CSVLogger(_TrainerCSVLogger):
    """Log metrics as CSV rows under ``os.path.join(root_dir, name, version)``.

    Args:
        root_dir: Folder that holds the experiments.
        name: Experiment folder name; ``None`` or ``""`` puts the versions directly in ``root_dir``.
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        prefix: Put in front of every metric name, joined with ``-``.
        flush_logs_every_n_steps: Write buffered rows to disk whenever ``(step + 1)`` is a multiple of this.
    """

    def __init__(self, root_dir: Union[str, os.PathLike], name: Optional[str] = "lightning_logs",
                 version: Optional[Union[int, str]] = None, prefix: str = "",
                 flush_logs_every_n_steps: int = 100) -> None:
        super().__init__(save_dir=root_dir, name=name, version=version, prefix=prefix,
                         flush_logs_every_n_steps=flush_logs_every_n_steps)

    @property
    def root_dir(self) -> str:
        return self._save_dir

    @property
    def version(self) -> Union[int, str]:
        if self._version is None:
            self._version = _next_version(os.path.join(self._save_dir, self.name))
        return self._version

    @property
    def log_dir(self) -> str:
        return os.path.join(self._save_dir, self.name, _version_folder(self.version))

    def log_hyperparams(self, params: Optional[Union[dict[str, Any], Namespace]] = None) -> None:
        raise NotImplementedError(
            "Fabric's `CSVLogger` writes metrics only. Log hyperparameters with the `TensorBoardLogger`, or save "
            "them yourself (e.g. `fabric.save`)."
        )
