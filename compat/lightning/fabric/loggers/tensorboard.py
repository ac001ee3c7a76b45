"""Fabric's ``TensorBoardLogger``: TensorBoard event files under ``<root_dir>/<name>/version_N[/<sub_dir>]``.

``logger.experiment`` is ``torch.utils.tensorboard.SummaryWriter``; it (and with it the ``tensorboard`` package) is
imported only when first used, so constructing the logger, and ``import lightning``, stay cheap. TensorBoard's own
file layer writes to fsspec URLs as well. The Trainer's ``TensorBoardLogger`` adds ``hparams.yaml`` and the
``log_graph`` switch.
"""
import importlib.util
import os
from argparse import Namespace
from typing import Any, Optional, Union

from torch import Tensor
from torch.nn import Module

from lightning.fabric.loggers._files import _makedirs, _NumberedVersions, _version_folder
from lightning.fabric.loggers._params import _add_prefix, _convert_params, _flatten_dict, _sanitize_params
from lightning.fabric.loggers.logger import Logger, rank_zero_experiment
from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn


def _tensorboard_available() -> bool:
    return importlib.util.find_spec("tensorboard") is not None


class TensorBoardLogger(_NumberedVersions, Logger):
    """Log metrics and hyperparameters to TensorBoard under ``os.path.join(root_dir, name, version)``.

    Args:
        root_dir: Folder that holds the experiments (a local path or an fsspec URL).
        name: Experiment folder name (default ``"lightning_logs"``); ``None`` or ``""`` puts the versions directly
            in ``root_dir``.
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        default_hp_metric: Log ``hp_metric = -1`` with the hyperparameters when no metric is given, so that the
            HPARAMS tab shows the run.
        prefix: Put in front of every metric name, joined with ``-``.
        sub_dir: An extra folder level inside the version folder.
        **kwargs: Passed on to ``SummaryWriter`` (e.g. ``max_queue``, ``flush_secs``).
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        root_dir: Union[str, os.PathLike],
        name: Optional[str] = "lightning_logs",
        version: Optional[Union[int, str]] = None,
        default_hp_metric: bool = True,
        prefix: str = "",
        sub_dir: Optional[Union[str, os.PathLike]] = None,
        **kwargs: Any,
    ) -> None:
        if not _tensorboard_available():
            raise ModuleNotFoundError(
                "`TensorBoardLogger` needs the `tensorboard` package, which is not installed. Install it with"
                " `pip install tensorboard`, or use `CSVLogger` instead."
            )
        super().__init__()
        self._root_dir = os.fspath(root_dir)
        self._name = name or ""
        self._version = version
        self._sub_dir = None if sub_dir is None else os.fspath(sub_dir)
        self._default_hp_metric = default_hp_metric
        self._prefix = prefix
        self._kwargs = kwargs
        self._experiment: Any = None

    @property
    def root_dir(self) -> str:
        return os.path.join(self._root_dir, self.name)

    @property
    def sub_dir(self) -> Optional[str]:
        return self._sub_dir

    @property
    def log_dir(self) -> str:
        log_dir = os.path.join(self.root_dir, _version_folder(self.version))
        if isinstance(self._sub_dir, str):
            log_dir = os.path.join(log_dir, self._sub_dir)
        return os.path.expanduser(os.path.expandvars(log_dir))

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        """The ``torch.utils.tensorboard.SummaryWriter`` of this run (created on first use)."""
        if self._experiment is None:
            if self.root_dir:
                _makedirs(self.root_dir)
            _makedirs(self.log_dir)
            from torch.utils.tensorboard import SummaryWriter

            self._experiment = SummaryWriter(log_dir=self.log_dir, **self._kwargs)
        return self._experiment

    @rank_zero_only
    def log_metrics(self, metrics: dict[str, Any], step: Optional[int] = None) -> None:
        metrics = _add_prefix(metrics, self._prefix, self.LOGGER_JOIN_CHAR)
        writer = self.experiment
        for key, value in metrics.items():
            if isinstance(value, Tensor):
                value = value.item()
            if isinstance(value, dict):
                writer.add_scalars(key, value, step)
                continue
            try:
                writer.add_scalar(key, value, step)
            except Exception as err:
                raise ValueError(
                    f"TensorBoard cannot log {key!r} = {value!r} ({type(value).__name__}): log a number, a"
                    " one-element tensor, or a dict of numbers."
                ) from err

    @rank_zero_only
    def log_hyperparams(
        self,
        params: Union[dict[str, Any], Namespace],
        metrics: Optional[Union[dict[str, Any], float]] = None,
        step: Optional[int] = None,
    ) -> None:
        """Record ``params`` as a TensorBoard HPARAMS entry with ``metrics`` (``hp_metric=-1`` by default)."""
        params = _convert_params(params)
        if metrics is None:
            if not self._default_hp_metric:
                return
            metrics = {"hp_metric": -1}
        elif not isinstance(metrics, dict):
            metrics = {"hp_metric": metrics}
        if not metrics:
            return
        self.log_metrics(metrics, step)

        from torch.utils.tensorboard.summary import hparams

        flat = _sanitize_params(_flatten_dict(params))
        flat = {key: str(value) if getattr(value, "ndim", 0) > 1 else value for key, value in flat.items()}
        writer = self.experiment._get_file_writer()
        for summary in hparams(flat, metrics):
            writer.add_summary(summary, step)

    @rank_zero_only
    def log_graph(self, model: Module, input_array: Optional[Any] = None) -> None:
        if input_array is None:
            input_array = getattr(model, "example_input_array", None)
        if input_array is None:
            rank_zero_warn(
                "Could not log computational graph to TensorBoard: The `model.example_input_array` attribute"
                " was not given. Set `self.example_input_array` in your LightningModule or pass `input_array`."
            )
            return
        if not isinstance(input_array, (Tensor, tuple)):
            rank_zero_warn(
                f"Could not log computational graph to TensorBoard: the example input is a"
                f" {type(input_array).__name__}, which can't be traced by TensorBoard; make it a tensor or a tuple"
                " of the positional arguments of `forward`."
            )
            return
        input_array = self._on_model_device(model, input_array)
        was_scripting = getattr(model, "_jit_is_scripting", None)
        if was_scripting is not None:
            model._jit_is_scripting = True  # trainer-bound properties must not raise while tracing
        try:
            self.experiment.add_graph(model, input_array)
        finally:
            if was_scripting is not None:
                model._jit_is_scripting = was_scripting

    @staticmethod
    def _on_model_device(model: Module, input_array: Any) -> Any:
        from lightning.fabric.utilities.apply_func import move_data_to_device

        device = next((p.device for p in model.parameters()), None)
        return input_array if device is None else move_data_to_device(input_array, device)

    @rank_zero_only
    def save(self) -> None:
        self.experiment.flush()

    @rank_zero_only
    def finalize(self, status: str) -> None:
        if self._experiment is not None:
            self._experiment.flush()
            self._experiment.close()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_experiment"] = None
        return state
