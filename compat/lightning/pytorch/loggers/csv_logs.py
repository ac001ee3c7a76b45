"""``CSVLogger``: metrics to ``<save_dir>/<name>/version_N/metrics.csv`` and hyperparameters to ``hparams.yaml``.

Fabric's ``CSVLogger`` (the metrics file, at a local path or an fsspec URL) plus the hyperparameters file and the
Trainer's ``save_dir``.
"""
import os
from argparse import Namespace
from typing import Any, Optional, Union

from lightning.fabric.loggers.csv_logs import CSVLogger as FabricCSVLogger
from lightning.fabric.loggers.csv_logs import _ExperimentWriter
from lightning.fabric.utilities import cloud_io
from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch import _extensions
from lightning.pytorch.loggers.logger import Logger
from lightning.pytorch.loggers.utilities import _convert_params


class ExperimentWriter(_ExperimentWriter):
    """Holds the metric rows and hyperparameters of one CSV run and writes them into ``log_dir``."""

    NAME_HPARAMS_FILE = "hparams.yaml"

    def __init__(self, log_dir: str) -> None:
        super().__init__(log_dir)
        self.hparams: dict[str, Any] = {}

    def log_hparams(self, params: dict[str, Any]) -> None:
        """Add ``params`` to the run's hyperparameters and rewrite ``hparams.yaml``."""
        from lightning.pytorch.core.saving import save_hparams_to_yaml

        self.hparams.update(params)
        save_hparams_to_yaml(os.path.join(self.log_dir, self.NAME_HPARAMS_FILE), self.hparams)


class CSVLogger(Logger, FabricCSVLogger):
    """Log to CSV (metrics) and YAML (hyperparameters) under ``os.path.join(save_dir, name, version)``.

    Args:
        save_dir: Folder that holds the experiments (a local path or an fsspec URL such as ``s3://bucket/logs``).
        name: Experiment folder name; ``None`` or ``""`` puts the versions directly in ``save_dir``.
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        prefix: Put in front of every metric name, joined with ``-``.
        flush_logs_every_n_steps: Write buffered rows to disk whenever ``(step + 1)`` is a multiple of this.
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        save_dir: Union[str, os.PathLike],
        name: Optional[str] = "lightning_logs",
        version: Optional[Union[int, str]] = None,
        prefix: str = "",
        flush_logs_every_n_steps: int = 100,
    ) -> None:
        super().__init__(root_dir=save_dir, name=name, version=version, prefix=prefix,
                         flush_logs_every_n_steps=flush_logs_every_n_steps)
        self._save_dir = os.fspath(save_dir)
        # 1.9.5 wrote hparams.yaml at every save, also with no hyperparameters ("{}"); 1.x code keeps that file
        self._hparams_file_always = _extensions.made_by_1x_code()

    @property
    def root_dir(self) -> str:
        return os.path.join(self._save_dir, self.name)

    @property
    def save_dir(self) -> str:
        return self._save_dir

    def _make_writer(self) -> ExperimentWriter:
        return ExperimentWriter(self.log_dir)

    @rank_zero_only
    def log_hyperparams(self, params: Optional[Union[dict[str, Any], Namespace]] = None) -> None:
        self.experiment.log_hparams(_convert_params(params))

    @rank_zero_only
    def save(self) -> None:
        experiment = self.experiment
        hparams_file = os.path.join(experiment.log_dir, experiment.NAME_HPARAMS_FILE)
        if self._hparams_file_always and not cloud_io._isfile(hparams_file):
            experiment.log_hparams({})
        experiment.save()
