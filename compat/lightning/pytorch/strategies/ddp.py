"""The Trainer's ``DDPStrategy``: data-parallel training with ``torch.nn.parallel.DistributedDataParallel``, one
process per device, gloo on CPU and nccl on CUDA (the engine's ``DDPStrategy`` with the Trainer side).

The names ``"ddp"`` (re-run the script per process), ``"ddp_spawn"``, ``"ddp_fork"``, ``"ddp_notebook"`` and their
``*_find_unused_parameters_{true,false}`` variants are registered at the bottom.
"""
import re
from datetime import timedelta
from typing import Any, Callable, Optional

import torch
from torch import Tensor
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, SequentialSampler

from lightning.fabric.plugins.environments import ClusterEnvironment
from lightning.fabric.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.fabric.strategies.ddp import DDPStrategy as _EngineDDP
from lightning.fabric.utilities.distributed import DistributedSamplerWrapper, _UnrepeatedDistributedSamplerWrapper
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.parallel import ParallelStrategy
from lightning.pytorch.strategies.registry import StrategyRegistry
from lightning.pytorch.trainer.states import RunningStage, TrainerFn

_UNUSED_PARAMETERS_HINT = (
    "It looks like your LightningModule has parameters that were not used in producing the loss returned by "
    "training_step. If this is intentional, enable the detection of unused parameters in DDP with "
    "`strategy='ddp_find_unused_parameters_true'` or `strategy=DDPStrategy(find_unused_parameters=True)`."
)


