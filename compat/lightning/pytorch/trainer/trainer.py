"""``Trainer``: runs fit / validate / test / predict for a LightningModule.

The entry points share one path (``_run``): attach data, resolve callbacks and hooks, prepare data, setup,
restore a checkpoint, run the stage, tear down. The loops in ``lightning.pytorch.loops`` do the per-batch work.
"""
import contextlib
import logging
import math
import os
import signal
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Generator, Iterable, Literal, Optional, Union

import torch

from lightning.fabric.utilities.apply_func import convert_tensors_to_scalars
from lightning.fabric.utilities.rank_zero import rank_zero_info, rank_zero_only, rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch import _extensions
from lightning.pytorch.trainer.states import RunningStage, TrainerFn, TrainerState, TrainerStatus
from lightning.pytorch.utilities.exceptions import MisconfigurationException, _TunerExitException
from lightning.pytorch.utilities.model_helpers import is_overridden

# The parameter types are the 2.x ones: LightningCLI builds `--trainer.*` (parsing, class_path instantiation) from them.
from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.loggers.logger import Logger
from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO
from lightning.pytorch.plugins.layer_sync import LayerSync
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.profilers.profiler import Profiler
from lightning.pytorch.strategies.strategy import Strategy, rank_properties

_PRECISION_INPUT = Union[Literal[64, 32, 16], Literal["transformer-engine", "transformer-engine-float16", "16-true",
                         "16-mixed", "bf16-true", "bf16-mixed", "32-true", "64-true"], Literal["64", "32", "16", "bf16"]]
_PLUGIN_INPUT = Union[Precision, ClusterEnvironment, CheckpointIO, LayerSync]

log = logging.getLogger("lightning.pytorch")


_ONE_BATCH = {"limit_train_batches": "1 batch per epoch will be used",
              "val_check_interval": "validation will run after every batch"}
_ALL_BATCHES = {"limit_train_batches": "100% of the batches per epoch will be used",
                "val_check_interval": "validation will run at the end of the training epoch"}


def _batch_limit(value: Optional[Union[int, float]], name: str) -> Union[int, float]:
    """As 2.x: None is all batches; a number in [0, 1] is kept (an int 1, or True, one batch; a float a fraction), a
    whole number above 1 becomes an int count; an explicit 1 or 1.0 is announced."""
    if value is None:
        return 1.0
    if not isinstance(value, (int, float)):
        raise MisconfigurationException(f"`{name}={value!r}` must be an int (batches) or a float in [0.0, 1.0].")
    if isinstance(value, int) and value == 1:
        rank_zero_info(f"`Trainer({name}=1)` was configured so {_ONE_BATCH.get(name, '1 batch will be used')}.")
    elif isinstance(value, float) and value == 1.0:
        what = _ALL_BATCHES.get(name, "100% of the batches will be used")
        rank_zero_info(f"`Trainer({name}=1.0)` was configured so {what}.")
    if 0 <= value <= 1:
        return value
    if value > 1 and value % 1.0 == 0:
        return int(value)
    raise MisconfigurationException(
        f"You have passed invalid value {value} for {name}, it has to be in [0.0, 1.0] or an int (a fraction of the "
        "batches, or a whole number of them)."
    )


