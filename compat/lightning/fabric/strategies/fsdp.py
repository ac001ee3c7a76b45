"""``FSDPStrategy``: fully sharded data parallel on ``torch.distributed.fsdp.FullyShardedDataParallel``.

Parameters, gradients and optimizer state are sharded across the processes; launching, ranks and collectives are
DDP's. This engine class wraps the model and reads/writes its state dicts; Fabric saves one consolidated checkpoint
(written by rank 0, in the layout of a single-device checkpoint). The Trainer's ``FSDPStrategy`` adds its
checkpoint layout, including sharded folders.
"""
import dataclasses
from datetime import timedelta
from typing import Any, Optional, Union

from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer

from lightning.fabric.strategies.ddp import _DEFAULT_TIMEOUT, DDPStrategy
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
from lightning.fabric.utilities.rank_zero import rank_zero_warn

__all__ = ["FSDPStrategy"]

_SHARDING_STRATEGIES = ("FULL_SHARD", "SHARD_GRAD_OP", "NO_SHARD", "HYBRID_SHARD", "_HYBRID_SHARD_ZERO2")


class FSDPStrategy(DDPStrategy):
    """Shards the model across processes with PyTorch's FSDP.

    Args:
        cpu_offload: keep parameters (and gradients) on the CPU between uses (``True`` or a ``CPUOffload``).
        mixed_precision: an FSDP ``MixedPrecision`` config.
        auto_wrap_policy: which submodules become their own FSDP unit: a set/list of module classes or an FSDP policy.
        activation_checkpointing_policy: the layers whose activations are recomputed in backward (set of classes
            or a policy); ``activation_checkpointing`` is the older spelling (a class or a list of classes).
        sharding_strategy: "FULL_SHARD", "SHARD_GRAD_OP", "NO_SHARD", "HYBRID_SHARD" or a ``ShardingStrategy``.
        state_dict_type: "full" (one consolidated file) or "sharded" (a folder, one shard per rank; the Trainer's).
        **kwargs: passed to ``FullyShardedDataParallel`` (``use_orig_params`` defaults to True).
    """

    strategy_name = "fsdp"

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[Any] = None, precision: Optional[Any] = None,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT,
                 cpu_offload: Any = None, mixed_precision: Any = None, auto_wrap_policy: Any = None,
                 activation_checkpointing: Any = None, activation_checkpointing_policy: Any = None,
                 sharding_strategy: Any = "FULL_SHARD", state_dict_type: str = "full", device_mesh: Any = None,
                 **kwargs: Any) -> None:
        checkpoint_io = kwargs.pop("checkpoint_io", None)  # the Trainer's subclass takes one
        super().__init__(accelerator=accelerator, parallel_devices=parallel_devices,
                         cluster_environment=cluster_environment, checkpoint_io=checkpoint_io, precision=precision,
                         process_group_backend=process_group_backend, timeout=timeout)
        from torch.distributed.fsdp import CPUOffload, ShardingStrategy

        if state_dict_type not in ("full", "sharded"):
            raise ValueError(f"`state_dict_type={state_dict_type!r}` is invalid; use 'full' or 'sharded'.")
        if isinstance(sharding_strategy, str):
            if sharding_strategy.upper() not in _SHARDING_STRATEGIES:
                raise ValueError(
                    f"`sharding_strategy={sharding_strategy!r}` is invalid; use one of {list(_SHARDING_STRATEGIES)}."
                )
            sharding_strategy = ShardingStrategy[sharding_strategy.upper()]
        if device_mesh is not None:
            raise NotImplementedError("`FSDPStrategy(device_mesh=...)` (hybrid sharding meshes) is not supported here.")
        self.sharding_strategy = sharding_strategy
        self.cpu_offload = CPUOffload(offload_params=True) if cpu_offload is True else (cpu_offload or None)
        self.mixed_precision = mixed_precision
        self._state_dict_type = state_dict_type
        self.kwargs = dict(kwargs)
        self.kwargs.setdefault("use_orig_params", True)  # optimizers see the original parameters
        if auto_wrap_policy is not None:
            self.kwargs["auto_wrap_policy"] = _as_policy(auto_wrap_policy)
        self._activation_checkpointing_policy = _activation_checkpointing_policy(
            activation_checkpointing, activation_checkpointing_policy
        )
        self._wrapper: Any = None  # the FSDP module of the last setup (it owns the sharded parameters)

    # ------------------------------------------------------------ model
    def setup_module(self, module: Module) -> Module:
        from torch.distributed.fsdp import FullyShardedDataParallel

        if self._wrapper is not None and self._wrapper.module is module:
            # a later entry point (e.g. validate after fit): the parameters are already sharded views; reuse the
            # wrapper that owns them instead of flattening the shards again
            return self._wrapper
        if any(isinstance(m, FullyShardedDataParallel) for m in module.modules()):
            if "auto_wrap_policy" in self.kwargs:
                rank_zero_warn("The model is already wrapped in FSDP (in `configure_model`); `auto_wrap_policy` is "
                               "ignored.")
                del self.kwargs["auto_wrap_policy"]
        else:
            device_id = self.root_device.index if self.root_device.type == "cuda" else self.root_device
            module = FullyShardedDataParallel(module=module, cpu_offload=self.cpu_offload,
                                              mixed_precision=self.mixed_precision,
                                              sharding_strategy=self.sharding_strategy, device_id=device_id,
                                              **self.kwargs)
        if self._activation_checkpointing_policy is not None:
            from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import apply_activation_checkpointing

            apply_activation_checkpointing(module, auto_wrap_policy=self._activation_checkpointing_policy)
        if isinstance(module, FullyShardedDataParallel):
            self._wrapper = module
        return module

    def module_to_device(self, module: Module) -> None:
        pass  # FSDP moves each shard to its device when it wraps the model

    def _sharded(self, module: Any) -> Any:
        """The FSDP wrapper of ``module`` (the model Fabric set up), else None."""
        wrapper = self._wrapper
        return wrapper if wrapper is not None and (module is wrapper or module is wrapper.module) else None

    # ------------------------------------------------------------ steps
    def clip_gradients_norm(self, module: Module, optimizer: Optimizer, max_norm: Union[float, int],
                            norm_type: Union[float, int] = 2.0, error_if_nonfinite: bool = True) -> Tensor:
        wrapper = self._sharded(module)
        if wrapper is None:
            return super().clip_gradients_norm(module, optimizer, max_norm, norm_type, error_if_nonfinite)
        self._step_precision.unscale_gradients(optimizer)
        return wrapper.clip_grad_norm_(max_norm=max_norm, norm_type=norm_type)  # the norm over every rank's shards

    def clip_gradients_value(self, module: Module, optimizer: Optimizer, clip_val: Union[float, int]) -> None:
        raise NotImplementedError(
            "FSDP shards the gradients, so clipping by value is not supported with it: clip by norm "
            "(`fabric.clip_gradients(model, optimizer, max_norm=...)`)."
        )

    # ------------------------------------------------------------ state dicts (collectives: every rank calls them)
    def _options(self, full: bool, rank0_only: bool = True) -> Any:
        from torch.distributed.checkpoint.state_dict import StateDictOptions

        if full:
            # offloading gathers onto rank 0's CPU memory only; torch crashes (SIGSEGV) doing it for CPU tensors
            return StateDictOptions(full_state_dict=True, cpu_offload=rank0_only and self.root_device.type != "cpu")
        return StateDictOptions(full_state_dict=False)

    def get_module_state_dict(self, module: Module) -> dict:
        from torch.distributed.checkpoint.state_dict import get_model_state_dict

        wrapper = self._sharded(module)
        if wrapper is None:
            return module.state_dict()
        return get_model_state_dict(wrapper, options=self._options(True))

    def load_module_state_dict(self, module: Module, state_dict: dict, strict: bool = True) -> None:
        from torch.distributed.checkpoint.state_dict import set_model_state_dict

        wrapper = self._sharded(module)
        if wrapper is None:
            module.load_state_dict(state_dict, strict=strict)
            return
        set_model_state_dict(wrapper, state_dict, options=_with_strict(self._options(True, False), strict))

    def get_optimizer_state(self, optimizer: Optimizer) -> dict:
        """The consolidated optimizer state in plain ``torch.optim`` layout (parameters numbered in order), so a
        single-device run can load it."""
        return self._full_optimizer_state(self._wrapper, optimizer)

    def _full_optimizer_state(self, wrapper: Any, optimizer: Any, full: bool = True) -> dict:
        from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict

        optimizer = getattr(optimizer, "_optimizer", optimizer)
        if wrapper is None:
            return optimizer.state_dict()
        state = get_optimizer_state_dict(wrapper, optimizer, options=self._options(full))
        return _fqn_keys_to_ids(state) if full and state else state

    def _load_optimizer_state(self, optimizer: Optimizer, state: dict) -> None:
        self._load_full_optimizer_state(self._wrapper, optimizer, state)

    def _load_full_optimizer_state(self, wrapper: Any, optimizer: Any, state: dict) -> None:
        from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict, set_optimizer_state_dict

        optimizer = getattr(optimizer, "_optimizer", optimizer)
        if wrapper is None:
            optimizer.load_state_dict(state)
            return
        options = self._options(True, False)
        names = get_optimizer_state_dict(wrapper, optimizer, options=options)
        set_optimizer_state_dict(wrapper, optimizer, _ids_to_fqn_keys(state, names), options=options)

    @classmethod
    def register_strategies(cls, strategy_registry: Any) -> None:
        strategy_registry.register("fsdp", cls, description="Fully Sharded Data Parallel (torch FSDP)")
        strategy_registry.register("fsdp_cpu_offload", cls, description="FSDP with parameters offloaded to the CPU",
                                   cpu_offload=True)


