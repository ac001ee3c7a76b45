"""Validation and test: one pass over the evaluation dataloader(s), one after the other, with no gradients."""
import time
from collections import ChainMap, defaultdict
from typing import Any, Optional

import torch

from lightning.pytorch.loops.fetcher import DataFetcher, DataLoaderIter, pulled_by_step, takes_dataloader_iter
from lightning.pytorch.loops._restart import _EvaluationRestartStage as RestartStage  # noqa: F401 - public at this path in 2.6.6
from lightning.pytorch.loops.progress import _BatchProgress
from lightning.pytorch.trainer.results import ResultCollection
from lightning.pytorch.trainer.states import RunningStage, TrainerFn
from lightning.pytorch.loops.utilities import _ModuleMode, hook_kwargs as _hook_kwargs
from lightning.pytorch.utilities.model_helpers import is_overridden
from lightning.pytorch.utilities.signature_utils import is_param_in_hook_signature


class _EvaluationLoop:
    def __init__(self, trainer: Any, trainer_fn: TrainerFn, stage: RunningStage, verbose: bool = True,
                 inference_mode: bool = True) -> None:
        self.trainer = trainer
        self.verbose = verbose
        self.inference_mode = inference_mode
        self.batch_progress = _BatchProgress()
        self._results = ResultCollection(training=False)
        self._trainer_fn = trainer_fn
        self._stage = stage
        self._combined_loader: Any = None
        self._max_batches: list = []
        self._logged_outputs: list = []
        self._has_run = False
        self._seen_batches_per_dataloader: dict = defaultdict(int)
        self._last_val_dl_reload_epoch = float("-inf")
        self._module_mode = _ModuleMode()

    @property
    def num_dataloaders(self) -> int:
        return len(self._combined_loader.flattened) if self._combined_loader is not None else 0

    @property
    def max_batches(self) -> list:
        return self._max_batches

    @property
    def skip(self) -> bool:
        return sum(self._max_batches) == 0

    @property
    def _prefix(self) -> str:
        return "test" if self._stage == RunningStage.TESTING else "validation"

    def setup_data(self) -> None:
        """Load (or reload, per ``reload_dataloaders_every_n_epochs``) the evaluation dataloaders."""
        trainer = self.trainer
        if self._combined_loader is not None and not self._should_reload():
            return
        testing = self._stage == RunningStage.TESTING
        limit = trainer.limit_test_batches if testing else trainer.limit_val_batches
        if limit == 0 and not (trainer.overfit_batches and not testing):
            return  # as 2.6.6: with no batches to run, the dataloader hook is not even called
        self._combined_loader, self._max_batches = trainer._data.eval_loaders(self._stage, self._trainer_fn)
        # the step numbers of per-batch logging count on across validation runs until the loaders are reloaded
        self._seen_batches_per_dataloader.clear()
        if self._stage == RunningStage.VALIDATING and self._trainer_fn == TrainerFn.FITTING:
            self._last_val_dl_reload_epoch = trainer.current_epoch

    def _should_reload(self) -> bool:
        trainer = self.trainer
        n = trainer.reload_dataloaders_every_n_epochs
        return (
            self._trainer_fn == TrainerFn.FITTING and n > 0
            and trainer.current_epoch - self._last_val_dl_reload_epoch >= n
        )

    def run(self) -> list:
        trainer = self.trainer
        self.setup_data()
        if self.skip:
            return []
        max_batches = trainer.num_sanity_val_batches if trainer.sanity_checking else self._max_batches
        if sum(max_batches) == 0:
            return []
        self._combined_loader.limits = list(max_batches)
        previous_results = trainer._results
        trainer._results = self._results
        self._results.clear()
        self._results.device = trainer.strategy.root_device
        self._results.reduce_across = trainer._reduce_across
        self.batch_progress.reset_on_run()
        grad_context = torch.inference_mode() if self.inference_mode else torch.no_grad()
        try:
            with grad_context:
                self._on_run_start()
                fetcher = DataFetcher(self._combined_loader, sum(max_batches), trainer._hooks.profiler,
                                      f"[_EvaluationLoop].{self._stage.dataloader_prefix}_next")
                pulled = DataLoaderIter(fetcher) if self._takes_iter else None
                batches = pulled_by_step(pulled) if pulled is not None else fetcher
                previous_idx = 0
                for batch, batch_idx, dataloader_idx in batches:
                    if previous_idx != dataloader_idx:
                        self._store_dataloader_outputs()
                    previous_idx = dataloader_idx
                    self.batch_progress.is_last_batch = fetcher.done
                    try:
                        self._evaluation_step(batch, batch_idx, dataloader_idx, pulled)
                    except StopIteration:  # a step that pulls its own batches ran out of them
                        break
                self._store_dataloader_outputs()
                return self._on_run_end()
        finally:
            trainer._results = previous_results
            trainer._last_val_time = time.monotonic()  # a time-based val_check_interval counts from here
            self._combined_loader.reset()  # no live loader iterator between runs (the Trainer stays picklable)

    def _on_run_start(self) -> None:
        trainer = self.trainer
        hooks = trainer._hooks
        self._verify_dataloader_idx_requirement()
        self._module_mode.capture(trainer.lightning_module)
        hooks.call_module(f"on_{self._prefix}_model_eval")
        hooks.fire(f"on_{self._prefix}_start")
        trainer._metric_flow.epoch_started()
        hooks.fire(f"on_{self._prefix}_epoch_start")
        self._step_takes_batch_idx = is_param_in_hook_signature(
            getattr(trainer.lightning_module, self._step_name), "batch_idx", min_args=2
        )

    @property
    def _step_name(self) -> str:
        return "test_step" if self._stage == RunningStage.TESTING else "validation_step"

    @property
    def _takes_iter(self) -> bool:
        return takes_dataloader_iter(getattr(self.trainer.lightning_module, self._step_name))

    def _evaluation_step(self, batch: Any, batch_idx: int, dataloader_idx: int,
                         pulled: Optional[DataLoaderIter] = None) -> None:
        """One step; with ``pulled`` (a step taking ``dataloader_iter``) the step pulls its batches itself."""
        trainer = self.trainer
        hooks = trainer._hooks
        if pulled is None:
            batch = trainer.precision_plugin.convert_input(batch)
            batch = trainer.strategy.batch_to_device(batch, dataloader_idx=dataloader_idx)
        several = self.num_dataloaders > 1
        hook_kwargs = _hook_kwargs(batch, batch_idx, dataloader_idx, several)
        self.batch_progress.increment_ready()
        trainer._metric_flow.on_batch_start(batch, dataloader_idx if several else None)
        prefix = self._prefix
        hooks.fire(f"on_{prefix}_batch_start", *hook_kwargs.values())
        self.batch_progress.increment_started()
        step_args = list(hook_kwargs.values())
        if pulled is not None:
            step_args = [pulled]
        elif not self._step_takes_batch_idx:
            del step_args[1]
        output = hooks.call_strategy(self._step_name, *step_args)
        self.batch_progress.increment_processed()
        if pulled is not None:  # the hooks after the step see the last batch it pulled
            dataloader_idx = pulled.dataloader_idx
            hook_kwargs = _hook_kwargs(pulled.batch, pulled.batch_idx, dataloader_idx, several)
        hooks.fire(f"on_{prefix}_batch_end", output, *hook_kwargs.values())
        trainer._metric_flow.on_batch_end()
        self.batch_progress.increment_completed()
        if not trainer.sanity_checking:
            self._has_run = True
            trainer._metric_flow.update_eval_step_metrics(self._seen_batches_per_dataloader[dataloader_idx])
            self._seen_batches_per_dataloader[dataloader_idx] += 1

    def _store_dataloader_outputs(self) -> None:
        flow = self.trainer._metric_flow
        flow.epoch_end_reached()
        self._logged_outputs.append(flow.update_eval_epoch_metrics())

    def _on_run_end(self) -> list:
        trainer = self.trainer
        hooks = trainer._hooks
        flow = trainer._metric_flow
        flow.epoch_end_reached()
        self._results.dataloader_idx = None
        hooks.fire(f"on_{self._prefix}_epoch_end")
        flow.on_epoch_end()
        logged_outputs, self._logged_outputs = self._logged_outputs, []
        # what the epoch-end hooks logged joins every dataloader's results and the one row sent to the loggers
        epoch_end_outputs = flow.update_eval_epoch_metrics()
        all_logged = dict(ChainMap(*logged_outputs))
        all_logged.update(epoch_end_outputs)
        for dl_outputs in logged_outputs:
            dl_outputs.update(epoch_end_outputs)
        flow.log_eval_end_metrics(all_logged)
        hooks.fire(f"on_{self._prefix}_end")
        flow.reset_results(self._results)  # torchmetrics objects logged in this run start the next one empty
        # the hook when the module overrides it, else every submodule gets back the mode it had before the loop
        train_hook = f"on_{self._prefix}_model_train"
        if is_overridden(train_hook, trainer.lightning_module):
            hooks.call_module(train_hook)
        else:
            self._module_mode.restore(trainer.lightning_module)
        if self.verbose and trainer.is_global_zero and not trainer.sanity_checking:
            from lightning.pytorch.loops.results_table import print_results_table

            print_results_table(logged_outputs, self._stage.value)
        return logged_outputs

    def _verify_dataloader_idx_requirement(self) -> None:
        trainer = self.trainer
        if trainer._hooks.shims is not None:  # a 1.x model: the legacy layer passes dataloader_idx as 1.x did
            return
        module = trainer.lightning_module
        step = "test_step" if self._stage == RunningStage.TESTING else "validation_step"
        prefix = self._prefix
        several = self.num_dataloaders > 1
        steps = () if self._takes_iter else (step,)  # a step pulling its own batches gets no dataloader_idx
        for name in (*steps, f"on_{prefix}_batch_start", f"on_{prefix}_batch_end"):
            fn = getattr(module, name)
            _check_dataloader_idx(fn, name, several, type(module).__name__)
        for callback in trainer.callbacks:
            for name in (f"on_{prefix}_batch_start", f"on_{prefix}_batch_end"):
                _check_dataloader_idx(getattr(callback, name), name, several, type(callback).__name__)


def _check_dataloader_idx(fn: Any, name: str, several: bool, owner: str) -> None:
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return
    param = params.get("dataloader_idx")
    if not several and param is not None and param.default is inspect.Parameter.empty:
        raise RuntimeError(
            f"`{owner}.{name}` takes `dataloader_idx`, but there is a single dataloader, so it is not passed. Give it a "
            "default: `dataloader_idx=0`."
        )
    # the index is passed positionally: a keyword-only `dataloader_idx` does not take it (2.6.6 raises here too)
    positional = param is not None and param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD)
    if several and name.endswith("_step") and not positional and not any(
        p.kind == inspect.Parameter.VAR_POSITIONAL for p in params.values()
    ):
        raise RuntimeError(
            f"There are several dataloaders, but `{owner}.{name}` does not take `dataloader_idx`. Add the parameter: "
            f"`def {name}(self, batch, batch_idx, dataloader_idx=0)`."
        )