def _seconds(value: Union[str, dict, timedelta]) -> float:
    """A time-based ``val_check_interval``: a timedelta, timedelta keywords, or "DD:HH:MM:SS"."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return timedelta(**value).total_seconds()
    parts = value.split(":")
    if len(parts) != 4:
        raise MisconfigurationException(f"Invalid time format for `val_check_interval`: {value!r}; write 'DD:HH:MM:SS'.")
    try:
        days, hours, minutes, seconds = (int(part) for part in parts)
    except ValueError:
        raise MisconfigurationException(
            f"Non-integer component in `val_check_interval` string: {value!r}; write whole numbers as 'DD:HH:MM:SS'."
        ) from None
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds).total_seconds()


def _val_check_interval(value: Any, every_n_epoch: Optional[int], fast_dev_run: int) -> Union[int, float]:
    """As 2.x: a float in [0.0, 1.0] is a fraction of the epoch, an int or a whole float above 1 a number of batches
    (2.0 == 2); a float needs epochs (``check_val_every_n_epoch`` not None); ``fast_dev_run`` ignores the value.
    (A time interval is read by ``_seconds`` instead.)"""
    if fast_dev_run:
        return 1.0
    if every_n_epoch is None and isinstance(value, float):
        raise MisconfigurationException(
            f"`val_check_interval={value!r}` should be an integer when `check_val_every_n_epoch=None`: a float is a "
            "fraction of an epoch, and validation then counts batches across epochs."
        )
    return _batch_limit(value, "val_check_interval")


class Trainer(_extensions.TrainerAPI):
    """Automates the training loop: devices, precision, logging, checkpointing, callbacks."""

    @_extensions.trainer_arguments
    def __init__(
        self,
        *,
        accelerator: Union[str, Accelerator] = "auto",
        strategy: Union[str, Strategy] = "auto",
        devices: Union[list[int], str, int] = "auto",
        num_nodes: int = 1,
        precision: Optional[_PRECISION_INPUT] = None,
        logger: Optional[Union[Logger, Iterable[Logger], bool]] = None,
        callbacks: Optional[Union[list[Callback], Callback]] = None,
        fast_dev_run: Union[int, bool] = False,
        max_epochs: Optional[int] = None,
        min_epochs: Optional[int] = None,
        max_steps: int = -1,
        min_steps: Optional[int] = None,
        max_time: Optional[Union[str, timedelta, dict[str, int]]] = None,
        limit_train_batches: Optional[Union[int, float]] = None,
        limit_val_batches: Optional[Union[int, float]] = None,
        limit_test_batches: Optional[Union[int, float]] = None,
        limit_predict_batches: Optional[Union[int, float]] = None,
        overfit_batches: Union[int, float] = 0.0,
        val_check_interval: Optional[Union[int, float, str, timedelta, dict[str, int]]] = None,
        check_val_every_n_epoch: Optional[int] = 1,
        num_sanity_val_steps: Optional[int] = None,
        log_every_n_steps: Optional[int] = None,
        enable_checkpointing: Optional[bool] = None,
        enable_progress_bar: Optional[bool] = None,
        enable_model_summary: Optional[bool] = None,
        accumulate_grad_batches: int = 1,
        gradient_clip_val: Optional[Union[int, float]] = None,
        gradient_clip_algorithm: Optional[str] = None,
        deterministic: Optional[Union[bool, Literal["warn"]]] = None,
        benchmark: Optional[bool] = None,
        inference_mode: bool = True,
        use_distributed_sampler: bool = True,
        profiler: Optional[Union[Profiler, str]] = None,
        detect_anomaly: bool = False,
        barebones: bool = False,
        plugins: Optional[Union[_PLUGIN_INPUT, list[_PLUGIN_INPUT]]] = None,
        sync_batchnorm: bool = False,
        reload_dataloaders_every_n_epochs: int = 0,
        default_root_dir: Optional[Union[str, Path]] = None,
        enable_autolog_hparams: bool = True,
        model_registry: Optional[str] = None,
    ) -> None:
        self.state = TrainerState()
        if barebones:
            for name, value in (("logger", logger), ("enable_checkpointing", enable_checkpointing),
                                ("enable_progress_bar", enable_progress_bar),
                                ("enable_model_summary", enable_model_summary)):
                if value not in (None, False):
                    raise ValueError(f"`Trainer(barebones=True)` turns off `{name}`; it cannot be set to {value!r}.")
            if profiler is not None or detect_anomaly:
                raise ValueError("`Trainer(barebones=True)` cannot be combined with `profiler` or `detect_anomaly`.")
            logger, enable_checkpointing, enable_progress_bar, enable_model_summary = False, False, False, False
            log_every_n_steps = log_every_n_steps or 1
        self.barebones = barebones

        # ------------------------------------------------ devices, precision, strategy
        from lightning.pytorch.trainer.devices import DeviceSetup  # (with its accelerators: on first use)

        self._devices = DeviceSetup(accelerator, devices, strategy, num_nodes, precision, plugins, sync_batchnorm)
        self.strategy = self._devices.strategy
        self._use_distributed_sampler = use_distributed_sampler
        self.num_nodes = num_nodes
        self.sync_batchnorm = sync_batchnorm
        self._log_device_info()

        # ------------------------------------------------ loop limits
        if isinstance(fast_dev_run, bool) or fast_dev_run is None:
            fast_dev_run = int(bool(fast_dev_run))
        if not isinstance(fast_dev_run, int) or fast_dev_run < 0:
            raise MisconfigurationException(f"`fast_dev_run={fast_dev_run!r}` must be a bool or a non-negative int.")
        self.fast_dev_run: Union[int, bool] = fast_dev_run
        self.overfit_batches = _batch_limit(overfit_batches, "overfit_batches")
        if not fast_dev_run:  # (fast_dev_run sets every limit below, without announcing them)
            if self.overfit_batches > 0:  # the argument as given is the train and val limit (2.0 is a fraction)
                self.limit_train_batches = self.limit_val_batches = overfit_batches
            else:
                self.limit_train_batches = _batch_limit(limit_train_batches, "limit_train_batches")
                self.limit_val_batches = _batch_limit(limit_val_batches, "limit_val_batches")
            self.limit_test_batches = _batch_limit(limit_test_batches, "limit_test_batches")
            self.limit_predict_batches = _batch_limit(limit_predict_batches, "limit_predict_batches")
        self.num_sanity_val_steps = 2 if num_sanity_val_steps is None else num_sanity_val_steps
        if self.num_sanity_val_steps == -1:
            self.num_sanity_val_steps = float("inf")
        # validation every so many seconds instead of batches (2.5+): "DD:HH:MM:SS", timedelta keywords or a timedelta
        self._val_check_time_interval: Optional[float] = None
        if isinstance(val_check_interval, (str, dict, timedelta)) and not fast_dev_run:
            self._val_check_time_interval = _seconds(val_check_interval)
            self.val_check_interval = val_check_interval
        else:
            self.val_check_interval = _val_check_interval(val_check_interval, check_val_every_n_epoch, fast_dev_run)
        self._last_val_time = 0.0  # time.monotonic() at the last validation's end (time-based intervals)
        if check_val_every_n_epoch is not None and (not isinstance(check_val_every_n_epoch, int)
                                                    or check_val_every_n_epoch < 1):
            raise MisconfigurationException(
                f"`check_val_every_n_epoch={check_val_every_n_epoch!r}` must be a positive int or None."
            )
        self.check_val_every_n_epoch = check_val_every_n_epoch
        self.reload_dataloaders_every_n_epochs = reload_dataloaders_every_n_epochs
        if fast_dev_run:
            n = fast_dev_run
            self.limit_train_batches = self.limit_val_batches = overfit_batches if self.overfit_batches > 0 else n
            self.limit_test_batches = self.limit_predict_batches = n
            max_steps, max_epochs, self.num_sanity_val_steps = n, 1, 0
            self.val_check_interval, self.check_val_every_n_epoch = 1.0, 1
            rank_zero_info(
                f"Running in `fast_dev_run` mode: will run the requested loop using {n} batch(es). "
                "Logging and checkpointing is suppressed."
            )
        self.log_every_n_steps = 50 if log_every_n_steps is None else log_every_n_steps
        if not isinstance(accumulate_grad_batches, int) or accumulate_grad_batches < 1:
            raise MisconfigurationException(
                f"`accumulate_grad_batches={accumulate_grad_batches!r}` must be a positive integer."
            )
        self.accumulate_grad_batches = accumulate_grad_batches
        if gradient_clip_val is not None and (isinstance(gradient_clip_val, bool)
                                              or not isinstance(gradient_clip_val, (int, float))):
            raise TypeError(f"`gradient_clip_val` should be an int or a float. Got {gradient_clip_val!r}.")
        if gradient_clip_algorithm is not None and str(gradient_clip_algorithm).lower() not in ("norm", "value"):
            raise MisconfigurationException(
                f"`gradient_clip_algorithm={gradient_clip_algorithm!r}` is invalid. Allowed: 'norm', 'value'."
            )
        self.gradient_clip_val = gradient_clip_val
        self.gradient_clip_algorithm = None if gradient_clip_algorithm is None else str(gradient_clip_algorithm).lower()
        self._inference_mode = inference_mode
        self._detect_anomaly = detect_anomaly
        self._set_determinism(deterministic, benchmark)

        # ------------------------------------------------ loops
        # (imported here, not with the module: `import lightning` does not need the loops and their machinery)
        from lightning.pytorch.loops.evaluation_loop import _EvaluationLoop
        from lightning.pytorch.loops.fit_loop import _FitLoop
        from lightning.pytorch.loops.prediction_loop import _PredictionLoop
        from lightning.pytorch.loops.training_epoch_loop import _TrainingEpochLoop
        from lightning.pytorch.trainer.data import DataConnector
        from lightning.pytorch.trainer.dispatch import HookDispatcher
        from lightning.pytorch.trainer.metric_flow import MetricFlow

        self.fit_loop = _FitLoop(self, min_epochs=min_epochs, max_epochs=max_epochs)
        self.fit_loop.epoch_loop = _TrainingEpochLoop(self, min_steps=min_steps, max_steps=max_steps)
        self.validate_loop = _EvaluationLoop(self, TrainerFn.VALIDATING, RunningStage.VALIDATING,
                                             inference_mode=inference_mode)
        self.test_loop = _EvaluationLoop(self, TrainerFn.TESTING, RunningStage.TESTING, inference_mode=inference_mode)
        self.predict_loop = _PredictionLoop(self, inference_mode=inference_mode)

        # ------------------------------------------------ run state
        self._default_root_dir = os.fspath(default_root_dir) if default_root_dir is not None else None
        self.should_stop = False
        self.sanity_checking = False
        self.received_sigterm = False
        self.num_training_batches: Union[int, float] = float("inf")
        self.num_sanity_val_batches: list = []
        self.val_check_batch: Union[int, float] = float("inf")
        self.datamodule: Optional[LightningDataModule] = None
        self.ckpt_path: Optional[str] = None
        self._results: Any = None
        self._train_combined_loader: Any = None
        self._warned_workers: set = set()
        self._hooks = HookDispatcher(self)
        self._data = DataConnector(self)
        self._metric_flow = MetricFlow(self)
        self._enable_autolog_hparams = enable_autolog_hparams
        self._model_registry = model_registry

        # ------------------------------------------------ callbacks, loggers, profiler
        self.loggers = self._configure_loggers(logger)
        from lightning.pytorch.trainer.defaults import configure_callbacks

        self.callbacks = configure_callbacks(
            callbacks, enable_checkpointing=enable_checkpointing is not False,
            enable_progress_bar=enable_progress_bar is not False,
            enable_model_summary=enable_model_summary is not False, max_time=max_time,
        )
        self.profiler = self._configure_profiler(profiler)

    # ================================================================ configuration helpers
    def _configure_loggers(self, logger: Any) -> list:
        if logger is False or logger is None and self.barebones:
            return []
        if logger is None or logger is True:
            if self.fast_dev_run:
                from lightning.pytorch.loggers.logger import DummyLogger

                return [DummyLogger()]
            from lightning.pytorch.trainer.defaults import default_logger

            return [default_logger(self.default_root_dir)]
        loggers = list(logger) if isinstance(logger, Iterable) else [logger]
        if self.fast_dev_run:
            from lightning.pytorch.loggers.logger import DummyLogger

            return [DummyLogger()] if loggers else []
        return loggers

    def _configure_profiler(self, profiler: Any) -> Any:
        from lightning.pytorch.profilers import PassThroughProfiler

        if profiler is None:
            return PassThroughProfiler()
        if isinstance(profiler, str):
            from lightning.pytorch.profilers import profiler_from_name

            return profiler_from_name(profiler)
        return profiler

    def _set_determinism(self, deterministic: Optional[Union[bool, str]], benchmark: Optional[bool]) -> None:
        self._deterministic = deterministic
        if deterministic is not None:
            if deterministic == "warn":
                torch.use_deterministic_algorithms(True, warn_only=True)
            elif isinstance(deterministic, bool):
                torch.use_deterministic_algorithms(deterministic)
            else:
                raise MisconfigurationException(f"`deterministic={deterministic!r}` must be a bool or 'warn'.")
            if deterministic:
                os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        if benchmark and deterministic:
            rank_zero_warn(
                "`deterministic=True` and `benchmark=True` contradict each other: cuDNN benchmarking picks "
                "kernels by timing, which is not deterministic. Drop `benchmark=True` for reproducible runs."
            )
        if benchmark is not None:
            torch.backends.cudnn.benchmark = benchmark
        elif deterministic:
            torch.backends.cudnn.benchmark = False

    @rank_zero_only
    def _log_device_info(self) -> None:
        from lightning.pytorch.accelerators.mps import MPSAccelerator

        # as 2.6.6: the GPU kind is named only when there is one ("GPU available: False, used: False" on a CPU box)
        gpu_type = " (cuda)" if torch.cuda.is_available() else " (mps)" if MPSAccelerator.is_available() else ""
        used = type(self.accelerator).__name__ in ("CUDAAccelerator", "MPSAccelerator")
        rank_zero_info(f"GPU available: {bool(gpu_type)}{gpu_type}, used: {used}")
        rank_zero_info("TPU available: False, using: 0 TPU cores")
        if gpu_type and not used:
            rank_zero_warn(
                "GPU available but not used. Pass `Trainer(accelerator='gpu')` (or 'auto') to use it.",
                category=PossibleUserWarning,
            )

    # ================================================================ entry points
    def fit(self, model: LightningModule, train_dataloaders: Any = None, val_dataloaders: Any = None,
            datamodule: Optional[LightningDataModule] = None, ckpt_path: Optional[Union[str, Path]] = None,
            weights_only: Optional[bool] = None) -> None:
        """Train ``model`` (and validate it as configured) on the given loaders, datamodule or its own loaders."""
        model = self._check_model(model, "fit")
        self.strategy._lightning_module = model
        self.state.fn = TrainerFn.FITTING
        self.state.status = TrainerStatus.RUNNING
        self.training = True
        self.should_stop = False
        self._call_and_handle_interrupt(self._fit_impl, model, train_dataloaders, val_dataloaders, datamodule,
                                        ckpt_path, weights_only)

    def _fit_impl(self, model: LightningModule, train_dataloaders: Any, val_dataloaders: Any,
                  datamodule: Optional[LightningDataModule], ckpt_path: Any, weights_only: Optional[bool]) -> None:
        if isinstance(train_dataloaders, LightningDataModule):
            datamodule, train_dataloaders = train_dataloaders, None
        if (train_dataloaders is not None or val_dataloaders is not None) and datamodule is not None:
            raise MisconfigurationException(
                "You cannot pass `train_dataloaders` or `val_dataloaders` together with `datamodule` to `trainer.fit`;"
                " use one or the other."
            )
        self._attach_data(model, datamodule, train_dataloaders=train_dataloaders, val_dataloaders=val_dataloaders)
        self.fit_loop._combined_loader = None
        self.fit_loop.epoch_loop.val_loop._combined_loader = None
        from lightning.pytorch.trainer import checkpointing
        path = checkpointing.resolve_ckpt_path(self, TrainerFn.FITTING, ckpt_path, model_provided=True)
        self._run(model, path, weights_only)
        self.training = False

    def validate(self, model: Optional[LightningModule] = None, dataloaders: Any = None,
                 ckpt_path: Optional[Union[str, Path]] = None, verbose: bool = True,
                 datamodule: Optional[LightningDataModule] = None, weights_only: Optional[bool] = None) -> list:
        """Run one validation epoch; returns one dict of logged metrics per dataloader."""
        return self._evaluate(TrainerFn.VALIDATING, model, dataloaders, ckpt_path, verbose, datamodule, weights_only)

    def test(self, model: Optional[LightningModule] = None, dataloaders: Any = None,
             ckpt_path: Optional[Union[str, Path]] = None, verbose: bool = True,
             datamodule: Optional[LightningDataModule] = None, weights_only: Optional[bool] = None) -> list:
        """Run one test epoch; returns one dict of logged metrics per dataloader."""
        return self._evaluate(TrainerFn.TESTING, model, dataloaders, ckpt_path, verbose, datamodule, weights_only)

    def _evaluate(self, fn: TrainerFn, model: Optional[LightningModule], dataloaders: Any, ckpt_path: Any,
                  verbose: bool, datamodule: Optional[LightningDataModule], weights_only: Optional[bool]) -> list:
        model_provided = model is not None
        if model is None:
            if self.lightning_module is None:
                raise TypeError(
                    f"`Trainer.{fn.value}()` requires a `LightningModule` when no model was given to a previous "
                    "trainer call."
                )
            model = self.lightning_module
        model = self._check_model(model, fn.value)
        self.strategy._lightning_module = model
        self.state.fn = fn
        self.state.status = TrainerStatus.RUNNING
        stage = RunningStage.VALIDATING if fn == TrainerFn.VALIDATING else RunningStage.TESTING
        self.state.stage = stage
        return self._call_and_handle_interrupt(self._evaluate_impl, fn, model, model_provided, dataloaders,
                                               ckpt_path, verbose, datamodule, weights_only)

    def _evaluate_impl(self, fn: TrainerFn, model: LightningModule, model_provided: bool, dataloaders: Any,
                       ckpt_path: Any, verbose: bool, datamodule: Optional[LightningDataModule],
                       weights_only: Optional[bool]) -> list:
        if isinstance(dataloaders, LightningDataModule):
            datamodule, dataloaders = dataloaders, None
        if dataloaders is not None and datamodule is not None:
            raise MisconfigurationException(
                f"You cannot pass both `trainer.{fn.value}(dataloaders=..., datamodule=...)`; use one of them."
            )
        loop = self.validate_loop if fn == TrainerFn.VALIDATING else self.test_loop
        loop.verbose = verbose
        loop._combined_loader = None
        key = "val_dataloaders" if fn == TrainerFn.VALIDATING else "test_dataloaders"
        self._attach_data(model, datamodule, **{key: dataloaders})
        from lightning.pytorch.trainer import checkpointing
        path = checkpointing.resolve_ckpt_path(self, fn, ckpt_path, model_provided)
        results = self._run(model, path, weights_only)
        self.state.stage = None
        return convert_tensors_to_scalars(results)

    def predict(self, model: Optional[LightningModule] = None, dataloaders: Any = None,
                datamodule: Optional[LightningDataModule] = None, return_predictions: Optional[bool] = None,
                ckpt_path: Optional[Union[str, Path]] = None, weights_only: Optional[bool] = None) -> Optional[list]:
        """Run ``predict_step`` over the predict dataloader(s) and return the predictions."""
        model_provided = model is not None
        if model is None:
            if self.lightning_module is None:
                raise TypeError(
                    "`Trainer.predict()` requires a `LightningModule` when no model was given to a previous trainer "
                    "call."
                )
            model = self.lightning_module
        model = self._check_model(model, "predict")
        self.strategy._lightning_module = model
        self.state.fn = TrainerFn.PREDICTING
        self.state.status = TrainerStatus.RUNNING
        self.predicting = True
        return self._call_and_handle_interrupt(self._predict_impl, model, model_provided, dataloaders, datamodule,
                                               return_predictions, ckpt_path, weights_only)

    def _predict_impl(self, model: LightningModule, model_provided: bool, dataloaders: Any,
                      datamodule: Optional[LightningDataModule], return_predictions: Optional[bool],
                      ckpt_path: Any, weights_only: Optional[bool]) -> Optional[list]:
        self.predict_loop.return_predictions = return_predictions
        if isinstance(dataloaders, LightningDataModule):
            datamodule, dataloaders = dataloaders, None
        if dataloaders is not None and datamodule is not None:
            raise MisconfigurationException(
                "You cannot pass both `trainer.predict(dataloaders=..., datamodule=...)`; use one of them."
            )
        self._attach_data(model, datamodule, predict_dataloaders=dataloaders)
        from lightning.pytorch.trainer import checkpointing
        path = checkpointing.resolve_ckpt_path(self, TrainerFn.PREDICTING, ckpt_path, model_provided)
        results = self._run(model, path, weights_only)
        self.predicting = False
        return results

    def _check_model(self, model: Any, fn: str) -> LightningModule:
        compiled = getattr(model, "_orig_mod", None)
        if compiled is not None and isinstance(compiled, LightningModule):
            compiled._compiler_ctx = {"compiled": model}
            model = compiled
        if not isinstance(model, LightningModule):
            raise TypeError(f"`Trainer.{fn}()` requires a `LightningModule`, got: {type(model).__qualname__}")
        return model

    def _attach_data(self, model: LightningModule, datamodule: Optional[LightningDataModule], **loaders: Any) -> None:
        if datamodule is not None:
            if not isinstance(datamodule, LightningDataModule):
                raise TypeError(f"`datamodule` must be a `LightningDataModule`, got {type(datamodule).__qualname__}")
            datamodule.trainer = self
        self.datamodule = datamodule
        self._data.attach(model, datamodule, **loaders)

    def _call_and_handle_interrupt(self, fn: Any, *args: Any) -> Any:
        try:
            launcher = getattr(self.strategy, "launcher", None)
            if launcher is not None:
                return launcher.launch(fn, *args, trainer=self)
            return fn(*args)
        except _TunerExitException:
            # the Tuner's search is done: end this call as a finished run, not as a failure
            self._teardown()
            self._setup_hooks("teardown")
            self.state.status = TrainerStatus.FINISHED
            self.state.stage = None
        except KeyboardInterrupt as exception:
            rank_zero_info("\nDetected KeyboardInterrupt, attempting graceful shutdown ...")
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._interrupt(exception)
            self._teardown()
            raise SystemExit(1)
        except BaseException as exception:
            self._interrupt(exception)
            self._teardown()
            self.state.stage = None
            raise

    def _interrupt(self, exception: BaseException) -> None:
        self.state.status = TrainerStatus.INTERRUPTED
        if self.lightning_module is not None:
            self._hooks.module = self._hooks.module or self.lightning_module
            self._hooks.call_callbacks("on_exception", exception)
        if self.datamodule is not None:
            self._hooks.datamodule = self.datamodule
            self._hooks.call_datamodule("on_exception", exception)
        on_exception = getattr(self.strategy, "on_exception", None)
        if on_exception is not None:
            on_exception(exception)
        for logger in self.loggers:
            logger.finalize("failed")

    # ================================================================ the shared run
    def _run(self, model: LightningModule, ckpt_path: Optional[str], weights_only: Optional[bool] = None) -> Any:
        model.trainer = self
        from lightning.pytorch.utilities.parsing import clean_namespace

        clean_namespace(model.hparams)  # as 2.6.6: what cannot be pickled is dropped, with a warning per name
        self.strategy.connect(model)
        if self.state.fn == TrainerFn.FITTING:
            self._resolve_loop_limits()
        hooks = self._hooks
        hooks.module = model
        hooks.datamodule = self.datamodule
        from lightning.pytorch.trainer.defaults import merge_model_callbacks
        from lightning.pytorch.trainer.validation import verify_run_configuration

        self.callbacks = merge_model_callbacks(self.callbacks, hooks.call_module("configure_callbacks"))
        extra_callbacks = verify_run_configuration(self, model)
        run_callbacks = self.callbacks + extra_callbacks
        hooks.profiler = None if type(self.profiler).__name__ == "PassThroughProfiler" else self.profiler
        hooks.resolve(model, self.datamodule, run_callbacks)
        self._run_callbacks = run_callbacks
        self.strategy.setup_environment()
        self._prepare_data()
        self._setup_hooks("setup")
        self._configure_model(model)
        self.ckpt_path = ckpt_path
        from lightning.pytorch.trainer import checkpointing

        checkpoint = None
        resuming_fit_loop = False
        if ckpt_path is not None:
            checkpoint = checkpointing.load_for_resume(self, ckpt_path, weights_only)
            if not self.strategy.restore_checkpoint_after_setup:
                checkpointing.restore_modules_and_callbacks(self, checkpoint)
        self._metric_flow.reset_metrics()
        self.strategy.setup(self)
        if self.state.fn == TrainerFn.FITTING:
            hooks.fire("on_fit_start")
        if self._enable_autolog_hparams and self.loggers:
            from lightning.pytorch.loggers.utilities import _log_hyperparams

            _log_hyperparams(self)
        if checkpoint is not None:
            resuming_fit_loop = self.state.fn == TrainerFn.FITTING and "fit_loop" in (checkpoint.get("loops") or {})
            if self.strategy.restore_checkpoint_after_setup:
                checkpointing.restore_modules_and_callbacks(self, checkpoint)
            checkpointing.restore_training_state(self, checkpoint)
            del checkpoint
            restored = "Restored all states" if self.state.fn == TrainerFn.FITTING else "Loaded model weights"
            rank_zero_info(f"{restored} from the checkpoint at {ckpt_path}")
        self.profiler._lightning_module = model  # PyTorchProfiler records module names and reads batch counts
        self.profiler.setup(stage=self.state.fn.value, local_rank=self.local_rank if self.world_size > 1 else None,
                             log_dir=self.log_dir)
        results = self._run_stage(resuming_fit_loop)
        self._teardown()
        if self.state.fn == TrainerFn.FITTING:
            hooks.fire("on_fit_end")
        self._setup_hooks("teardown")
        model._current_fx_name = None
        for logger in self.loggers:
            logger.finalize("success")
        self.profiler.describe()
        self.state.status = TrainerStatus.FINISHED
        self.state.stage = None
        return results

    def _resolve_loop_limits(self) -> None:
        """Epoch limits left unset are decided when fitting starts (so validate/test report them unset)."""
        fit_loop = self.fit_loop
        if fit_loop.max_epochs is None:
            timed = any(type(c).__name__ == "Timer" for c in self.callbacks)
            if self.max_steps == -1 and not timed:
                rank_zero_warn(
                    "`max_epochs` was not set. Setting it to 1000 epochs. Pass `max_epochs=-1` for no epoch limit.",
                    category=PossibleUserWarning,
                )
                fit_loop.max_epochs = 1000
            else:
                fit_loop.max_epochs = -1
        if fit_loop.min_epochs is None:
            # 1 when min_steps is set, so that `should_stop` from on_fit_start is re-checked; else 0
            fit_loop.min_epochs = 1 if self.min_steps is not None else 0

    def _prepare_data(self) -> None:
        local_rank_zero = self.local_rank == 0
        global_rank_zero = self.local_rank == 0 and self.node_rank == 0
        hooks = self._hooks
        for obj, call in ((self.datamodule, hooks.call_datamodule), (self.lightning_module, hooks.call_module)):
            if obj is not None and is_overridden("prepare_data", obj):
                per_node = obj.prepare_data_per_node
                if (per_node and local_rank_zero) or (not per_node and global_rank_zero):
                    call("prepare_data")
                self.strategy.barrier("prepare_data")

    def _setup_hooks(self, name: str) -> None:
        """``setup`` / ``teardown`` on the datamodule, the callbacks and the module, with the stage."""
        stage = self.state.fn  # the TrainerFn itself, as 2.6.6 passes it (a str enum: `stage == "fit"` holds)
        self.strategy.barrier(f"pre_{name}")
        if self.datamodule is not None:
            self._hooks.call_datamodule(name, stage=stage)
        self._hooks.call_callbacks(name, stage=stage)
        self._hooks.call_module(name, stage=stage)
        self.strategy.barrier(f"post_{name}")

    def _configure_model(self, model: LightningModule) -> None:
        if is_overridden("configure_sharded_model", model):
            with self.strategy.model_sharded_context():
                self._hooks.call_module("configure_sharded_model")
        if is_overridden("configure_model", model):
            with self.strategy.tensor_init_context(), self.strategy.model_sharded_context(), \
                    self.precision_plugin.module_init_context():
                self._hooks.call_module("configure_model")

    def _run_stage(self, resuming_fit_loop: bool = False) -> Any:
        self.strategy.barrier("run-stage")
        self.lightning_module.zero_grad()
        if self.state.fn in (TrainerFn.VALIDATING, TrainerFn.TESTING):
            loop = self.validate_loop if self.state.fn == TrainerFn.VALIDATING else self.test_loop
            return loop.run()
        if self.state.fn == TrainerFn.PREDICTING:
            return self.predict_loop.run()
        from lightning.pytorch.utilities.seed import isolate_rng

        # as 2.6.6: a loop state restored inside an epoch is not disturbed by a sanity check
        if not (resuming_fit_loop and self.fit_loop._restored_mid_epoch()):
            with isolate_rng():
                self._run_sanity_check()
        with torch.autograd.set_detect_anomaly(self._detect_anomaly):
            self.fit_loop.run()
        return None

    def _run_sanity_check(self) -> None:
        val_loop = self.fit_loop.epoch_loop.val_loop
        if not (self.num_sanity_val_steps and self.limit_val_batches and self._validation_defined()):
            return
        stage = self.state.stage
        self.sanity_checking = True
        self._metric_flow.reset_metrics()
        self._hooks.call_callbacks("on_sanity_check_start")
        val_loop.run()
        self._hooks.call_callbacks("on_sanity_check_end")
        self._metric_flow.reset_metrics()
        val_loop.batch_progress.reset()
        self.sanity_checking = False
        self.state.stage = stage

    def _validation_defined(self) -> bool:
        return self._data.source(RunningStage.VALIDATING).is_defined() and is_overridden(
            "validation_step", self.lightning_module
        )

    def _teardown(self) -> None:
        self.strategy.teardown()
        self._results = None

    # ================================================================ helpers used by the loops
    def _setup_val_check_batch(self, train_length: float) -> None:
        interval = self.val_check_interval
        if self._val_check_time_interval is not None:
            self.val_check_batch = None  # the training epoch loop watches the clock instead
            self._last_val_time = time.monotonic()
        elif isinstance(interval, int):
            self.val_check_batch = interval
            if interval > self.num_training_batches and self.check_val_every_n_epoch is not None:
                raise ValueError(
                    f"`val_check_interval` ({interval}) must be less than or equal to the number of the training "
                    f"batches ({self.num_training_batches}). To disable validation set `limit_val_batches=0.0`; to "
                    "validate every N batches across epochs set `check_val_every_n_epoch=None`."
                )
        elif self.num_training_batches == float("inf"):
            if interval != 1.0:
                raise MisconfigurationException(
                    "The training dataloader has no length (IterableDataset), so `Trainer(val_check_interval)` must "
                    "be 1.0 or an int (a number of batches)."
                )
            self.val_check_batch = float("inf")
        else:
            self.val_check_batch = max(1, int(self.num_training_batches * interval))

    def _warn_log_interval(self) -> None:
        if (self.loggers and self.num_training_batches < self.log_every_n_steps and not self.fast_dev_run
                and self.state.fn == TrainerFn.FITTING):
            rank_zero_warn(
                f"The number of training batches ({self.num_training_batches}) is smaller than the logging interval "
                f"Trainer(log_every_n_steps={self.log_every_n_steps}). Set a lower value for log_every_n_steps if "
                "you want to see logs for the training epoch.",
                category=PossibleUserWarning,
            )

    def _reduce_across(self, tensor: torch.Tensor, group: Any, op: str) -> torch.Tensor:
        if self.world_size == 1:
            return tensor
        if op in ("max", "min"):
            gathered = self.strategy.all_gather(tensor, group=group)
            return gathered.max() if op == "max" else gathered.min()
        return self.strategy.reduce(tensor, group=group, reduce_op=op)

    def _verify_manual_optimization(self, what: str) -> None:
        if self.lightning_module.automatic_optimization:
            raise MisconfigurationException(
                f"`{what}` is for manual optimization: set `self.automatic_optimization = False` in `__init__`, or "
                "return the loss from `training_step` and let Lightning call backward."
            )

    # ================================================================ public properties
    @property
    def accelerator(self) -> Any:
        return self.strategy.accelerator

    @property
    def precision_plugin(self) -> Any:
        return self.strategy.precision_plugin

    @property
    def precision(self) -> str:
        return self.strategy.precision_plugin.precision

    @property
    def lightning_module(self) -> Any:
        return self.strategy.lightning_module

    @property
    def model(self) -> Any:
        return self.strategy.model

    @property
    def optimizers(self) -> list:
        return self.strategy.optimizers

    @optimizers.setter
    def optimizers(self, new_optims: list) -> None:
        self.strategy.optimizers = new_optims

    @property
    def lr_scheduler_configs(self) -> list:
        return self.strategy.lr_scheduler_configs

    global_rank, local_rank, node_rank, world_size, is_global_zero = rank_properties("strategy")

    @property
    def device_ids(self) -> list:
        devices = getattr(self.strategy, "parallel_devices", None) or [self.strategy.root_device]
        return [d.index if d.index is not None else i for i, d in enumerate(devices)]

    @property
    def num_devices(self) -> int:
        return len(self.device_ids)

    @property
    def default_root_dir(self) -> str:
        if not self._default_root_dir:
            return os.getcwd()
        from lightning.fabric.utilities.cloud_io import _is_remote, _local

        # a URL keeps its "//" (normpath would make "memory://x" the local folder "memory:/x"); file:// is local
        root = self._default_root_dir
        return root if _is_remote(root) else os.path.normpath(os.path.expanduser(_local(root)))

    @property
    def log_dir(self) -> Optional[str]:
        if self.loggers:
            from lightning.pytorch.trainer.defaults import logger_log_dir

            dirpath = logger_log_dir(self.loggers[0])
        else:
            dirpath = self.default_root_dir
        return self.strategy.broadcast(dirpath)

    @property
    def logger(self) -> Any:
        return self.loggers[0] if self.loggers else None

    @logger.setter
    def logger(self, logger: Any) -> None:
        self.loggers = [logger] if logger else []

    @property
    def callback_metrics(self) -> dict:
        return self._metric_flow.callback_metrics

    @property
    def logged_metrics(self) -> dict:
        return self._metric_flow.logged_metrics

    @property
    def progress_bar_metrics(self) -> dict:
        return self._metric_flow.progress_bar_metrics

    @property
    def current_epoch(self) -> int:
        return self.fit_loop.epoch_progress.current.completed

    @property
    def global_step(self) -> int:
        return self.fit_loop.epoch_loop.global_step

    @property
    def max_epochs(self) -> Optional[int]:
        return self.fit_loop.max_epochs

    @property
    def min_epochs(self) -> Optional[int]:
        return self.fit_loop.min_epochs

    @property
    def max_steps(self) -> int:
        return self.fit_loop.max_steps

    @property
    def min_steps(self) -> Optional[int]:
        return self.fit_loop.min_steps

    @property
    def is_last_batch(self) -> bool:
        return self.fit_loop.epoch_loop.batch_progress.is_last_batch

    @property
    def enable_validation(self) -> bool:
        return bool(self.limit_val_batches) and self._validation_defined()

    @property
    def num_val_batches(self) -> list:
        return self.fit_loop.epoch_loop.val_loop._max_batches if self.state.fn == TrainerFn.FITTING else \
            self.validate_loop._max_batches

    @property
    def num_test_batches(self) -> list:
        return self.test_loop._max_batches

    @property
    def num_predict_batches(self) -> list:
        return self.predict_loop._max_batches

    @property
    def train_dataloader(self) -> Any:
        loader = self.fit_loop._combined_loader
        return loader.iterables if loader is not None else None

    @property
    def val_dataloaders(self) -> Any:
        loop = self.fit_loop.epoch_loop.val_loop if self.state.fn == TrainerFn.FITTING else self.validate_loop
        return loop._combined_loader.iterables if loop._combined_loader is not None else None

    @property
    def test_dataloaders(self) -> Any:
        loader = self.test_loop._combined_loader
        return loader.iterables if loader is not None else None

    @property
    def predict_dataloaders(self) -> Any:
        loader = self.predict_loop._combined_loader
        return loader.iterables if loader is not None else None

    @property
    def interrupted(self) -> bool:
        return self.state.status == TrainerStatus.INTERRUPTED

    @property
    def estimated_stepping_batches(self) -> Union[int, float]:
        """How many optimizer steps ``fit`` will take (for schedulers like OneCycleLR)."""
        max_epochs = self.max_epochs
        if max_epochs is None:
            max_epochs = 1000 if self.max_steps == -1 else -1
        if max_epochs == -1:
            return float("inf") if self.max_steps == -1 else self.max_steps
        if self.fit_loop._combined_loader is None:
            rank_zero_info("Loading `train_dataloader` to estimate number of stepping batches.")
            stage = self.state.stage
            self.fit_loop.setup_data()
            self.state.stage = stage
        total = self.num_training_batches
        if total == float("inf"):
            return self.max_steps
        steps = math.ceil(total / self.accumulate_grad_batches) * max(max_epochs, 1)
        return min(steps, self.max_steps) if self.max_steps != -1 else steps

    # ------------------------------------------------------------ stage flags
    def _stage_flag(self, stage: RunningStage) -> bool:
        return self.state.stage == stage

    def _set_stage(self, stage: RunningStage, value: bool) -> None:
        if value:
            self.state.stage = stage
        elif self.state.stage == stage:
            self.state.stage = None

    @property
    def training(self) -> bool:
        return self._stage_flag(RunningStage.TRAINING)

    @training.setter
    def training(self, value: bool) -> None:
        self._set_stage(RunningStage.TRAINING, value)

    @property
    def validating(self) -> bool:
        return self._stage_flag(RunningStage.VALIDATING)

    @validating.setter
    def validating(self, value: bool) -> None:
        self._set_stage(RunningStage.VALIDATING, value)

    @property
    def testing(self) -> bool:
        return self._stage_flag(RunningStage.TESTING)

    @testing.setter
    def testing(self, value: bool) -> None:
        self._set_stage(RunningStage.TESTING, value)

    @property
    def predicting(self) -> bool:
        return self._stage_flag(RunningStage.PREDICTING)

    @predicting.setter
    def predicting(self, value: bool) -> None:
        self._set_stage(RunningStage.PREDICTING, value)

    @property
    def sanity_checking(self) -> bool:
        return self._stage_flag(RunningStage.SANITY_CHECKING)

    @sanity_checking.setter
    def sanity_checking(self, value: bool) -> None:
        self._set_stage(RunningStage.SANITY_CHECKING, value)

    @property
    def evaluating(self) -> bool:
        return self.state.stage is not None and self.state.stage.evaluating

    # ------------------------------------------------------------ callbacks by kind
    @property
    def checkpoint_callbacks(self) -> list:
        from lightning.pytorch.callbacks.checkpoint import Checkpoint

        return [c for c in self.callbacks if isinstance(c, Checkpoint)]

    @property
    def checkpoint_callback(self) -> Any:
        from lightning.pytorch.callbacks.model_checkpoint import ModelCheckpoint

        found = [c for c in self.callbacks if isinstance(c, ModelCheckpoint)]
        return found[0] if found else None

    @property
    def early_stopping_callbacks(self) -> list:
        from lightning.pytorch.callbacks.early_stopping import EarlyStopping

        return [c for c in self.callbacks if isinstance(c, EarlyStopping)]

    @property
    def early_stopping_callback(self) -> Any:
        found = self.early_stopping_callbacks
        return found[0] if found else None

    @property
    def progress_bar_callback(self) -> Any:
        from lightning.pytorch.callbacks.progress.progress_bar import ProgressBar

        return next((c for c in self.callbacks if isinstance(c, ProgressBar)), None)

    # ================================================================ checkpoints and init
    def save_checkpoint(self, filepath: Any, weights_only: Optional[bool] = None,
                        storage_options: Optional[Any] = None) -> None:
        """Write the current state to ``filepath`` (atomically; rank zero only in distributed runs)."""
        if self.model is None:
            raise AttributeError(
                "Saving a checkpoint is only possible if a model is attached to the Trainer. Call "
                "`trainer.save_checkpoint()` after `trainer.fit/validate/test/predict(model)`."
            )
        if weights_only is None:  # as 2.6.6: a full checkpoint, and a note that the choice was made for the user
            weights_only = False
            log.info("`weights_only` was not set, defaulting to `False`.")
        from lightning.pytorch.trainer import checkpointing
        checkpoint = checkpointing.build_checkpoint(self, weights_only)
        self.strategy.save_checkpoint(checkpoint, filepath, storage_options=storage_options)
        self.strategy.barrier("Trainer.save_checkpoint")

    @contextlib.contextmanager
    def init_module(self, empty_init: Optional[bool] = None) -> Generator:
        """Create the model's tensors directly on the target device and in the target dtype."""
        with self.strategy.tensor_init_context(empty_init=empty_init):
            yield
