"""``_MultiProcessingLauncher`` (``strategy="ddp_spawn"`` / ``"ddp_fork"`` / ``"ddp_notebook"``): starts one worker
per device from the current process with ``torch.multiprocessing``; the main process itself does not train.

Rank 0 sends back what the main process needs to look as if it had trained: the final weights (through a temporary
file), the best checkpoint path, the trainer state, the callback metrics and the entry point's return value.
"""
import io
import os
import tempfile
from typing import Any, Callable, NamedTuple, Optional

import torch
from torch import Tensor

from lightning.fabric.utilities.apply_func import apply_to_collection, move_data_to_device
from lightning.fabric.utilities.distributed import _check_port_free, _set_num_threads_if_needed
from lightning.pytorch.strategies.launchers.launcher import _Launcher
from lightning.pytorch.trainer.states import TrainerFn


class _WorkerOutput(NamedTuple):
    best_model_path: Optional[str]
    weights_path: Optional[str]
    trainer_state: Any
    trainer_results: Any
    callback_metrics: dict


class _MultiProcessingLauncher(_Launcher):
    """Spawns (``start_method="spawn"``) or forks (``"fork"``/``"forkserver"``) ``strategy.num_processes`` workers.

    With "spawn" the trainer, the model and the entry point's arguments are pickled into each worker, so they must be
    picklable and the script needs an ``if __name__ == "__main__":`` guard. "fork" works in notebooks but not after
    CUDA has been initialized in the main process.
    """

    def __init__(self, strategy: Any, start_method: str = "spawn") -> None:
        self._strategy = strategy
        self._start_method = start_method
        import torch.multiprocessing as mp  # here, not at import: only spawn/fork users pay for it

        if start_method not in mp.get_all_start_methods():
            raise ValueError(
                f"The start method {start_method!r} is not available on this platform. Available: "
                f"{mp.get_all_start_methods()}; use strategy='ddp_spawn' (spawn) or 'ddp' (re-run the script)."
            )
        self.procs: list = []

    @property
    def is_interactive_compatible(self) -> bool:
        return self._start_method == "fork"

    def launch(self, function: Callable, *args: Any, trainer: Optional[Any] = None, **kwargs: Any) -> Any:
        if self._start_method in ("fork", "forkserver") and torch.cuda.is_available() and torch.cuda.is_initialized():
            raise RuntimeError(
                "CUDA was already initialized in this process, so it cannot be forked. Use "
                "`strategy='ddp_spawn'` or `strategy='ddp'`, or do not touch CUDA before `trainer.fit`."
            )
        import torch.multiprocessing as mp

        environment = self._strategy.cluster_environment
        _check_port_free(environment.main_address, environment.main_port)
        os.environ["MASTER_PORT"] = str(environment.main_port)
        context = mp.get_context(self._start_method)
        return_queue = context.SimpleQueue()
        process_context = mp.start_processes(
            self._wrapping_function, args=(trainer, function, args, kwargs, return_queue),
            nprocs=self._strategy.num_processes, start_method=self._start_method, join=False,
        )
        self.procs = process_context.processes
        while not process_context.join():  # raises ProcessRaisedException with the worker's traceback
            pass
        output = _from_bytes(return_queue.get())
        if trainer is None:
            return output
        self._recover_results_in_main_process(output, trainer)
        return output.trainer_results

    def kill(self, signum: int) -> None:
        for proc in self.procs:
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signum)

    def _wrapping_function(self, process_idx: int, trainer: Optional[Any], function: Callable, args: Any,
                           kwargs: Any, return_queue: Any) -> None:
        if self._start_method == "spawn":
            # a spawned worker received its tensors through shared memory; detach them so in-place updates stay local
            args, kwargs = _clone_module_tensors((args, kwargs))
        _set_num_threads_if_needed(num_processes=self._strategy.num_processes)
        os.environ["LOCAL_RANK"] = str(process_idx)
        results = function(*args, **kwargs)
        if trainer is not None:
            results = self._collect_rank_zero_results(trainer, results)
        if process_idx == 0:
            return_queue.put(_to_bytes(move_data_to_device(results, "cpu")))

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


def _to_bytes(obj: Any) -> bytes:
    # tensors put on a torch queue travel as shared-memory handles owned by the sender, which has exited by the time
    # the main process reads them; serialized bytes do not depend on the sender
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def _from_bytes(data: bytes) -> Any:
    return torch.load(io.BytesIO(data), weights_only=False)


def _clone_module_tensors(data: Any) -> Any:
    def clone(module: torch.nn.Module) -> torch.nn.Module:
        for tensor in [*module.parameters(), *module.buffers()]:
            tensor.data = tensor.data.clone()
        return module

    return apply_to_collection(data, torch.nn.Module, clone)
