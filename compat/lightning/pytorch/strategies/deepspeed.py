"""``DeepSpeedStrategy``: ZeRO sharding through Microsoft DeepSpeed. This project does not drive DeepSpeed: the class
keeps 2.6.6's signature and registry names (``"deepspeed"``, ``"deepspeed_stage_2_offload"`` ...) so that code and
configs naming it import and fail with one clear message when the strategy is built."""
from datetime import timedelta
from typing import Any, Optional, Union

import torch

from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.fabric.utilities.unavailable import deepspeed_unavailable
from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT, DDPStrategy
from lightning.pytorch.strategies.registry import StrategyRegistry

warning_cache = WarningCache()


def remove_module_hooks(model: torch.nn.Module) -> None:
    """Drop every forward/backward hook registered on ``model`` and its submodules (DeepSpeed leaves its own)."""
    for module in model.modules():
        module._backward_hooks.clear()
        module._forward_hooks.clear()
        module._forward_pre_hooks.clear()
        module._state_dict_hooks.clear()
        module._load_state_dict_pre_hooks.clear()


class DeepSpeedStrategy(DDPStrategy):
    strategy_name = "deepspeed"

    def __init__(self, accelerator: Any = None, zero_optimization: bool = True, stage: int = 2,
                 remote_device: Optional[str] = None, offload_optimizer: bool = False,
                 offload_parameters: bool = False, offload_params_device: str = "cpu",
                 nvme_path: str = "/local_nvme", params_buffer_count: int = 5, params_buffer_size: int = 100_000_000,
                 max_in_cpu: int = 1_000_000_000, offload_optimizer_device: str = "cpu",
                 optimizer_buffer_count: int = 4, block_size: int = 1048576, queue_depth: int = 8,
                 single_submit: bool = False, overlap_events: bool = True, thread_count: int = 1,
                 pin_memory: bool = False, sub_group_size: int = 1_000_000_000_000, contiguous_gradients: bool = True,
                 overlap_comm: bool = True, allgather_partitions: bool = True, reduce_scatter: bool = True,
                 allgather_bucket_size: int = 200_000_000, reduce_bucket_size: int = 200_000_000,
                 zero_allow_untested_optimizer: bool = True, logging_batch_size_per_gpu: Union[str, int] = "auto",
                 config: Optional[Union[str, dict]] = None, logging_level: int = 30,
                 parallel_devices: Optional[list] = None, cluster_environment: Any = None, loss_scale: float = 0,
                 initial_scale_power: int = 16, loss_scale_window: int = 1000, hysteresis: int = 2,
                 min_loss_scale: int = 1, partition_activations: bool = False, cpu_checkpointing: bool = False,
                 contiguous_memory_optimization: bool = False, synchronize_checkpoint_boundary: bool = False,
                 load_full_weights: bool = False, precision_plugin: Any = None,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT,
                 exclude_frozen_parameters: bool = False) -> None:
        deepspeed_unavailable(type(self).__name__)


def _register_deepspeed_names() -> None:
    """The names 2.6.6 registers: each ZeRO stage, with and without CPU (or NVMe) offload."""
    variants = {"deepspeed": {}, "deepspeed_stage_1": {"stage": 1}, "deepspeed_stage_1_offload": {"stage": 1, "offload_optimizer": True},
                "deepspeed_stage_2": {"stage": 2}, "deepspeed_stage_2_offload": {"stage": 2, "offload_optimizer": True},
                "deepspeed_stage_3": {"stage": 3},
                "deepspeed_stage_3_offload": {"stage": 3, "offload_optimizer": True, "offload_parameters": True},
                "deepspeed_stage_3_offload_nvme": {"stage": 3, "offload_optimizer": True, "offload_parameters": True,
                                                   "remote_device": "nvme", "offload_params_device": "nvme",
                                                   "offload_optimizer_device": "nvme"}}
    for name, params in variants.items():
        StrategyRegistry.register(name, DeepSpeedStrategy, description=f"DeepSpeed ({name})", override=True, **params)


_register_deepspeed_names()
