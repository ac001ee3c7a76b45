"""The Trainer's ``_MultiProcessingLauncher`` (``strategy="ddp_spawn"`` / ``"ddp_fork"`` / ``"ddp_notebook"``): the
engine's launcher (``lightning.fabric.strategies.launchers.multiprocessing``), plus what the main process needs to
look as if it had trained: rank 0 sends back the final weights (through a temporary file), the best checkpoint path,
the trainer state, the callback metrics and the entry point's return value.
"""
import os
import tempfile
from typing import Any, Callable, NamedTuple, Optional

from torch import Tensor

from lightning.fabric.strategies.launchers.multiprocessing import _MultiProcessingLauncher as _EngineLauncher
from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.trainer.states import TrainerFn

__all__ = ["_MultiProcessingLauncher"]


class _WorkerOutput(NamedTuple):
    best_model_path: Optional[str]
    weights_path: Optional[str]
    trainer_state: Any
    trainer_results: Any
    callback_metrics: dict


class _MultiProcessingLauncher(_EngineLauncher):
    def launch(self, function: Callable, *args: Any, trainer: Optional[Any] = None, **kwargs: Any) -> Any:
        return self._start(function, args, kwargs, trainer)

    def _worker_output(self, results: Any, trainer: Any) -> Any:
        return results if trainer is None else self._collect_rank_zero_results(trainer, results)

    def _output_in_main_process(self, output: Any, trainer: Any) -> Any:
        if trainer is None:
            return output
        self._recover_results_in_main_process(output, trainer)
        return output.trainer_results

    def _collect_rank_zero_results(self, trainer: Any, results: Any) -> Optional[_WorkerOutput]:
        callback = trainer.checkpoint_callback
        best_model_path = getattr(callback, "best_model_path", None) if callback is not None else None
        state_dict = trainer.lightning_module.state_dict()
        if self._strategy.local_rank != 0:
            return None
        weights_path = None
        if trainer.state.fn == TrainerFn.FITTING:
            # weights go through a file: a queue would keep the tensors' shared memory alive in the main process
            weights_path = os.path.join(tempfile.mkdtemp(), ".temp.ckpt")
            self._strategy.checkpoint_io.save_checkpoint(state_dict, weights_path)
        metrics = apply_to_collection(dict(trainer.callback_metrics), Tensor, lambda t: t.detach().cpu().clone())
        return _WorkerOutput(best_model_path, weights_path, trainer.state, results, metrics)

    def _recover_results_in_main_process(self, output: _WorkerOutput, trainer: Any) -> None:
        callback = trainer.checkpoint_callback
        if callback is not None and hasattr(callback, "best_model_path"):
            callback.best_model_path = str(output.best_model_path or "")
        if output.weights_path is not None:
            state_dict = self._strategy.checkpoint_io.load_checkpoint(output.weights_path)
            trainer.lightning_module.load_state_dict(state_dict)
            self._strategy.checkpoint_io.remove_checkpoint(output.weights_path)
        trainer.state = output.trainer_state
        trainer.callback_metrics.update(output.callback_metrics)