class DDPStrategy(ParallelStrategy, _EngineDDP):
    """Replicates the model in every process and averages the gradients during backward.

    The engine's ``DDPStrategy`` (``lightning.fabric.strategies.ddp``) owns the process group, the launcher and the
    wrapper; this class adds the Trainer side: wrapping when fitting, communication hooks, ``sync_batchnorm``,
    manual optimization's backward, the data sharding and the exception handling.

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
                 cluster_environment: Optional[ClusterEnvironment] = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Precision] = None, ddp_comm_state: Optional[object] = None,
                 ddp_comm_hook: Optional[Callable] = None, ddp_comm_wrapper: Optional[Callable] = None,
                 model_averaging_period: Optional[int] = None, process_group_backend: Optional[str] = None,
                 timeout: Optional[timedelta] = _DEFAULT_TIMEOUT, start_method: str = "popen",
                 **kwargs: Any) -> None:
        _EngineDDP.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                            cluster_environment=cluster_environment, checkpoint_io=checkpoint_io,
                            precision=precision_plugin, process_group_backend=process_group_backend, timeout=timeout,
                            start_method=start_method, **kwargs)
        self._init_trainer_side()
        if model_averaging_period is not None:
            raise NotImplementedError(
                "`DDPStrategy(model_averaging_period=...)` (post-local SGD) is not supported by this implementation."
            )
        self._ddp_comm_state = ddp_comm_state
        self._ddp_comm_hook = ddp_comm_hook
        self._ddp_comm_wrapper = ddp_comm_wrapper

    @property
    def is_distributed(self) -> bool:
        return True

    def _configure_from_setup(self, device_setup: Any) -> None:
        """The engine's configuration, plus ``Trainer(sync_batchnorm=True)``."""
        super()._configure_from_setup(device_setup)
        if device_setup.sync_batchnorm:
            from torch.nn import SyncBatchNorm

            if any(device.type == "cpu" for device in self.parallel_devices):
                raise ValueError(
                    "`Trainer(sync_batchnorm=True)` needs GPUs: PyTorch's SyncBatchNorm does not run on the CPU. "
                    "Drop `sync_batchnorm` for CPU runs, or train with `accelerator='gpu'`."
                )

            self._layer_sync = SyncBatchNorm

    _launchers = "lightning.pytorch.strategies.launchers"  # the engine's launchers plus the Trainer's side

    # the engine's process-group methods under their Trainer names
    def setup_distributed(self) -> None:
        self._setup_distributed()

    def set_world_ranks(self) -> None:
        self._set_world_ranks()

    def determine_ddp_device_ids(self) -> Optional[list]:
        return self._determine_ddp_device_ids()

    # ------------------------------------------------------------ model
    def setup(self, trainer: Any) -> None:
        """Move the model to this process's device; when fitting, convert batch norms (``sync_batchnorm``), wrap the
        model in ``DistributedDataParallel`` and create the optimizers."""
        assert self.accelerator is not None
        self.accelerator.setup(trainer)
        fitting = trainer.state.fn == TrainerFn.FITTING
        if fitting and self._layer_sync is not None:
            self.model = self._layer_sync.convert_sync_batchnorm(self.model)
        self.model_to_device()
        self.model = self.precision_plugin.convert_module(self.model)
        if fitting:
            self.model = self._setup_model(self.model)
            self._register_ddp_hooks()
            self.setup_optimizers(trainer)

    def _setup_model(self, model: torch.nn.Module) -> DistributedDataParallel:
        return self.setup_module(model)

    def _register_ddp_hooks(self) -> None:
        if self._ddp_comm_hook is None:
            return
        hook = self._ddp_comm_hook
        if self._ddp_comm_wrapper is not None:
            hook = self._ddp_comm_wrapper(hook)
        self.model.register_comm_hook(state=self._ddp_comm_state, hook=hook)

    def backward(self, closure_loss: Tensor, optimizer: Any, *args: Any, **kwargs: Any) -> Tensor:
        self.pre_backward(closure_loss)
        return super().backward(closure_loss, optimizer, *args, **kwargs)

    def pre_backward(self, closure_loss: Tensor) -> None:
        """Manual optimization calls backward inside ``training_step``, i.e. before DDP's forward returned: prepare
        DDP's reducer for this backward here, as DDP would have done after its forward."""
        model = self.model
        if not isinstance(model, DistributedDataParallel) or self.lightning_module.automatic_optimization:
            return
        if torch.is_grad_enabled() and model.require_backward_grad_sync:
            model.require_forward_param_sync = True
            outputs = [closure_loss] if model.find_unused_parameters and not model.static_graph else []
            model.reducer._rebuild_buckets()
            model.reducer.prepare_for_backward(outputs)
        else:
            model.require_forward_param_sync = False

    def _on_after_inner_forward(self, wrapper: Any, module: Any) -> None:
        # manual optimization already synced in `manual_backward`: DDP must not expect another backward
        if isinstance(wrapper, DistributedDataParallel) and not module.automatic_optimization:
            wrapper.require_backward_grad_sync = False

    def _on_after_outer_forward(self, wrapper: Any, module: Any) -> None:
        if isinstance(wrapper, DistributedDataParallel) and not module.automatic_optimization:
            wrapper.require_backward_grad_sync = True

    # ------------------------------------------------------------ data
    def _distribute_dataloader(self, dataloader: Any, stage: Optional[RunningStage] = None) -> Any:
        """Give each process its own shard of the data (``Trainer(use_distributed_sampler=True)``, the default); the
        Trainer's data setup calls it before ``process_dataloader``, as 2.6.6's data connector does."""
        trainer = getattr(self.lightning_module, "_trainer", None)
        if not isinstance(dataloader, DataLoader) or not getattr(trainer, "_use_distributed_sampler", True):
            return dataloader
        if isinstance(dataloader.sampler, DistributedSampler) or _has_iterable_dataset(dataloader):
            return dataloader
        if dataloader.batch_sampler is not None and type(dataloader.batch_sampler).__name__ != "BatchSampler":
            rank_zero_warn(
                f"The dataloader uses a custom batch sampler ({type(dataloader.batch_sampler).__name__}), which "
                "Lightning cannot shard across processes; every process will see all batches. Shard it yourself or "
                "pass `Trainer(use_distributed_sampler=False)` to silence this warning.", category=PossibleUserWarning,
            )
            return dataloader
        stage = stage or RunningStage.TRAINING
        sampler = self._distributed_sampler(dataloader, stage)
        if trainer is not None and trainer.state.fn in (TrainerFn.VALIDATING, TrainerFn.TESTING) \
                and self.world_size > 1:
            rank_zero_warn(
                f"`trainer.{trainer.state.fn.value}()` with several processes uses a `DistributedSampler`, which "
                "repeats a few samples so that every process gets the same number of batches. For metrics that "
                "see each sample exactly once, run it with `Trainer(devices=1, num_nodes=1)`.",
                category=PossibleUserWarning,
            )
        from lightning.pytorch.trainer.data import _rebuild_with_sampler

        return _rebuild_with_sampler(dataloader, sampler)

    def _distributed_sampler(self, dataloader: DataLoader, stage: RunningStage) -> DistributedSampler:
        import os

        shuffle = isinstance(dataloader.sampler, RandomSampler)
        if stage != RunningStage.TRAINING and shuffle:
            rank_zero_warn(
                f"Your `{stage.dataloader_prefix}_dataloader` shuffles; turn shuffling off for evaluation dataloaders.",
                category=PossibleUserWarning,
            )
        kwargs = dict(self.distributed_sampler_kwargs, shuffle=shuffle, seed=int(os.getenv("PL_GLOBAL_SEED", 0)))
        if stage == RunningStage.PREDICTING:
            return _UnrepeatedDistributedSamplerWrapper(dataloader.sampler, **kwargs)
        if isinstance(dataloader.sampler, (RandomSampler, SequentialSampler)):
            return DistributedSampler(dataloader.dataset, **kwargs)
        return DistributedSamplerWrapper(dataloader.sampler, **kwargs)

    # ------------------------------------------------------------ failures and teardown
    def on_exception(self, exception: BaseException) -> None:
        """Stop the other processes (they would wait in a collective) and explain the most common DDP error."""
        if re.search("Expected to have finished reduction in the prior iteration", str(exception)) and \
                _UNUSED_PARAMETERS_HINT not in str(exception):
            exception.args = (f"{exception.args[0] if exception.args else ''}\n{_UNUSED_PARAMETERS_HINT}",
                              *exception.args[1:])
        if self._launcher is not None:
            import signal

            self._launcher.kill(signal.SIGKILL)

    def teardown(self) -> None:
        module = self.lightning_module
        if isinstance(self.model, DistributedDataParallel):
            self.model = module  # unwrap; the process group stays for later trainer calls in this process
        if self._layer_sync is not None and module is not None:
            self.model = _revert_sync_batchnorm(self.model)
        if module is not None and self.root_device.type == "cuda":
            module.cpu()
            torch.cuda.empty_cache()
        super().teardown()


def _has_iterable_dataset(dataloader: DataLoader) -> bool:
    return isinstance(dataloader.dataset, torch.utils.data.IterableDataset)


class _BatchNormXd(torch.nn.modules.batchnorm._BatchNorm):
    """A batch norm for any input rank: what a ``SyncBatchNorm`` turns back into (it does not know its rank)."""

    def _check_input_dim(self, input: Tensor) -> None:
        return


def _revert_sync_batchnorm(module: torch.nn.Module) -> torch.nn.Module:
    """Turn ``SyncBatchNorm`` layers back into plain batch norms (same parameters and running stats)."""
    converted = module
    if isinstance(module, torch.nn.SyncBatchNorm):
        converted = _BatchNormXd(module.num_features, module.eps, module.momentum, module.affine,
                                 module.track_running_stats)
        if module.affine:
            converted.weight = module.weight
            converted.bias = module.bias
        converted.running_mean = module.running_mean
        converted.running_var = module.running_var
        converted.num_batches_tracked = module.num_batches_tracked
        converted.training = module.training
    for name, child in module.named_children():
        converted.add_module(name, _revert_sync_batchnorm(child))
    return converted


DDPStrategy.register_strategies(StrategyRegistry)
