"""``ModelCheckpoint``: when to save during fit, what the files are called, and which ones to keep.

The policy lives here (triggers, names, the top-k bookkeeping); writing and deleting go through
``trainer.save_checkpoint`` and ``trainer.strategy.remove_checkpoint``, which write atomically.
Paths restored from a checkpoint are data, not authority: a file is only deleted when this callback wrote it in this
run, or when it is a ``.ckpt`` file that resolves inside ``dirpath`` (see :meth:`ModelCheckpoint._may_delete`).
File names, the order of saves and the stored state match Lightning 2.x for the same run and metrics; a
``ModelCheckpoint`` made by 1.x code follows pytorch-lightning 1.9.5's file rules instead (see
:func:`lightning.pytorch._extensions.made_by_1x_code`).
"""
import logging
import os
import re
import shutil
import time
from copy import deepcopy
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, Literal, Optional, Set, Union
from weakref import proxy

import torch
from torch import Tensor

from lightning.fabric.utilities.cloud_io import _copy, _exists, _is_remote, _listdir, _local, _open
from lightning.fabric.utilities.rank_zero import WarningCache, rank_zero_info, rank_zero_warn
from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.pytorch.callbacks.checkpoint import Checkpoint
from lightning.pytorch import _extensions
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401 - public at this path in 2.6.6

log = logging.getLogger("lightning.pytorch")
_PATH = Union[str, Path]
warning_cache = WarningCache()


