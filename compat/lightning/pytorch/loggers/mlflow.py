"""``MLFlowLogger``: metrics, parameters and (optionally) checkpoints to an MLflow tracking server or ``./mlruns``.

Importable without ``mlflow``; constructing it without the package raises an error that names the install command.
"""
import logging
import os
import re
import tempfile
from argparse import Namespace
from pathlib import Path
from time import time
from typing import Any, Literal, Optional, Union

from torch import Tensor

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn
from lightning.pytorch.loggers._optional import _require
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
from lightning.pytorch.loggers.utilities import _add_prefix, _convert_params, _flatten_dict, _scan_checkpoints

log = logging.getLogger(__name__)
LOCAL_FILE_URI_PREFIX = "file:"
_CHECKPOINT_ATTRIBUTES = (
    "monitor", "mode", "save_last", "save_top_k", "save_weights_only", "_every_n_train_steps", "_every_n_val_epochs",
)
_MLFLOW_STATUS = {"success": "FINISHED", "finished": "FINISHED", "failed": "FAILED"}


class MLFlowLogger(Logger):
    """Log to `MLflow <https://mlflow.org>`_ (``pip install mlflow``).

    Args:
        experiment_name: MLflow experiment, created when missing.
        run_name: Display name of the run (the ``mlflow.runName`` tag).
        tracking_uri: Tracking server address; default ``$MLFLOW_TRACKING_URI`` or ``file:<save_dir>``.
        tags: Tags for the new run.
        save_dir: Local folder used when there is no tracking URI.
        log_model: ``True`` uploads checkpoints at the end of training, ``"all"`` whenever one is saved.
        prefix: Put in front of every metric name, joined with ``-``.
        artifact_location: Where a newly created experiment stores artifacts.
        run_id: Log into this existing run instead of creating one.
        synchronous: Passed to ``log_batch`` (needs mlflow >= 2.8).
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        experiment_name: str = "lightning_logs",
        run_name: Optional[str] = None,
        tracking_uri: Optional[str] = os.getenv("MLFLOW_TRACKING_URI"),
        tags: Optional[dict[str, Any]] = None,
        save_dir: Optional[str] = "./mlruns",
        log_model: Literal[True, False, "all"] = False,
        prefix: str = "",
        artifact_location: Optional[str] = None,
        run_id: Optional[str] = None,
        synchronous: Optional[bool] = None,
    ) -> None:
        _require("mlflow", "mlflow", "MLFlowLogger")
        super().__init__()
        self._experiment_name = experiment_name
        self._experiment_id: Optional[str] = None
        self._tracking_uri = tracking_uri or f"{LOCAL_FILE_URI_PREFIX}{save_dir}"
        self._run_name = run_name
        self._run_id = run_id
        self.tags = tags
        self._log_model = log_model
        self._logged_model_time: dict[str, float] = {}
        self._checkpoint_callback: Any = None
        self._prefix = prefix
        self._artifact_location = artifact_location
        self._log_batch_kwargs = {} if synchronous is None else {"synchronous": synchronous}
        self._initialized = False
        from mlflow.tracking import MlflowClient

        self._mlflow_client = MlflowClient(self._tracking_uri)

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        """The ``MlflowClient``; the experiment and run are created (or looked up) on first use."""
        if self._initialized:
            return self._mlflow_client
        import mlflow

        mlflow.set_tracking_uri(self._tracking_uri)
        client = self._mlflow_client
        if self._run_id is not None:
            self._experiment_id = client.get_run(self._run_id).info.experiment_id
            self._initialized = True
            return client
        if self._experiment_id is None:
            existing = client.get_experiment_by_name(self._experiment_name)
            if existing is not None and existing.lifecycle_stage != "deleted":
                self._experiment_id = existing.experiment_id
            else:
                log.warning(f"MLflow experiment {self._experiment_name!r} does not exist yet; creating it.")
                self._experiment_id = client.create_experiment(
                    name=self._experiment_name, artifact_location=self._artifact_location
                )
        tags = dict(self.tags or {})
        if self._run_name is not None:
            from mlflow.utils.mlflow_tags import MLFLOW_RUN_NAME

            tags[MLFLOW_RUN_NAME] = self._run_name
        from mlflow.tracking.context.registry import resolve_tags

        self._run_id = client.create_run(experiment_id=self._experiment_id, tags=resolve_tags(tags)).info.run_id
        self._initialized = True
        return client

    @property
    def run_id(self) -> Optional[str]:
        _ = self.experiment
        return self._run_id

    @property
    def experiment_id(self) -> Optional[str]:
        _ = self.experiment
        return self._experiment_id

    @rank_zero_only
    def log_hyperparams(self, params: Union[dict[str, Any], Namespace]) -> None:
        from mlflow.entities import Param

        flat = _flatten_dict(_convert_params(params))
        # MLflow limits parameter values to 250 characters and a batch to 100 parameters
        entries = [Param(key=key, value=str(value)[:250]) for key, value in flat.items()]
        for start in range(0, len(entries), 100):
            self.experiment.log_batch(run_id=self.run_id, params=entries[start:start + 100], **self._log_batch_kwargs)

    @rank_zero_only
    def log_metrics(self, metrics: dict[str, Any], step: Optional[int] = None) -> None:
        from mlflow.entities import Metric

        metrics = _add_prefix(metrics, self._prefix, self.LOGGER_JOIN_CHAR)
        timestamp_ms = int(time() * 1000)
        entries = []
        for key, value in metrics.items():
            if isinstance(value, str):
                log.warning(f"MLflow cannot log the string value {key}={value!r}; skipped.")
                continue
            clean_key = re.sub(r"[^a-zA-Z0-9_/. -]+", "", key)
            if clean_key != key:
                rank_zero_warn(
                    f"MLflow metric names may only contain letters, digits and '_', '/', '.', ' ', '-'; logging"
                    f" {key!r} as {clean_key!r}.",
                    category=RuntimeWarning,
                )
            value = value.item() if isinstance(value, Tensor) else value
            entries.append(Metric(key=clean_key, value=value, timestamp=timestamp_ms, step=step or 0))
        self.experiment.log_batch(run_id=self.run_id, metrics=entries, **self._log_batch_kwargs)

    @rank_zero_only
    def finalize(self, status: str = "success") -> None:
        if not self._initialized:
            return
        if self._checkpoint_callback:
            self._scan_and_log_checkpoints(self._checkpoint_callback)
        if self.experiment.get_run(self.run_id):
            self.experiment.set_terminated(self.run_id, _MLFLOW_STATUS.get(status, status))

    @property
    def save_dir(self) -> Optional[str]:
        """The local folder of a ``file:`` tracking URI, else ``None``."""
        if self._tracking_uri.startswith(LOCAL_FILE_URI_PREFIX):
            return self._tracking_uri[len(LOCAL_FILE_URI_PREFIX):]
        return None

    @property
    def name(self) -> Optional[str]:
        """The MLflow experiment id."""
        return self.experiment_id

    @property
    def version(self) -> Optional[str]:
        """The MLflow run id."""
        return self.run_id

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        if self._log_model == "all" or (self._log_model is True and checkpoint_callback.save_top_k == -1):
            self._scan_and_log_checkpoints(checkpoint_callback)
        elif self._log_model is True:
            self._checkpoint_callback = checkpoint_callback

    def _scan_and_log_checkpoints(self, checkpoint_callback: Any) -> None:
        import yaml

        for mtime, path, score, _ in _scan_checkpoints(checkpoint_callback, self._logged_model_time):
            metadata = {
                "score": score.item() if isinstance(score, Tensor) else score,
                "original_filename": Path(path).name,
                "Checkpoint": {
                    attr: getattr(checkpoint_callback, attr)
                    for attr in _CHECKPOINT_ATTRIBUTES
                    if hasattr(checkpoint_callback, attr)
                },
            }
            aliases = ["latest", "best"] if path == checkpoint_callback.best_model_path else ["latest"]
            artifact_path = Path(path).stem
            self.experiment.log_artifact(self._run_id, path, artifact_path)
            with tempfile.TemporaryDirectory() as tmp_dir:
                with open(os.path.join(tmp_dir, "metadata.yaml"), "w") as file:
                    yaml.dump(metadata, file, default_flow_style=False)
                with open(os.path.join(tmp_dir, "aliases.txt"), "w") as file:
                    file.write(str(aliases))
                self.experiment.log_artifacts(self._run_id, tmp_dir, artifact_path)
            self._logged_model_time[path] = mtime
