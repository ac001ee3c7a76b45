"""``TensorBoardLogger``: real TensorBoard event files under ``<save_dir>/<name>/version_N[/<sub_dir>]``.

Fabric's ``TensorBoardLogger`` plus what the Trainer adds: hyperparameters also go to ``hparams.yaml`` next to the
event file, ``log_graph=True`` traces the module's ``example_input_array`` at the start of fitting, and ``save_dir``.
"""
import os
from argparse import Namespace
from typing import Any, Optional, Union

from torch.nn import Module

from lightning.fabric.loggers.tensorboard import TensorBoardLogger as FabricTensorBoardLogger
from lightning.fabric.utilities import cloud_io
from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch.loggers.logger import Logger
from lightning.pytorch.loggers.utilities import _convert_params


class TensorBoardLogger(Logger, FabricTensorBoardLogger):
    """Log to TensorBoard event files in ``os.path.join(save_dir, name, version)``; the default logger.

    Args:
        save_dir: Folder that holds the experiments (a local path or an fsspec URL).
        name: Experiment folder name (default ``"lightning_logs"``); ``None`` or ``""`` puts the versions directly
            in ``save_dir``.
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        log_graph: Trace the model with ``example_input_array`` and add its graph at the start of fitting.
        default_hp_metric: Log ``hp_metric = -1`` with the hyperparameters when no metric is given, so that the
            HPARAMS tab shows the run.
        prefix: Put in front of every metric name, joined with ``-``.
        sub_dir: An extra folder level inside the version folder.
        **kwargs: Passed on to ``SummaryWriter`` (e.g. ``max_queue``, ``flush_secs``).
    """

    NAME_HPARAMS_FILE = "hparams.yaml"
    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        save_dir: Union[str, os.PathLike],
        name: Optional[str] = "lightning_logs",
        version: Optional[Union[int, str]] = None,
        log_graph: bool = False,
        default_hp_metric: bool = True,
        prefix: str = "",
        sub_dir: Optional[Union[str, os.PathLike]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(root_dir=save_dir, name=name, version=version, default_hp_metric=default_hp_metric,
                         prefix=prefix, sub_dir=sub_dir, **kwargs)
        self._save_dir = os.fspath(save_dir)
        self._log_graph = log_graph
        self.hparams: Union[dict[str, Any], Namespace] = {}

    @property
    def save_dir(self) -> str:
        return self._save_dir

    @rank_zero_only
    def log_hyperparams(
        self,
        params: Union[dict[str, Any], Namespace],
        metrics: Optional[Union[dict[str, Any], float]] = None,
        step: Optional[int] = None,
    ) -> None:
        """Record ``params`` (written to ``hparams.yaml`` on ``save``) and, with ``metrics`` (or ``hp_metric=-1`` by
        default), as a TensorBoard HPARAMS entry."""
        params = _convert_params(params)
        self.hparams.update(params)
        super().log_hyperparams(params, metrics, step)

    @rank_zero_only
    def log_graph(self, model: Module, input_array: Optional[Any] = None) -> None:
        if self._log_graph:
            super().log_graph(model, input_array)

    @staticmethod
    def _on_model_device(model: Module, input_array: Any) -> Any:
        from lightning.pytorch.utilities.model_summary.model_summary import _example_input_on_device

        return _example_input_on_device(model, input_array)

    @rank_zero_only
    def save(self) -> None:
        super().save()
        hparams_file = os.path.join(self.log_dir, self.NAME_HPARAMS_FILE)
        if cloud_io._isdir(self.log_dir) and not cloud_io._isfile(hparams_file):
            from lightning.pytorch.core.saving import save_hparams_to_yaml

            save_hparams_to_yaml(hparams_file, self.hparams)

    @rank_zero_only
    def finalize(self, status: str) -> None:
        super().finalize(status)
        if status == "success":
            self.save()
