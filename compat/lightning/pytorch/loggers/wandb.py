"""``WandbLogger``: metrics, hyperparameters and (optionally) checkpoints to Weights & Biases.

Importable without ``wandb``; constructing it without the package raises an error that names the install command.
Every call goes through the public ``wandb`` API (``wandb.init``, ``run.log``, ``run.config.update``, artifacts).
"""
import os
from argparse import Namespace
from pathlib import Path
from typing import Any, Literal, Optional, Union

from torch import Tensor
from torch.nn import Module

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn
from lightning.pytorch.loggers._optional import _require
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
from lightning.pytorch.loggers.utilities import (
    _add_prefix,
    _convert_params,
    _sanitize_callable_params,
    _scan_checkpoints,
)
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch import _extensions

_CHECKPOINT_ATTRIBUTES = ("monitor", "mode", "save_last", "save_top_k", "save_weights_only", "_every_n_train_steps")


class WandbLogger(Logger):
    """Log to `Weights & Biases <https://wandb.ai>`_ (``pip install wandb``).

    Args:
        name: Display name of the run.
        save_dir: Folder for wandb's local files.
        version: Run id, to resume a run.
        offline: Keep everything local (wandb's offline mode); cannot be combined with ``log_model``.
        dir: Same as ``save_dir`` (used when ``save_dir`` is None).
        id: Same as ``version``.
        anonymous: Allow anonymous logging.
        project: Project name (default: ``$WANDB_PROJECT`` or ``"lightning_logs"``).
        log_model: ``True`` uploads checkpoints at the end of training, ``"all"`` whenever one is saved.
        experiment: An existing ``wandb`` run to log into.
        prefix: Put in front of every metric name, joined with ``-``.
        checkpoint_name: Artifact name for uploaded checkpoints (default ``model-<run id>``).
        add_file_policy: ``"mutable"`` or ``"immutable"``, passed to ``Artifact.add_file``.
        **kwargs: Passed on to ``wandb.init``.
    """

    LOGGER_JOIN_CHAR = "-"

    @_extensions.constructor_arguments("WandbLogger")
    def __init__(
        self,
        name: Optional[str] = None,
        save_dir: Union[str, os.PathLike] = ".",
        version: Optional[str] = None,
        offline: bool = False,
        dir: Optional[Union[str, os.PathLike]] = None,
        id: Optional[str] = None,
        anonymous: Optional[bool] = None,
        project: Optional[str] = None,
        log_model: Union[Literal["all"], bool] = False,
        experiment: Any = None,
        prefix: str = "",
        checkpoint_name: Optional[str] = None,
        add_file_policy: Literal["mutable", "immutable"] = "mutable",
        **kwargs: Any,
    ) -> None:
        _require("wandb", "wandb", "WandbLogger")
        if offline and log_model:
            raise MisconfigurationException(
                f"`WandbLogger(offline=True, log_model={log_model!r})`: checkpoints cannot be uploaded in offline mode."
                " Set `offline=False` to upload them, or `log_model=False`."
            )
        super().__init__()
        self._offline = offline
        self._log_model = log_model
        self._prefix = prefix
        self._experiment = experiment
        self._logged_model_time: dict[str, float] = {}
        self._checkpoint_callbacks: dict[int, Any] = {}
        self._checkpoint_name = checkpoint_name
        self.add_file_policy = add_file_policy
        local_dir = save_dir if save_dir is not None else dir
        self._wandb_init: dict[str, Any] = {
            "name": name,
            "project": project or os.environ.get("WANDB_PROJECT", "lightning_logs"),
            "dir": None if local_dir is None else os.fspath(local_dir),
            "id": version or id,
            "resume": "allow",
            "anonymous": "allow" if anonymous else None,
            **kwargs,
        }
        self._project = self._wandb_init["project"]
        self._save_dir = self._wandb_init["dir"]
        self._name = self._wandb_init["name"]
        self._id = self._wandb_init["id"]

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        """The ``wandb`` run (started on first use, or the run already in progress)."""
        if self._experiment is None:
            import wandb

            if self._offline:
                os.environ["WANDB_MODE"] = "dryrun"
            if wandb.run is not None:
                rank_zero_warn(
                    "A wandb run is already in progress; this WandbLogger logs into it. Call `wandb.finish()` before"
                    " creating the logger to start a new run instead."
                )
                self._experiment = wandb.run
            else:
                self._experiment = wandb.init(**self._wandb_init)
                if callable(getattr(self._experiment, "define_metric", None)):
                    if self._wandb_init.get("sync_tensorboard"):
                        self._experiment.define_metric("*", step_metric="global_step")
                    else:
                        self._experiment.define_metric("trainer/global_step")
                        self._experiment.define_metric("*", step_metric="trainer/global_step", step_sync=True)
        return self._experiment

    def watch(self, model: Module, log: Optional[str] = "gradients", log_freq: int = 100, log_graph: bool = True) -> None:
        self.experiment.watch(model, log=log, log_freq=log_freq, log_graph=log_graph)

    @rank_zero_only
    def log_hyperparams(self, params: Union[dict[str, Any], Namespace]) -> None:
        params = _sanitize_callable_params(_convert_params(params))
        params = {key: value if _json_friendly(value) else str(value) for key, value in params.items()}
        self.experiment.config.update(params, allow_val_change=True)

    @rank_zero_only
    def log_metrics(self, metrics: dict[str, Any], step: Optional[int] = None) -> None:
        metrics = _add_prefix(metrics, self._prefix, self.LOGGER_JOIN_CHAR)
        if step is not None and not self._wandb_init.get("sync_tensorboard"):
            self.experiment.log({**metrics, "trainer/global_step": step})
        else:
            self.experiment.log(dict(metrics))

    @rank_zero_only
    def log_table(self, key: str, columns: Optional[list] = None, data: Optional[list] = None,
                  dataframe: Any = None, step: Optional[int] = None) -> None:
        import wandb

        self.log_metrics({key: wandb.Table(columns=columns, data=data, dataframe=dataframe)}, step)

    @rank_zero_only
    def log_text(self, key: str, columns: Optional[list] = None, data: Optional[list] = None,
                 dataframe: Any = None, step: Optional[int] = None) -> None:
        self.log_table(key, columns, data, dataframe, step)

    @rank_zero_only
    def log_image(self, key: str, images: list, step: Optional[int] = None, **kwargs: Any) -> None:
        self._log_media(key, images, "Image", step, kwargs)

    @rank_zero_only
    def log_audio(self, key: str, audios: list, step: Optional[int] = None, **kwargs: Any) -> None:
        self._log_media(key, audios, "Audio", step, kwargs)

    @rank_zero_only
    def log_video(self, key: str, videos: list, step: Optional[int] = None, **kwargs: Any) -> None:
        self._log_media(key, videos, "Video", step, kwargs)

    def _log_media(self, key: str, items: list, kind: str, step: Optional[int], kwargs: dict) -> None:
        """One ``wandb.<kind>`` per item; each keyword argument is a list giving one value per item."""
        import wandb

        if not isinstance(items, list):
            raise TypeError(f"`log_{kind.lower()}` expects a list of items for {key!r}, got {type(items).__name__}.")
        for name, values in kwargs.items():
            if len(values) != len(items):
                raise ValueError(f"`{name}` has {len(values)} entries but {len(items)} items were given for {key!r}.")
        per_item = [{name: values[i] for name, values in kwargs.items()} for i in range(len(items))]
        media_cls = getattr(wandb, kind)
        self.log_metrics({key: [media_cls(item, **extra) for item, extra in zip(items, per_item)]}, step)

    @property
    def save_dir(self) -> Optional[str]:
        return self._save_dir

    @property
    def name(self) -> Optional[str]:
        """The wandb project (the run's own name is ``logger.experiment.name``)."""
        return self._project

    @property
    def version(self) -> Optional[str]:
        return self._experiment.id if self._experiment else self._id

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        if self._log_model == "all" or (self._log_model is True and checkpoint_callback.save_top_k == -1):
            self._scan_and_log_checkpoints(checkpoint_callback)
        elif self._log_model is True:
            self._checkpoint_callbacks[id(checkpoint_callback)] = checkpoint_callback

    @staticmethod
    @rank_zero_only
    def download_artifact(artifact: str, save_dir: Optional[Union[str, os.PathLike]] = None,
                          artifact_type: Optional[str] = None, use_artifact: Optional[bool] = True) -> str:
        import wandb

        if wandb.run is not None and use_artifact:
            found = wandb.run.use_artifact(artifact)
        else:
            found = wandb.Api().artifact(artifact, type=artifact_type)
        return found.download(root=None if save_dir is None else os.fspath(save_dir))

    def use_artifact(self, artifact: str, artifact_type: Optional[str] = None) -> Any:
        return self.experiment.use_artifact(artifact, type=artifact_type)

    @rank_zero_only
    def finalize(self, status: str) -> None:
        if status != "success" or self._experiment is None:
            return
        for checkpoint_callback in self._checkpoint_callbacks.values():
            self._scan_and_log_checkpoints(checkpoint_callback)

    def _scan_and_log_checkpoints(self, checkpoint_callback: Any) -> None:
        import wandb

        for mtime, path, score, _ in _scan_checkpoints(checkpoint_callback, self._logged_model_time):
            metadata = {
                "score": score.item() if isinstance(score, Tensor) else score,
                "original_filename": Path(path).name,
                type(checkpoint_callback).__name__: {
                    attr: getattr(checkpoint_callback, attr)
                    for attr in _CHECKPOINT_ATTRIBUTES
                    if hasattr(checkpoint_callback, attr)
                },
            }
            if not self._checkpoint_name:
                self._checkpoint_name = f"model-{self.experiment.id}"
            artifact = wandb.Artifact(name=self._checkpoint_name, type="model", metadata=metadata)
            artifact.add_file(path, name="model.ckpt", policy=self.add_file_policy)
            aliases = ["latest", "best"] if path == checkpoint_callback.best_model_path else ["latest"]
            self.experiment.log_artifact(artifact, aliases=aliases)
            self._logged_model_time[path] = mtime

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        if self._experiment is not None:
            state["_id"] = getattr(self._experiment, "id", None)
            state["_name"] = getattr(self._experiment, "name", None)
        state["_experiment"] = None
        return state


def _json_friendly(value: Any) -> bool:
    import json

    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return True
    try:
        json.dumps(value)
    except (TypeError, OverflowError):
        return False
    return True
