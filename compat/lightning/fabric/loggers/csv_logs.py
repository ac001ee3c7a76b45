"""Fabric's ``CSVLogger``: metrics to ``<root_dir>/<name>/version_N/metrics.csv``, at a local path or an fsspec URL.

Rows are buffered in memory and appended to the file every ``flush_logs_every_n_steps`` steps and at the end of the
run; the header is the sorted union of every metric name seen so far plus ``step`` (the file is rewritten with the
wider header when a new name appears), so the file reads the same as the one Lightning 2.x writes. The Trainer's
``CSVLogger`` adds ``hparams.yaml``.
"""
import csv
import os
from argparse import Namespace
from typing import Any, Optional, Union

from torch import Tensor

from lightning.fabric.loggers._files import _makedirs, _NumberedVersions, _version_folder
from lightning.fabric.loggers._params import _add_prefix
from lightning.fabric.loggers.logger import Logger, rank_zero_experiment
from lightning.fabric.utilities import cloud_io
from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn


class _ExperimentWriter:
    """Holds the metric rows of one CSV run and writes them into ``log_dir``."""

    NAME_METRICS_FILE = "metrics.csv"

    def __init__(self, log_dir: str) -> None:
        self.metrics: list[dict[str, Any]] = []
        self.metrics_keys: list[str] = []
        self.log_dir = log_dir
        self.metrics_file_path = os.path.join(log_dir, self.NAME_METRICS_FILE)
        self._warn_if_reusing_log_dir()
        _makedirs(log_dir)

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
        file_exists = cloud_io._isfile(self.metrics_file_path)
        if header_grew and file_exists:
            self._rewrite_with_header(self.metrics_keys)
        with cloud_io._open(self.metrics_file_path, "a" if file_exists else "w", newline="") as file:
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
        with cloud_io._open(self.metrics_file_path, "r", newline="") as file:
            rows = list(csv.DictReader(file))
        with cloud_io._open(self.metrics_file_path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(rows)

    def _warn_if_reusing_log_dir(self) -> None:
        if cloud_io._isdir(self.log_dir) and cloud_io._listdir(self.log_dir):
            rank_zero_warn(
                f"Experiment logs directory {self.log_dir} exists and is not empty; its metrics.csv is replaced by"
                " this run's. Pass a new `version` to keep the old one."
            )
            if cloud_io._isfile(self.metrics_file_path):
                cloud_io._remove(self.metrics_file_path)


class CSVLogger(_NumberedVersions, Logger):
    """Log metrics as CSV rows under ``os.path.join(root_dir, name, version)``.

    Args:
        root_dir: Folder that holds the experiments (a local path or an fsspec URL such as ``s3://bucket/logs``).
        name: Experiment folder name; ``None`` or ``""`` puts the versions directly in ``root_dir``.
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        prefix: Put in front of every metric name, joined with ``-``.
        flush_logs_every_n_steps: Write buffered rows to disk whenever ``(step + 1)`` is a multiple of this.
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        root_dir: Union[str, os.PathLike],
        name: Optional[str] = "lightning_logs",
        version: Optional[Union[int, str]] = None,
        prefix: str = "",
        flush_logs_every_n_steps: int = 100,
    ) -> None:
        super().__init__()
        if not isinstance(flush_logs_every_n_steps, int) or flush_logs_every_n_steps < 1:
            raise ValueError(
                f"`{type(self).__name__}(flush_logs_every_n_steps={flush_logs_every_n_steps!r})`: expected a positive"
                " int."
            )
        self._root_dir = os.fspath(root_dir)
        self._name = name or ""
        self._version = version
        self._prefix = prefix
        self._flush_logs_every_n_steps = flush_logs_every_n_steps
        self._experiment: Optional[_ExperimentWriter] = None

    @property
    def root_dir(self) -> str:
        return self._root_dir

    @property
    def log_dir(self) -> str:
        return os.path.join(self._root_dir, self.name, _version_folder(self.version))

    @property
    @rank_zero_experiment
    def experiment(self) -> _ExperimentWriter:
        """The writer of this run (created, with its folder, on first use)."""
        if self._experiment is None:
            _makedirs(os.path.join(self._root_dir, self.name))
            self._experiment = self._make_writer()
        return self._experiment

    def _make_writer(self) -> _ExperimentWriter:
        return _ExperimentWriter(self.log_dir)

    def log_hyperparams(self, params: Union[dict[str, Any], Namespace]) -> None:
        raise NotImplementedError(
            "Fabric's `CSVLogger` writes metrics only. Log hyperparameters with the `TensorBoardLogger`, or save "
            "them yourself (e.g. `fabric.save`)."
        )

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
        self.experiment.save()

    @rank_zero_only
    def finalize(self, status: str) -> None:
        if self._experiment is not None:
            self.save()