class ModelCheckpoint(Checkpoint):
    """Save the model during ``fit``: every epoch by default, or every ``every_n_train_steps`` optimizer steps, every
    ``train_time_interval``, or every ``every_n_epochs`` epochs; keep the ``save_top_k`` best by ``monitor``.

    Args:
        dirpath: folder for the files; by default ``<logger save_dir>/<name>/<version>/checkpoints`` or
            ``<default_root_dir>/checkpoints`` without a logger.
        filename: a template such as ``"{epoch}-{val_loss:.2f}"``; each ``{name}`` is looked up in the logged metrics
            (``epoch`` and ``step`` are always there) and written as ``name=value`` unless
            ``auto_insert_metric_name=False``. Default ``"{epoch}-{step}"``.
        monitor: the logged metric that ranks checkpoints; ``None`` keeps the latest.
        verbose: report each decision.
        save_last: also keep ``last.ckpt`` (``"link"``: as a symbolic link to the newest file).
        save_top_k: how many files to keep (``-1``: all, ``0``: none besides ``last``).
        save_on_exception: save a checkpoint when fit ends with an exception.
        save_weights_only: save only the model weights (no optimizer or loop state).
        mode: ``"min"`` or ``"max"``: which direction of ``monitor`` is better.
        auto_insert_metric_name: write ``name=`` before each value in the file name.
        every_n_train_steps / train_time_interval / every_n_epochs: the trigger (at most one of them).
        save_on_train_epoch_end: check at the end of the training epoch instead of after validation.
        enable_version_counter: append ``-v1``, ``-v2``, ... instead of overwriting a file of the same name.
    """

    CHECKPOINT_JOIN_CHAR = "-"
    CHECKPOINT_EQUALS_CHAR = "="
    CHECKPOINT_NAME_LAST = "last"
    FILE_EXTENSION = ".ckpt"
    STARTING_VERSION = 1

    @_extensions.constructor_arguments("ModelCheckpoint")
    def __init__(
        self,
        dirpath: Optional[_PATH] = None,
        filename: Optional[str] = None,
        monitor: Optional[str] = None,
        verbose: bool = False,
        save_last: Optional[Union[bool, Literal["link"]]] = None,
        save_top_k: int = 1,
        save_on_exception: bool = False,
        save_weights_only: bool = False,
        mode: str = "min",
        auto_insert_metric_name: bool = True,
        every_n_train_steps: Optional[int] = None,
        train_time_interval: Optional[timedelta] = None,
        every_n_epochs: Optional[int] = None,
        save_on_train_epoch_end: Optional[bool] = None,
        enable_version_counter: bool = True,
    ):
        super().__init__()
        if save_last not in (None, True, False, "link"):
            raise MisconfigurationException(f"`save_last` must be None, True, False or 'link', got {save_last!r}.")
        if mode not in ("min", "max"):
            raise MisconfigurationException(f"`mode` can be min, max but got {mode!r}.")
        self.monitor = monitor
        self.verbose = verbose
        self.save_last = save_last
        self.save_top_k = save_top_k
        self.save_on_exception = save_on_exception
        self.save_weights_only = save_weights_only
        self.mode = mode
        self.auto_insert_metric_name = auto_insert_metric_name
        self._save_on_train_epoch_end = save_on_train_epoch_end
        self._enable_version_counter = enable_version_counter
        # 1.x users rely on 1.9.5's file rules: a taken fixed name gets -v1, -v2 ... (2.x overwrites its own file),
        # and last is written at every epoch-end check (2.x: when a top-k file was written, and at train end)
        self._1x_file_rules = _extensions.made_by_1x_code()

        # what has been saved so far (the state_dict holds the public part)
        self.current_score: Optional[Tensor] = None
        self.best_k_models: Dict[str, Tensor] = {}
        self.kth_best_model_path = ""
        self.kth_value: Tensor = torch.tensor(torch.inf if mode == "min" else -torch.inf)
        self.best_model_score: Optional[Tensor] = None
        self.best_model_path = ""
        self.last_model_path = ""
        self._last_checkpoint_saved = ""
        self._last_global_step_saved = 0  # nothing to save before the first optimizer step
        self._last_time_checked: Optional[float] = None
        self._defer_save_until_validation = False
        self._written_paths: Set[str] = set()  # what this callback wrote (or linked) in this process: deletable

        if dirpath and not _is_remote(dirpath):
            dirpath = os.path.realpath(os.path.expanduser(_local(dirpath)))
        self.dirpath: Optional[_PATH] = dirpath
        self.filename = filename

        if every_n_train_steps is None and every_n_epochs is None and train_time_interval is None:
            every_n_epochs, every_n_train_steps = 1, 0
        self._every_n_epochs: int = every_n_epochs or 0
        self._every_n_train_steps: int = every_n_train_steps or 0
        self._train_time_interval: Optional[timedelta] = train_time_interval
        self._validate_configuration()

    def _validate_configuration(self) -> None:
        if self.save_top_k < -1:
            raise MisconfigurationException(
                f"Invalid value for save_top_k={self.save_top_k}. Must be >= -1 (-1 keeps every checkpoint)."
            )
        if self._every_n_train_steps < 0:
            raise MisconfigurationException(
                f"Invalid value for every_n_train_steps={self._every_n_train_steps}. Must be >= 0."
            )
        if self._every_n_epochs < 0:
            raise MisconfigurationException(f"Invalid value for every_n_epochs={self._every_n_epochs}. Must be >= 0.")
        triggers = (self._every_n_train_steps >= 1) + (self._every_n_epochs >= 1) + (self._train_time_interval is not None)
        if triggers > 1:
            raise MisconfigurationException(
                f"Combination of parameters every_n_train_steps={self._every_n_train_steps}, every_n_epochs="
                f"{self._every_n_epochs} and train_time_interval={self._train_time_interval} should be mutually "
                "exclusive: set only one of them."
            )
        if self.monitor is None and self.save_top_k not in (-1, 0, 1):
            raise MisconfigurationException(
                f"ModelCheckpoint(save_top_k={self.save_top_k}, monitor=None) is not a valid configuration: without "
                "`monitor` there is no quantity to rank the top k by. Set `monitor` or use save_top_k in (-1, 0, 1)."
            )

    @property
    def state_key(self) -> str:
        return self._generate_state_key(
            monitor=self.monitor,
            mode=self.mode,
            every_n_train_steps=self._every_n_train_steps,
            every_n_epochs=self._every_n_epochs,
            train_time_interval=self._train_time_interval,
        )

    @property
    def every_n_epochs(self) -> Optional[int]:
        return self._every_n_epochs

    # ----------------------------------------------------------------------------------------------- hooks
    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        self.dirpath = trainer.strategy.broadcast(self._resolve_ckpt_dir(trainer))
        if trainer.is_global_zero and stage == "fit" and self.save_top_k != 0:
            if _listdir(self.dirpath):
                rank_zero_warn(f"Checkpoint directory {self.dirpath} exists and is not empty.")

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        self._last_time_checked = time.monotonic()

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        """Step- and time-based saving."""
        every_n_steps = self._every_n_train_steps
        step_due = every_n_steps >= 1 and trainer.global_step % every_n_steps == 0
        time_due = False
        if self._train_time_interval is not None:
            now = time.monotonic()
            last = self._last_time_checked
            time_due = last is not None and now - last >= self._train_time_interval.total_seconds()
            time_due = trainer.strategy.broadcast(time_due)  # every rank must agree, or they deadlock on save
            if time_due:
                self._last_time_checked = now
        if not (step_due or time_due):
            return
        candidates = self._monitor_candidates(trainer)
        if self.monitor is not None and self.monitor not in candidates:
            self._defer_save_until_validation = True  # the metric is logged by validation: save once it ran
            return
        if (
            self.monitor is not None
            and not self._should_save_on_train_epoch_end(trainer)
            and trainer.fit_loop.epoch_loop.batch_progress.is_last_batch
            and self._validation_follows(trainer)
        ):
            self._defer_save_until_validation = True  # save with the fresh metric after this epoch's validation
            return
        if self._should_skip_saving_checkpoint(trainer):
            return
        self._save_topk_checkpoint(trainer, candidates)
        self._save_last_checkpoint(trainer, candidates)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if not self._should_skip_saving_checkpoint(trainer) and self._should_save_on_train_epoch_end(trainer):
            self._save_epoch_checkpoints(trainer)

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        if self._should_skip_saving_checkpoint(trainer) or self._should_save_on_train_epoch_end(trainer):
            return
        if self._defer_save_until_validation:
            self._defer_save_until_validation = False
            candidates = self._monitor_candidates(trainer)
            self._save_topk_checkpoint(trainer, candidates)
            self._save_last_checkpoint(trainer, candidates)
            return
        self._save_epoch_checkpoints(trainer)

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        if not self._should_save_on_exception(trainer):
            return
        candidates = self._monitor_candidates(trainer)
        filepath = self.format_checkpoint_name(metrics=candidates)
        self._save_checkpoint(trainer, filepath)
        self._save_last_checkpoint(trainer, candidates)
        rank_zero_info(f"{type(exception).__name__} ({exception}) ended the run; saved a checkpoint to {filepath}")

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        if self.save_last and not self._last_checkpoint_saved and not self._1x_file_rules:
            self._save_last_checkpoint(trainer, self._monitor_candidates(trainer))

    def state_dict(self) -> Dict[str, Any]:
        return {
            "monitor": self.monitor,
            "best_model_score": self.best_model_score,
            "best_model_path": self.best_model_path,
            "current_score": self.current_score,
            "dirpath": self.dirpath,
            "best_k_models": self.best_k_models,
            "kth_best_model_path": self.kth_best_model_path,
            "kth_value": self.kth_value,
            "last_model_path": self.last_model_path,
        }

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        saved_dirpath = state_dict.get("dirpath", self.dirpath)
        if saved_dirpath == self.dirpath:
            self.best_model_score = state_dict["best_model_score"]
            self.kth_best_model_path = state_dict.get("kth_best_model_path", self.kth_best_model_path)
            self.kth_value = state_dict.get("kth_value", self.kth_value)
            self.best_k_models = state_dict.get("best_k_models", self.best_k_models)
            self.last_model_path = state_dict.get("last_model_path", self.last_model_path)
        else:
            rank_zero_warn(
                f"The checkpoint folder changed from {saved_dirpath!r} to {self.dirpath!r}: only `best_model_path` is "
                "restored; the top-k bookkeeping (`best_k_models`, `kth_*`, `best_model_score`, `last_model_path`) "
                "starts afresh in the new folder."
            )
        self.best_model_path = state_dict["best_model_path"]
        self._check_restored_topk()

    def _check_restored_topk(self) -> None:
        """A hand-edited or corrupt state fails here, saying what is wrong, rather than in the middle of training."""
        models = self.best_k_models
        if not isinstance(models, dict) or not all(
            isinstance(path, str) and isinstance(score, (Tensor, int, float)) and not isinstance(score, bool)
            for path, score in models.items()
        ):
            raise ValueError(
                "The checkpoint's ModelCheckpoint state is malformed: `best_k_models` must map file paths to scores. "
                "Resume from another checkpoint, or load only the weights with `Model.load_from_checkpoint(path)`."
            )
        for name in ("best_model_path", "kth_best_model_path", "last_model_path"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"The checkpoint's ModelCheckpoint state is malformed: `{name}` must be a path.")
        if models and self.kth_best_model_path not in models:  # the entry to evict next must be one of them
            pick_worst = max if self.mode == "min" else min
            self.kth_best_model_path = pick_worst(models, key=lambda path: float(models[path]))
            self.kth_value = models[self.kth_best_model_path]

    # -------------------------------------------------------------------------------------------- decisions
    def _should_skip_saving_checkpoint(self, trainer: Any) -> bool:
        from lightning.pytorch.trainer.states import TrainerFn

        return (
            bool(trainer.fast_dev_run)
            or trainer.state.fn != TrainerFn.FITTING
            or trainer.sanity_checking
            or self._last_global_step_saved == trainer.global_step  # this step is saved already
        )

    def _should_save_on_exception(self, trainer: Any) -> bool:
        return (
            self.save_on_exception
            and not bool(trainer.fast_dev_run)
            and not trainer.sanity_checking
            and self._last_global_step_saved != trainer.global_step
        )

    def _should_save_on_train_epoch_end(self, trainer: Any) -> bool:
        if self._save_on_train_epoch_end is not None:
            return self._save_on_train_epoch_end
        # validation runs at its own times: save after it, when the monitored metric is fresh
        if getattr(trainer, "_val_check_time_interval", None) is not None:
            return False
        if trainer.check_val_every_n_epoch != 1:
            return False
        if _num_val_batches(trainer) == 0:
            return True
        return getattr(trainer, "val_check_interval", 1.0) == 1.0

    def _validation_follows(self, trainer: Any) -> bool:
        if not getattr(trainer, "enable_validation", False) or not _num_val_batches(trainer):
            return False
        every = trainer.check_val_every_n_epoch
        return every is None or (trainer.current_epoch + 1) % every == 0

    def _save_epoch_checkpoints(self, trainer: Any) -> None:
        candidates = self._monitor_candidates(trainer)
        if self._every_n_epochs >= 1 and (trainer.current_epoch + 1) % self._every_n_epochs == 0:
            self._save_topk_checkpoint(trainer, candidates)
        if self._1x_file_rules or self._last_global_step_saved == trainer.global_step or (
            self.save_last == "link" and self._last_checkpoint_saved
        ):  # 1.x: `last` at every epoch-end check, also when no top-k file was written
            self._save_last_checkpoint(trainer, candidates)

    def check_monitor_top_k(self, trainer: Any, current: Optional[Tensor] = None) -> bool:
        """Whether ``current`` earns a place among the kept checkpoints."""
        if current is None:
            return False
        if self.save_top_k == -1 or len(self.best_k_models) < self.save_top_k:
            return True
        better = torch.lt if self.mode == "min" else torch.gt
        decision = bool(better(current, self.best_k_models[self.kth_best_model_path]))
        return trainer.strategy.reduce_boolean_decision(decision)

    # ------------------------------------------------------------------------------------------------ names
    def _format_checkpoint_name(
        self,
        filename: Optional[str],
        metrics: Dict[str, Any],
        prefix: Optional[str] = None,
        auto_insert_metric_name: bool = True,
    ) -> str:
        if not filename:
            filename = "{epoch}" + self.CHECKPOINT_JOIN_CHAR + "{step}"
        # longest first, so that "{epoch_loss" is rewritten before "{epoch"
        for group in sorted(re.findall(r"(\{.*?)[:\}]", filename), key=len, reverse=True):
            name = group[1:]
            if auto_insert_metric_name:
                filename = filename.replace(group, name + self.CHECKPOINT_EQUALS_CHAR + "{" + name)
            # index into one mapping, so metric names with "/" or "." work as format fields
            filename = filename.replace(group, f"{{0[{name}]")
            metrics.setdefault(name, torch.tensor(0))
        filename = filename.format(metrics)
        if prefix is not None:
            filename = self.CHECKPOINT_JOIN_CHAR.join([prefix, filename])
        return filename

    def format_checkpoint_name(
        self,
        metrics: Dict[str, Tensor],
        filename: Optional[str] = None,
        ver: Optional[int] = None,
        prefix: Optional[str] = None,
    ) -> str:
        """The path a checkpoint with these ``metrics`` gets (``ver`` appends ``-v<ver>``)."""
        name = self._format_checkpoint_name(
            filename or self.filename, metrics, prefix=prefix, auto_insert_metric_name=self.auto_insert_metric_name
        )
        if ver is not None:
            name = self.CHECKPOINT_JOIN_CHAR.join((name, f"v{ver}"))
        name += self.FILE_EXTENSION
        return os.path.join(self.dirpath, name) if self.dirpath else name

    def _resolve_ckpt_dir(self, trainer: Any) -> _PATH:
        if self.dirpath is not None:
            return self.dirpath
        if trainer.loggers:
            logger = trainer.loggers[0]
            save_dir = logger.save_dir if logger.save_dir is not None else trainer.default_root_dir
            version = logger.version if isinstance(logger.version, str) else f"version_{logger.version}"
            save_dir = save_dir if _is_remote(save_dir) else _local(save_dir)  # a `file://` save_dir is a folder
            return os.path.join(save_dir, str(logger.name), version, "checkpoints")
        return os.path.join(trainer.default_root_dir, "checkpoints")

    def _find_last_checkpoints(self, trainer: Any) -> Set[str]:
        """The ``last*.ckpt`` files in this callback's folder (used by ``ckpt_path="last"``)."""
        folder = self._resolve_ckpt_dir(trainer)
        pattern = re.compile(rf"^{self.CHECKPOINT_NAME_LAST}(-(\d+))?")
        return {
            _normalized(os.path.join(folder, f))
            for f in _listdir(folder)
            if f.endswith(self.FILE_EXTENSION) and pattern.match(f[: -len(self.FILE_EXTENSION)])
        }

    def _monitor_candidates(self, trainer: Any) -> Dict[str, Tensor]:
        candidates = deepcopy(trainer.callback_metrics)
        epoch, step = candidates.get("epoch"), candidates.get("step")
        candidates["epoch"] = epoch.int() if isinstance(epoch, Tensor) else torch.tensor(trainer.current_epoch)
        candidates["step"] = step.int() if isinstance(step, Tensor) else torch.tensor(trainer.global_step)
        return candidates

    def _versioned_path(self, trainer: Any, candidates: Dict[str, Tensor], name: Optional[str], keep: Optional[str]) -> str:
        """The file name for these metrics; with the version counter, ``-vN`` avoids overwriting another file (the
        file at ``keep`` may be overwritten: it is the one being replaced)."""
        filepath = self.format_checkpoint_name(candidates, name)
        version = self.STARTING_VERSION
        while self._enable_version_counter and self.file_exists(filepath, trainer) and filepath != keep:
            filepath = self.format_checkpoint_name(candidates, name, ver=version)
            version += 1
        return filepath

    def _get_metric_interpolated_filepath_name(
        self, monitor_candidates: Dict[str, Tensor], trainer: Any, del_filepath: Optional[str] = None
    ) -> str:
        return self._versioned_path(trainer, monitor_candidates, None, del_filepath)

    # ------------------------------------------------------------------------------------------------ saving
    def _save_topk_checkpoint(self, trainer: Any, candidates: Dict[str, Tensor]) -> None:
        if self.save_top_k == 0:
            return
        if self.monitor is None:
            self._save_none_monitor_checkpoint(trainer, candidates)
            return
        if self.monitor not in candidates:
            message = (
                f"`ModelCheckpoint(monitor={self.monitor!r})` could not find the monitored key in the returned "
                f"metrics: {list(candidates)}. HINT: Did you call `log({self.monitor!r}, value)` in the "
                "`LightningModule`?"
            )
            if getattr(trainer.fit_loop.epoch_loop.val_loop, "_has_run", False):
                raise MisconfigurationException(message)
            warning_cache.warn(message)
        self._save_monitor_checkpoint(trainer, candidates)

    def _save_monitor_checkpoint(self, trainer: Any, candidates: Dict[str, Tensor]) -> None:
        current = candidates.get(self.monitor)  # type: ignore[arg-type]
        if self.check_monitor_top_k(trainer, current):
            self._update_best_and_save(current, trainer, candidates)  # type: ignore[arg-type]
        elif self.verbose:
            rank_zero_info(
                f"Epoch {int(candidates['epoch']):d}, global step {int(candidates['step']):d}: {self.monitor!r} was "
                f"not in top {self.save_top_k}"
            )

    def _save_none_monitor_checkpoint(self, trainer: Any, candidates: Dict[str, Tensor]) -> None:
        # 2.x overwrites the previous file of the same name; 1.x gave the new one a `-vN` name
        keep = None if self._1x_file_rules else self.best_model_path
        filepath = self._versioned_path(trainer, candidates, None, keep)
        previous, self.best_model_path = self.best_model_path, filepath
        self._save_checkpoint(trainer, filepath)
        if self.save_top_k == 1 and previous and self._should_remove_checkpoint(trainer, previous, filepath):
            self._remove_checkpoint(trainer, previous)

    def _update_best_and_save(self, current: Tensor, trainer: Any, candidates: Dict[str, Tensor]) -> None:
        k = len(self.best_k_models) + 1 if self.save_top_k == -1 else self.save_top_k
        worst = None
        if len(self.best_k_models) == k and k > 0:
            worst = self.kth_best_model_path
            self.best_k_models.pop(worst)
        if isinstance(current, Tensor) and torch.isnan(current):  # NaN ranks last
            current = torch.tensor(float("inf" if self.mode == "min" else "-inf"), device=current.device)
        filepath = self._versioned_path(trainer, candidates, None, worst)
        self.current_score = current
        self.best_k_models[filepath] = current
        pick_worst, pick_best = (max, min) if self.mode == "min" else (min, max)
        if len(self.best_k_models) == k:
            self.kth_best_model_path = pick_worst(self.best_k_models, key=self.best_k_models.get)
            self.kth_value = self.best_k_models[self.kth_best_model_path]
        self.best_model_path = pick_best(self.best_k_models, key=self.best_k_models.get)
        self.best_model_score = self.best_k_models[self.best_model_path]
        if self.verbose:
            rank_zero_info(
                f"Epoch {int(candidates['epoch']):d}, global step {int(candidates['step']):d}: {self.monitor!r} "
                f"reached {float(current):0.5f} (best {float(self.best_model_score):0.5f}), saving model to "
                f"{filepath!r} as top {k}"
            )
        self._save_checkpoint(trainer, filepath)
        if worst and self._should_remove_checkpoint(trainer, worst, filepath):
            self._remove_checkpoint(trainer, worst)

    def _save_last_checkpoint(self, trainer: Any, candidates: Dict[str, Tensor]) -> None:
        if not self.save_last:
            return
        filepath = self._versioned_path(trainer, candidates, self.CHECKPOINT_NAME_LAST, self.last_model_path)
        previous, self.last_model_path = self.last_model_path, filepath
        if self.save_last == "link" and self._last_checkpoint_saved and self.save_top_k != 0:
            self._link_checkpoint(trainer, self._last_checkpoint_saved, filepath)
        else:
            self._save_checkpoint(trainer, filepath)
        if previous and self._should_remove_checkpoint(trainer, previous, filepath):
            self._remove_checkpoint(trainer, previous)

    def _save_checkpoint(self, trainer: Any, filepath: str) -> None:
        trainer.save_checkpoint(filepath, self.save_weights_only)
        self._written_paths.add(_normalized(filepath))
        self._last_global_step_saved = trainer.global_step
        self._last_checkpoint_saved = filepath
        if trainer.is_global_zero:
            for logger in trainer.loggers:
                after_save = getattr(logger, "after_save_checkpoint", None)
                if after_save is not None:
                    after_save(proxy(self))

    def _link_checkpoint(self, trainer: Any, filepath: str, linkpath: str) -> None:
        """Point ``linkpath`` at ``filepath`` (relative symlink; a copy where links are not allowed, or remote)."""
        if _is_remote(linkpath):
            if trainer.is_global_zero and filepath != linkpath:
                _copy(filepath, linkpath)
            self._written_paths.add(_normalized(linkpath))
            trainer.strategy.barrier()
            return
        if trainer.is_global_zero and os.path.abspath(filepath) != os.path.abspath(linkpath):
            if os.path.islink(linkpath) or os.path.isfile(linkpath):
                os.remove(linkpath)
            elif os.path.isdir(linkpath):
                if _normalized(linkpath) not in self._written_paths:
                    raise FileExistsError(
                        f"`ModelCheckpoint(save_last='link')` would replace the folder {linkpath}, which this run did "
                        "not write; folders are never deleted. Move it away or choose another `dirpath`."
                    )
                shutil.rmtree(linkpath)  # a sharded checkpoint this run wrote under the `last` name
            try:
                os.symlink(os.path.relpath(filepath, os.path.dirname(linkpath)), linkpath)
            except OSError:
                shutil.copy(filepath, linkpath)
        self._written_paths.add(_normalized(linkpath))
        trainer.strategy.barrier()

    def _should_remove_checkpoint(self, trainer: Any, previous: str, current: str) -> bool:
        """Never delete the file just written, the file training resumed from, or a file outside ``dirpath``."""
        if previous == current:
            return False
        if not _is_remote(previous) and trainer.ckpt_path is not None:
            if Path(previous).absolute() == Path(trainer.ckpt_path).absolute():
                return False
        return self._may_delete(previous)

    def _may_delete(self, path: str) -> bool:
        """Whether ``path`` is this callback's to delete.

        Paths in the top-k bookkeeping may come from a checkpoint file (``load_state_dict``), which anyone can edit:
        they choose nothing by themselves. A path is deletable when this callback wrote it in this process, or when it
        names a ``.ckpt`` regular file that, with symlinks and ``..`` resolved, lies inside ``dirpath``. A folder is
        only ever deleted when this run wrote it (a sharded checkpoint).
        """
        if _normalized(path) in self._written_paths:
            return True
        if not self.dirpath or not str(path).endswith(self.FILE_EXTENSION):
            return False
        if _is_remote(path) or _is_remote(self.dirpath):  # remote: no links to resolve, but no `..` either
            folder = str(self.dirpath).rstrip("/") + "/"
            return str(path).startswith(folder) and ".." not in str(path)[len(folder):].split("/")
        real = os.path.realpath(path)
        folder = os.path.realpath(self.dirpath)
        inside = os.path.commonpath([real, folder]) == folder and real != folder
        return inside and os.path.isfile(real)

    def _remove_checkpoint(self, trainer: Any, filepath: str) -> None:
        trainer.strategy.remove_checkpoint(filepath)

    def file_exists(self, filepath: _PATH, trainer: Any) -> bool:
        """Whether ``filepath`` exists (decided on rank 0 and shared, so every rank picks the same name)."""
        exists = _exists(filepath) if trainer.is_global_zero else False
        return trainer.strategy.reduce_boolean_decision(exists, all=False)

    def to_yaml(self, filepath: Optional[_PATH] = None) -> None:
        """Write ``best_k_models`` (path -> score) to ``filepath`` (default ``<dirpath>/best_k_models.yaml``)."""
        import yaml

        if filepath is None:
            if not self.dirpath:
                raise ValueError("`to_yaml()` needs a `filepath` before the callback knows its folder (set in `fit`).")
            filepath = os.path.join(self.dirpath, "best_k_models.yaml")
        with _open(filepath, "w") as fp:
            yaml.dump({path: float(score) for path, score in self.best_k_models.items()}, fp)




def _normalized(path: Any) -> str:
    """One spelling per local path (absolute, ``..`` collapsed, links kept) for the set of written files."""
    path = str(path)
    return path if _is_remote(path) else os.path.normpath(os.path.abspath(path))


def _num_val_batches(trainer: Any) -> float:
    n = trainer.num_val_batches
    return sum(n) if isinstance(n, list) else n