def _with_strict(options: Any, strict: bool) -> Any:
    return dataclasses.replace(options, strict=strict)


def _fqn_keys_to_ids(state: dict) -> dict:
    """FSDP's optimizer state (keyed by parameter names) -> ``torch.optim`` layout (parameters numbered in order)."""
    ids: dict = {}
    groups = []
    for group in state["param_groups"]:
        numbered = dict(group)
        numbered["params"] = [ids.setdefault(name, len(ids)) for name in group["params"]]
        groups.append(numbered)
    return {"state": {ids[name]: value for name, value in state["state"].items()}, "param_groups": groups}


def _ids_to_fqn_keys(state: dict, reference: dict) -> dict:
    """The inverse of ``_fqn_keys_to_ids``, with the names taken from the current optimizer (same order)."""
    names = [name for group in reference["param_groups"] for name in group["params"]]
    groups = []
    for group, ref_group in zip(state["param_groups"], reference["param_groups"]):
        named = dict(group)
        named["params"] = list(ref_group["params"])
        groups.append(named)
    return {"state": {names[int(i)]: value for i, value in state["state"].items()}, "param_groups": groups}


def _as_policy(policy: Any) -> Any:
    """A set/list of module classes -> ``ModuleWrapPolicy``; anything else (an FSDP policy/callable) as given."""
    if isinstance(policy, (set, list, tuple)):
        from torch.distributed.fsdp.wrap import ModuleWrapPolicy

        return ModuleWrapPolicy(set(policy))
    return policy


def _activation_checkpointing_policy(layers: Any, policy: Any) -> Any:
    if layers is not None and policy is not None:
        raise ValueError("Pass either `activation_checkpointing_policy` or the older `activation_checkpointing`, "
                         "not both.")
    if layers is not None:
        layers = set(layers) if isinstance(layers, (list, tuple, set)) else {layers}
        return _as_policy(layers)
    return _as_policy(policy) if policy is not None else None


FSDPStrategy.register_strategies(STRATEGY_REGISTRY)
