"""``_MultiProcessingLauncher`` (``strategy="ddp_spawn"`` / ``"ddp_fork"`` / ``"ddp_notebook"``): starts one worker
per device from the current process with ``torch.multiprocessing``; the main process itself does not train.

Rank 0's return value comes back to the main process (serialized: see ``_to_bytes``); the Trainer's subclass adds
the trainer's state to it (``_worker_output`` / ``_output_in_main_process``).
"""
import io
import os
from typing import Any, Callable

import torch

from lightning.fabric.strategies.launchers.launcher import _Launcher
from lightning.fabric.utilities.apply_func import apply_to_collection, move_data_to_device
from lightning.fabric.utilities.distributed import _check_port_free, _set_num_threads_if_needed


class _MultiProcessingLauncher(_Launcher):
    """Spawns (``start_method="spawn"``) or forks (``"fork"``/``"forkserver"``) ``strategy.num_processes`` workers.

    With "spawn" the function and its arguments are pickled into each worker, so they must be picklable and the
    script needs an ``if __name__ == "__main__":`` guard. "fork" works in notebooks but not after CUDA has been
    initialized in the main process. What rank 0's function returns comes back to the main process.
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

    def launch(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        return self._start(function, args, kwargs, None)

    def _start(self, function: Callable, args: Any, kwargs: Any, context: Any) -> Any:
        """Run ``function`` in every worker; ``context`` travels with it for the subclass hooks below."""
        if self._start_method in ("fork", "forkserver") and torch.cuda.is_available() and torch.cuda.is_initialized():
            raise RuntimeError(
                "CUDA was already initialized in this process, so it cannot be forked. Use "
                "`strategy='ddp_spawn'` or `strategy='ddp'`, or do not touch CUDA before launching."
            )
        import torch.multiprocessing as mp

        environment = self._strategy.cluster_environment
        _check_port_free(environment.main_address, environment.main_port)
        os.environ["MASTER_PORT"] = str(environment.main_port)
        context_mp = mp.get_context(self._start_method)
        return_queue = context_mp.SimpleQueue()
        process_context = mp.start_processes(
            self._wrapping_function, args=(context, function, args, kwargs, return_queue),
            nprocs=self._strategy.num_processes, start_method=self._start_method, join=False,
        )
        self.procs = process_context.processes
        while not process_context.join():  # raises ProcessRaisedException with the worker's traceback
            pass
        return self._output_in_main_process(_from_bytes(return_queue.get()), context)

    def kill(self, signum: int) -> None:
        for proc in self.procs:
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signum)

    def _wrapping_function(self, process_idx: int, context: Any, function: Callable, args: Any, kwargs: Any,
                           return_queue: Any) -> None:
        if self._start_method == "spawn":
            # a spawned worker received its tensors through shared memory; detach them so in-place updates stay local
            args, kwargs = _clone_module_tensors((args, kwargs))
        _set_num_threads_if_needed(num_processes=self._strategy.num_processes)
        os.environ["LOCAL_RANK"] = str(process_idx)
        results = self._worker_output(function(*args, **kwargs), context)
        if process_idx == 0:
            return_queue.put(_to_bytes(move_data_to_device(results, "cpu")))

    def _worker_output(self, results: Any, context: Any) -> Any:
        """What a worker sends back (rank 0's is used)."""
        return results

    def _output_in_main_process(self, output: Any, context: Any) -> Any:
        return output


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
