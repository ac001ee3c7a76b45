"""``DDPStrategy``: data-parallel training with ``torch.nn.parallel.DistributedDataParallel``, one process per
device, gloo on CPU and nccl on CUDA: the process group, the launcher and the model wrapper.

The names ``"ddp"`` (re-run the script per process), ``"ddp_spawn"``, ``"ddp_fork"``, ``"ddp_notebook"`` and their
``*_find_unused_parameters_{true,false}`` variants are registered at the bottom.
"""
import logging
import sys
from datetime import timedelta
from typing import Any, Optional

import torch
from torch.nn import Module
from torch.nn.parallel import DistributedDataParallel

from lightning.fabric.plugins.environments import detect_cluster_environment
from lightning.fabric.strategies.parallel import ParallelStrategy
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
from lightning.fabric.utilities.distributed import _init_dist_connection
from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.fabric.utilities.seed import reset_seed

__all__ = ["DDPStrategy"]

log = logging.getLogger(__name__)

_DEFAULT_TIMEOUT = timedelta(seconds=1800)
_START_METHODS = {"ddp": "popen", "ddp_spawn": "spawn", "ddp_fork": "fork", "ddp_notebook": "fork"}


class DDPStrategy(ParallelStrategy):
    """Replicates the model in every process and averages the gradients during backward.

    Args:
        process_group_backend: "gloo", "nccl", ... (default: nccl for CUDA devices, gloo otherwise).
        timeout: how long a collective may wait for the other processes.
        start_method: "popen" re-runs the script per process (the default, like torchrun); "spawn", "fork" and
            "forkserver" start workers from this process.
        **kwargs: passed to ``DistributedDataParallel`` (``find_unused_parameters``, ``static_graph``,
            ``gradient_as_bucket_view``, ``bucket_cap_mb`` ...).
    """

    strategy_name = "ddp"

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[Any] = None, checkpoint_io: Any = None, precision: Optional[Any] = None,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT,
                 start_method: str = "popen", **kwargs: Any) -> None:
        super().__init__(accelerator=accelerator, parallel_devices=parallel_devices,
                         cluster_environment=cluster_environment, checkpoint_io=checkpoint_io, precision=precision)
        if start_method not in ("popen", "spawn", "fork", "forkserver"):
            raise ValueError(
                f"`DDPStrategy(start_method={start_method!r})` is invalid; use 'popen', 'spawn', 'fork' or "
                "'forkserver'."
            )
        self._num_nodes = 1
        self._ddp_kwargs = kwargs
        self._process_group_backend = process_group_backend
        self._timeout = timeout
        self._start_method = start_method

    # ------------------------------------------------------------ configuration
    @property
    def root_device(self) -> torch.device:
        assert self.parallel_devices is not None, "the strategy has no devices yet; pass it to a Trainer or Fabric"
        return self.parallel_devices[self.local_rank]

    @property
    def num_nodes(self) -> int:
        return self._num_nodes

    @num_nodes.setter
    def num_nodes(self, num_nodes: int) -> None:
        self._num_nodes = num_nodes

    @property
    def num_processes(self) -> int:
        return len(self.parallel_devices) if self.parallel_devices is not None else 0

    @property
    def distributed_sampler_kwargs(self) -> dict:
        return {"num_replicas": self.num_nodes * self.num_processes, "rank": self.global_rank}

    @property
    def process_group_backend(self) -> Optional[str]:
        return self._process_group_backend

    @property
    def _uses_spawn(self) -> bool:
        return self._start_method == "spawn"

    def _configure_from_setup(self, device_setup: Any) -> None:
        """Take what the device resolution found: devices of this node, ``num_nodes``, the cluster environment
        (given as a plugin, else detected); then pick the launcher."""
        if self.parallel_devices is None:
            self.parallel_devices = list(device_setup.parallel_devices)
        self.num_nodes = device_setup.num_nodes
        if self.cluster_environment is None:
            self.cluster_environment = device_setup.cluster_environment or detect_cluster_environment()
        # ranks are known from here on (this process's LOCAL_RANK / NODE_RANK, or rank 0 of a launch still to come),
        # so rank-zero guards hold before the processes are launched as well as after
        self._set_world_ranks()
        if self.parallel_devices and self.parallel_devices[0].type == "mps":
            raise ValueError("DDP does not run on MPS devices; use `accelerator='cpu'` or a single MPS device.")
        self._configure_launcher()
        if _is_interactive() and not self._launcher.is_interactive_compatible \
                and not self.cluster_environment.creates_processes_externally:
            raise ValueError(
                f"`strategy={self.strategy_name if self._start_method == 'popen' else 'ddp_spawn'!r}` cannot start "
                "processes from an interactive session (a notebook or the Python prompt): it needs a script to re-run "
                "or picklable code. Use `strategy='ddp_notebook'` here, or run your code as a script."
            )

    # the package holding this front door's launchers (the Trainer's add the trainer to them)
    _launchers = "lightning.fabric.strategies.launchers"

    def _configure_launcher(self) -> None:
        import importlib

        assert self.cluster_environment is not None
        if self._start_method == "popen":
            launcher = importlib.import_module(f"{self._launchers}.subprocess_script")._SubprocessScriptLauncher
            self._launcher = launcher(self.cluster_environment, self.num_processes, self.num_nodes)
        else:
            launcher = importlib.import_module(f"{self._launchers}.multiprocessing")._MultiProcessingLauncher
            self._launcher = launcher(self, start_method=self._start_method)

    # ------------------------------------------------------------ process group
    def setup_environment(self) -> None:
        self._setup_distributed()
        super().setup_environment()

    def _setup_distributed(self) -> None:
        reset_seed()  # every process starts from the seed of `seed_everything`, like one process would
        self._set_world_ranks()
        self._process_group_backend = self._get_process_group_backend()
        assert self.cluster_environment is not None
        kwargs = {"timeout": self._timeout} if self._timeout is not None else {}
        _init_dist_connection(self.cluster_environment, self._process_group_backend, **kwargs)

    def _set_world_ranks(self) -> None:
        if self.cluster_environment is not None:
            self.cluster_environment.set_global_rank(self.node_rank * self.num_processes + self.local_rank)
            self.cluster_environment.set_world_size(self.num_nodes * self.num_processes)
        rank_zero_only.rank = self.global_rank  # type: ignore[attr-defined]

    def barrier(self, *args: Any, **kwargs: Any) -> None:
        super().barrier()

    # ------------------------------------------------------------ model
    def setup_module(self, module: Module) -> DistributedDataParallel:
        device_ids = self._determine_ddp_device_ids()
        log.debug(f"Wrapping the model in DistributedDataParallel (device_ids={device_ids}, {self._ddp_kwargs})")
        return DistributedDataParallel(module=module, device_ids=device_ids, **self._ddp_kwargs)

    def _determine_ddp_device_ids(self) -> Optional[list]:
        return None if self.root_device.type == "cpu" else [self.root_device.index]

    @classmethod
    def register_strategies(cls, strategy_registry: Any) -> None:
        for name, start_method in _START_METHODS.items():
            strategy_registry.register(name, cls, description=f"DDP with start_method={start_method!r}",
                                       start_method=start_method)
            for flag in (False, True):
                strategy_registry.register(
                    f"{name}_find_unused_parameters_{str(flag).lower()}", cls,
                    description=f"DDP with find_unused_parameters={flag} and start_method={start_method!r}",
                    find_unused_parameters=flag, start_method=start_method,
                )


def _is_interactive() -> bool:
    return hasattr(sys, "ps1") or bool(sys.flags.interactive)


DDPStrategy.register_strategies(STRATEGY_REGISTRY)
