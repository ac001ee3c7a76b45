"""``CSVLogger``: metrics to ``<save_dir>/<name>/version_N/metrics.csv`` and hyperparameters to ``hparams.yaml``.

Rows are buffered in memory and appended to the file every ``flush_logs_every_n_steps`` steps and at the end of the
run; the header is the sorted union of every metric name seen so far plus ``step`` (the file is rewritten with the
wider header when a new name appears), so the file reads the same as the one Lightning 2.x writes.
"""
import csv
import os
from argparse import Namespace
from typing import Any, Optional, Union

from torch import Tensor

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn
from lightning.pytorch.loggers._files import _makedirs, _version_folder, _VersionedDirs
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
from lightning.pytorch.loggers.utilities import _add_prefix, _convert_params


class ExperimentWriter:
    """Holds the metric rows and hyperparameters of one CSV run and writes them into ``log_dir``."""

    NAME_METRICS_FILE = "metrics.csv"
    NAME_HPARAMS_FILE = "hparams.yaml"

    def __init__(self, log_dir: str) -> None:
        self.metrics: list[dict[str, Any]] = []
        self.metrics_keys: list[str] = []
        self.hparams: dict[str, Any] = {}
        self.log_dir = log_dir
        self.metrics_file_path = os.path.join(log_dir, self.NAME_METRICS_FILE)
        self._warn_if_reusing_log_dir()
        _makedirs(log_dir)

    def log_hparams(self, params: dict[str, Any]) -> None:
        """Add ``params`` to the run's hyperparameters and rewrite ``hparams.yaml``."""
        from lightning.pytorch.core.saving import save_hparams_to_yaml

        self.hparams.update(params)
        save_hparams_to_yaml(os.path.join(self.log_dir, self.NAME_HPARAMS_FILE), self.hparams)

    def log_metrics(self, metrics_dict: dict[str, Any], step: Optional[int] = None) -> None:
        """Buffer one row: the metrics (tensors as Python numbers) and ``step``."""
        if step is None:
            step = len(self.metrics)
        row = {key: value.item() if isinstance(value, Tensor) else value for key, value in metrics_dict.items()}
        row["step"] = step
        self.metrics.append(row)

    def save(self) -> None:
        """Append the buffered rows to ``metrics.csv`` (rewriting it first if the header has to grow)."""
        if not self.metrics:
            return
        header_grew = self._record_new_keys()
        file_exists = os.path.isfile(self.metrics_file_path)
        if header_grew and file_exists:
            self._rewrite_with_header(self.metrics_keys)
        with open(self.metrics_file_path, "a" if file_exists else "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=self.metrics_keys)
            if not file_exists:
                writer.writeheader()
            writer.writerows(self.metrics)
        self.metrics = []

    def _record_new_keys(self) -> bool:
        new_keys = set().union(*self.metrics) - set(self.metrics_keys)
        self.metrics_keys = sorted([*self.metrics_keys, *new_keys])
        return bool(new_keys)

    def _rewrite_with_header(self, fieldnames: list[str]) -> None:
        with open(self.metrics_file_path, newline="") as file:
            rows = list(csv.DictReader(file))
        with open(self.metrics_file_path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(rows)

    def _warn_if_reusing_log_dir(self) -> None:
        if os.path.isdir(self.log_dir) and os.listdir(self.log_dir):
            rank_zero_warn(
                f"Experiment logs directory {self.log_dir} exists and is not empty; its metrics.csv is replaced by"
                " this run's. Pass a new `version` to keep the old one."
            )
            if os.path.isfile(self.metrics_file_path):
                os.remove(self.metrics_file_path)


class CSVLogger(_VersionedDirs, Logger):
    """Log to CSV (metrics) and YAML (hyperparameters) under ``os.path.join(save_dir, name, version)``.

    Args:
        save_dir: Folder that holds the experiments.
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
        super().__init__()
        if not isinstance(flush_logs_every_n_steps, int) or flush_logs_every_n_steps < 1:
            raise ValueError(
                f"`CSVLogger(flush_logs_every_n_steps={flush_logs_every_n_steps!r})`: expected a positive int."
            )
        self._save_dir = os.fspath(save_dir)
        self._name = name or ""
        self._version = version
        self._prefix = prefix
        self._flush_logs_every_n_steps = flush_logs_every_n_steps
        self._experiment: Optional[ExperimentWriter] = None
        from lightning.pytorch import _extensions

        # 1.9.5 wrote hparams.yaml at every save, also with no hyperparameters ("{}"); 1.x code keeps that file
        self._hparams_file_always = _extensions.made_by_1x_code()

    @property
    def log_dir(self) -> str:
        return os.path.join(self.root_dir, _version_folder(self.version))

    @property
    @rank_zero_experiment
    def experiment(self) -> ExperimentWriter:
        """The ``ExperimentWriter`` of this run (created, with its folder, on first use)."""
        if self._experiment is None:
            _makedirs(self.root_dir)
            self._experiment = ExperimentWriter(self.log_dir)
        return self._experiment

    @rank_zero_only
    def log_hyperparams(self, params: Optional[Union[dict[str, Any], Namespace]] = None) -> None:
        self.experiment.log_hparams(_convert_params(params))

    @rank_zero_only
    def log_metrics(self, metrics: dict[str, Union[Tensor, float]], step: Optional[int] = None) -> None:
        metrics = _add_prefix(metrics, self._prefix, self.LOGGER_JOIN_CHAR)
        if step is None:
            step = len(self.experiment.metrics)
        self.experiment.log_metrics(metrics, step)
        if (step + 1) % self._flush_logs_every_n_steps == 0:
            self.save()

    @rank_zero_only
    def save(self) -> None:
        experiment = self.experiment
        hparams_file = os.path.join(experiment.log_dir, experiment.NAME_HPARAMS_FILE)
        if self._hparams_file_always and not os.path.isfile(hparams_file):
            experiment.log_hparams({})
        experiment.save()

    @rank_zero_only
    def finalize(self, status: str) -> None:
        if self._experiment is not None:
            self.save()
