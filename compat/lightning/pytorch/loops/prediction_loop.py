"""Prediction: one pass over the predict dataloader(s), collecting ``predict_step`` outputs on the CPU."""
from typing import Any, Optional

import torch
from torch.utils.data import DataLoader

from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.pytorch.loops.fetcher import DataFetcher, DataLoaderIter, pulled_by_step, takes_dataloader_iter
from lightning.pytorch.loops.progress import _BatchProgress
from lightning.pytorch.loops.utilities import _ModuleMode, hook_kwargs as _hook_kwargs
from lightning.pytorch.trainer.data import _rebuild_with_batch_sampler
from lightning.pytorch.trainer.states import RunningStage, TrainerFn
from lightning.pytorch.utilities.signature_utils import is_param_in_hook_signature

_warning_cache = WarningCache()


class _PredictionLoop:
    def __init__(self, trainer: Any, inference_mode: bool = True) -> None:
        self.trainer = trainer
        self.inference_mode = inference_mode
        self.batch_progress = _BatchProgress()
        self.epoch_batch_indices: list = []
        self.current_batch_indices: list = []
        self._predictions: list = []
        self._return_predictions = False
        self._keep_predictions = False
        self._combined_loader: Any = None
        self._max_batches: list = []
        self._results = None
        self._module_mode = _ModuleMode()

    @property
    def return_predictions(self) -> bool:
        return self._return_predictions

    @return_predictions.setter
    def return_predictions(self, value: Optional[bool]) -> None:
        self._return_predictions = True if value is None else value

    @property
    def predictions(self) -> list:
        """Predictions per dataloader; a flat list when there is one dataloader."""
        return self._predictions[0] if self.num_dataloaders == 1 else self._predictions

    @property
    def num_dataloaders(self) -> int:
        return len(self._combined_loader.flattened) if self._combined_loader is not None else 0

    @property
    def max_batches(self) -> list:
        return self._max_batches

    def setup_data(self) -> None:
        self._combined_loader, self._max_batches = self.trainer._data.eval_loaders(
            RunningStage.PREDICTING, TrainerFn.PREDICTING
        )
        if self._combined_loader is not None:
            self._combined_loader.flattened = [_recording_indices(dl) for dl in self._combined_loader.flattened]

    def run(self) -> Optional[list]:
        trainer = self.trainer
        self.setup_data()
        if sum(self._max_batches) == 0:
            return None
        self._combined_loader.limits = list(self._max_batches)
        self.batch_progress.reset_on_run()
        self._predictions = [[] for _ in range(self.num_dataloaders)]
        # an epoch-interval prediction writer needs the predictions even when they are not returned
        self._keep_predictions = self._return_predictions or any(
            getattr(getattr(cb, "interval", None), "on_epoch", False) for cb in trainer.callbacks
        )
        self.epoch_batch_indices = [[] for _ in range(self.num_dataloaders)]
        grad_context = torch.inference_mode() if self.inference_mode else torch.no_grad()
        hooks = trainer._hooks
        with grad_context:
            self._module_mode.capture(trainer.lightning_module)
            hooks.call_module("on_predict_model_eval")
            hooks.fire("on_predict_start")
            hooks.fire("on_predict_epoch_start")
            self._takes_batch_idx = is_param_in_hook_signature(
                trainer.lightning_module.predict_step, "batch_idx", min_args=2
            )
            fetcher = DataFetcher(self._combined_loader, sum(self._max_batches), hooks.profiler,
                                  "[_PredictionLoop].predict_next")
            pulled = DataLoaderIter(fetcher) if takes_dataloader_iter(trainer.lightning_module.predict_step) else None
            for batch, batch_idx, dataloader_idx in (pulled_by_step(pulled) if pulled is not None else fetcher):
                self.batch_progress.is_last_batch = fetcher.done
                try:
                    self._predict_step(batch, batch_idx, dataloader_idx, pulled)
                except StopIteration:  # a step that pulls its own batches ran out of them
                    break
            self._combined_loader.reset()  # no live loader iterator after the run (the Trainer stays picklable)
            hooks.fire("on_predict_epoch_end")
            results = self.predictions if self._return_predictions else None
            hooks.fire("on_predict_end")
            self._module_mode.restore(trainer.lightning_module)  # 2.6.6 has no `on_predict_model_train` hook
        return results

    def _predict_step(self, batch: Any, batch_idx: int, dataloader_idx: int,
                      pulled: Optional[DataLoaderIter] = None) -> None:
        """One step; with ``pulled`` (a ``predict_step(dataloader_iter)``) the step pulls its batches itself."""
        trainer = self.trainer
        hooks = trainer._hooks
        if pulled is None:
            batch = trainer.precision_plugin.convert_input(batch)
            batch = trainer.strategy.batch_to_device(batch, dataloader_idx=dataloader_idx)
        self.batch_progress.increment_ready()
        self.current_batch_indices = self._batch_indices(batch_idx, dataloader_idx)
        hook_kwargs = _hook_kwargs(batch, batch_idx, dataloader_idx, self.num_dataloaders > 1)
        hooks.fire("on_predict_batch_start", *hook_kwargs.values())
        self.batch_progress.increment_started()
        step_args = list(hook_kwargs.values())
        if pulled is not None:
            step_args = [pulled]
        elif not self._takes_batch_idx:
            del step_args[1]
        predictions = hooks.call_strategy("predict_step", *step_args)
        if pulled is not None:  # the hooks after the step see the last batch it pulled
            dataloader_idx = pulled.dataloader_idx
            hook_kwargs = _hook_kwargs(pulled.batch, pulled.batch_idx, dataloader_idx, self.num_dataloaders > 1)
        if predictions is None:
            _warning_cache.warn("`predict_step` returned None; if that is on purpose, ignore this warning.")
        self.batch_progress.increment_processed()
        if self._keep_predictions:
            self._predictions[dataloader_idx].append(move_data_to_device(predictions, torch.device("cpu")))
        hooks.fire("on_predict_batch_end", predictions, *hook_kwargs.values())
        self.batch_progress.increment_completed()

    def _batch_indices(self, batch_idx: int, dataloader_idx: int) -> list:
        """Dataset indices of the current batch (for prediction writers), when the batch sampler records them."""
        loader = self._combined_loader.flattened[dataloader_idx]
        batch_sampler = getattr(loader, "batch_sampler", None)
        if not isinstance(batch_sampler, _IndexBatchSamplerWrapper):
            return []
        self.epoch_batch_indices[dataloader_idx] = batch_sampler.seen_batch_indices
        seen = batch_sampler.seen_batch_indices
        return seen[batch_idx] if batch_idx < len(seen) else []


class _IndexBatchSamplerWrapper:
    """A batch sampler that remembers the dataset indices of every batch it yields."""

    def __init__(self, batch_sampler: Any) -> None:
        self._batch_sampler = batch_sampler
        self.seen_batch_indices: list = []

    def __iter__(self) -> Any:
        self.seen_batch_indices = []
        for indices in self._batch_sampler:
            self.seen_batch_indices.append(indices)
            yield indices

    def __len__(self) -> int:
        return len(self._batch_sampler)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._batch_sampler, name)


def _recording_indices(loader: Any) -> Any:
    """``loader`` rebuilt around an index-recording batch sampler (other loaders are returned as they are)."""
    if not isinstance(loader, DataLoader) or loader.batch_sampler is None:
        return loader
    if isinstance(loader.batch_sampler, _IndexBatchSamplerWrapper):
        return loader
    return _rebuild_with_batch_sampler(loader, _IndexBatchSamplerWrapper(loader.batch_sampler))
