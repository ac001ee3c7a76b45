"""``FSDPStrategy``: fully sharded data parallel on ``torch.distributed.fsdp.FullyShardedDataParallel``.

Parameters, gradients and optimizer state are sharded across the processes. Checkpoints are either *full* (one
file written by rank 0, in the same layout as a single-device checkpoint, so it loads anywhere) or *sharded* (a
folder written by all ranks with ``torch.distributed.checkpoint``, plus ``meta.pt`` with everything else).
Launching, ranks and collectives are DDP's.
"""
import contextlib
import logging
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any, Generator, Optional

import torch

from lightning.fabric.plugins.environments import ClusterEnvironment
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT, DDPStrategy
from lightning.pytorch.strategies.registry import StrategyRegistry
from lightning.pytorch.trainer.states import TrainerFn

log = logging.getLogger(__name__)

_METADATA_FILENAME = "meta.pt"
_SHARDING_STRATEGIES = ("FULL_SHARD", "SHARD_GRAD_OP", "NO_SHARD", "HYBRID_SHARD", "_HYBRID_SHARD_ZERO2")


class _ShardedState(dict):
    """An empty dict standing in, in a loaded sharded checkpoint, for the model / optimizer states. They are read
    from the folder once the model is wrapped (``restore_checkpoint_after_setup``): each rank reads its own shards."""

    def __init__(self, path: Path, key: str, weights_only: Optional[bool] = None) -> None:
        super().__init__()
        self.path = path
        self.key = key
        self.weights_only = weights_only  # as asked of `load_checkpoint`: the shards are read with the same trust

    def load_into(self, target: dict) -> None:
        """Fill ``target`` (``{key: state dict}``) from the folder's shards (see ``sharded_checkpoint``)."""
        from lightning.pytorch.utilities.sharded_checkpoint import load_folder

        load_folder(target, self.path, self.weights_only)

    def __repr__(self) -> str:
        return f"<sharded {self.key!r} in {self.path}>"


class FSDPStrategy(DDPStrategy):
    """Shards the model across processes with PyTorch's FSDP.

    Args:
        cpu_offload: keep parameters (and gradients) on the CPU between uses (``True`` or a ``CPUOffload``).
        mixed_precision: an FSDP ``MixedPrecision`` config.
        auto_wrap_policy: which submodules become their own FSDP unit: a set/list of module classes or an FSDP policy.
        activation_checkpointing_policy: the layers whose activations are recomputed in backward (set of classes
            or a policy); ``activation_checkpointing`` is the older spelling (a class or a list of classes).
        sharding_strategy: "FULL_SHARD", "SHARD_GRAD_OP", "NO_SHARD", "HYBRID_SHARD" or a ``ShardingStrategy``.
        state_dict_type: "full" (one consolidated file) or "sharded" (a folder, one shard per rank).
        **kwargs: passed to ``FullyShardedDataParallel`` (``use_orig_params`` defaults to True).
    """

    strategy_name = "fsdp"

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[ClusterEnvironment] = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Precision] = None, process_group_backend: Optional[str] = None,
                 timeout: Optional[timedelta] = _DEFAULT_TIMEOUT, cpu_offload: Any = None,
                 mixed_precision: Any = None, auto_wrap_policy: Any = None, activation_checkpointing: Any = None,
                 activation_checkpointing_policy: Any = None, sharding_strategy: Any = "FULL_SHARD",
                 state_dict_type: str = "full", device_mesh: Any = None, **kwargs: Any) -> None:
        super().__init__(accelerator=accelerator, parallel_devices=parallel_devices,
                         cluster_environment=cluster_environment, checkpoint_io=checkpoint_io,
                         precision_plugin=precision_plugin, process_group_backend=process_group_backend,
                         timeout=timeout)
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

    @property
    def restore_checkpoint_after_setup(self) -> bool:
        return True  # sharded states can only be loaded into the wrapped model

    @property
    def lightning_restore_optimizer(self) -> bool:
        return False

    # ------------------------------------------------------------ model
    def setup(self, trainer: Any) -> None:
        """Wrap the model in FSDP (unless ``configure_model`` already did), then create the optimizers: they must
        see the wrapped (sharded) parameters."""
        assert self.accelerator is not None
        self.accelerator.setup(trainer)
        if trainer.state.fn == TrainerFn.FITTING and self._layer_sync is not None:
            self.model = self._layer_sync.convert_sync_batchnorm(self.model)
        self.model = self.precision_plugin.convert_module(self.model)
        self.model = self._setup_model(self.model)
        self.barrier()
        if trainer.state.fn == TrainerFn.FITTING:
            self.setup_optimizers(trainer)

    def _setup_model(self, model: torch.nn.Module) -> torch.nn.Module:
        from torch.distributed.fsdp import FullyShardedDataParallel

        if self._wrapper is not None and self._wrapper.module is model:
            # a later entry point (e.g. validate after fit): the parameters are already sharded views; reuse the
            # wrapper that owns them instead of flattening the shards again
            return self._wrapper
        if any(isinstance(m, FullyShardedDataParallel) for m in model.modules()):
            if "auto_wrap_policy" in self.kwargs:
                rank_zero_warn("The model is already wrapped in FSDP (in `configure_model`); `auto_wrap_policy` is "
                               "ignored.")
                del self.kwargs["auto_wrap_policy"]
        else:
            device_id = self.root_device.index if self.root_device.type == "cuda" else self.root_device
            model = FullyShardedDataParallel(module=model, cpu_offload=self.cpu_offload,
                                             mixed_precision=self.mixed_precision,
                                             sharding_strategy=self.sharding_strategy, device_id=device_id,
                                             **self.kwargs)
        if self._activation_checkpointing_policy is not None:
            from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import apply_activation_checkpointing

            apply_activation_checkpointing(model, auto_wrap_policy=self._activation_checkpointing_policy)
        if isinstance(model, FullyShardedDataParallel):
            self._wrapper = model
        return model

    def model_to_device(self) -> None:
        pass  # FSDP moves each shard to its device when it wraps the model

    @contextlib.contextmanager
    def model_sharded_context(self) -> Generator:
        yield

    # ------------------------------------------------------------ checkpoints
    def _options(self, full: bool, rank0_only: bool = True) -> Any:
        from torch.distributed.checkpoint.state_dict import StateDictOptions

        if full:
            # offloading gathers onto rank 0's CPU memory only; torch crashes (SIGSEGV) doing it for CPU tensors
            return StateDictOptions(full_state_dict=True, cpu_offload=rank0_only and self.root_device.type != "cpu")
        return StateDictOptions(full_state_dict=False)

    def lightning_module_state_dict(self, rank0_only: bool = True) -> dict:
        """The model's state dict: consolidated on rank 0 ("full") or this rank's shards ("sharded"). Every rank
        must call it (it is a collective)."""
        from torch.distributed.checkpoint.state_dict import get_model_state_dict
        from torch.distributed.fsdp import FullyShardedDataParallel

        if not isinstance(self.model, FullyShardedDataParallel):
            return self.lightning_module.state_dict()
        full = self._state_dict_type == "full" or not rank0_only
        return get_model_state_dict(self.model, options=self._options(full, rank0_only))

    def optimizer_state(self, optimizer: Any) -> dict:
        """The optimizer state; "full" uses plain ``torch.optim`` layout (parameters numbered in order), so a
        single-device run can load it."""
        from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict
        from torch.distributed.fsdp import FullyShardedDataParallel

        optimizer = getattr(optimizer, "_optimizer", optimizer)
        if not isinstance(self.model, FullyShardedDataParallel):
            return optimizer.state_dict()
        full = self._state_dict_type == "full"
        state = get_optimizer_state_dict(self.model, optimizer, options=self._options(full))
        return _fqn_keys_to_ids(state) if full and state else state

    def load_model_state_dict(self, checkpoint: dict, strict: bool = True) -> None:
        from torch.distributed.checkpoint.state_dict import set_model_state_dict
        from torch.distributed.fsdp import FullyShardedDataParallel

        state = checkpoint["state_dict"]
        if not isinstance(self.model, FullyShardedDataParallel):
            if isinstance(state, _ShardedState):
                raise RuntimeError(f"A sharded FSDP checkpoint ({state.path}) can only be loaded by `FSDPStrategy`.")
            return self.lightning_module.load_state_dict(state, strict=strict)
        if isinstance(state, _ShardedState):
            from torch.distributed.checkpoint.state_dict import get_model_state_dict

            target = {"model": get_model_state_dict(self.model, options=self._options(False))}
            state.load_into(target)
            state = target["model"]
            set_model_state_dict(self.model, state, options=_with_strict(self._options(False), strict))
        else:
            set_model_state_dict(self.model, state, options=_with_strict(self._options(True, False), strict))

    def load_optimizer_state_dict(self, checkpoint: dict) -> None:
        from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict, set_optimizer_state_dict
        from torch.distributed.fsdp import FullyShardedDataParallel

        if not isinstance(self.model, FullyShardedDataParallel):
            return super().load_optimizer_state_dict(checkpoint)
        for idx, (optimizer, state) in enumerate(zip(self.optimizers, checkpoint["optimizer_states"])):
            optimizer = getattr(optimizer, "_optimizer", optimizer)
            if isinstance(state, _ShardedState):
                target = {f"optimizer_{idx}": get_optimizer_state_dict(self.model, optimizer,
                                                                        options=self._options(False))}
                state.load_into(target)
                set_optimizer_state_dict(self.model, optimizer, target[f"optimizer_{idx}"],
                                         options=self._options(False))
            else:
                names = get_optimizer_state_dict(self.model, optimizer, options=self._options(True, False))
                set_optimizer_state_dict(self.model, optimizer, _ids_to_fqn_keys(state, names),
                                         options=self._options(True, False))

    def save_checkpoint(self, checkpoint: dict, filepath: Any, storage_options: Optional[Any] = None) -> None:
        if storage_options is not None:
            raise TypeError("`FSDPStrategy.save_checkpoint(storage_options=...)` is not supported: FSDP writes the "
                            "checkpoint itself, not through a CheckpointIO plugin.")
        path = Path(self.broadcast(str(filepath)))
        if self._state_dict_type == "full":
            if path.is_dir():
                if not (path / _METADATA_FILENAME).is_file():
                    raise IsADirectoryError(f"The checkpoint path is an existing folder: {path}")
                if self.is_global_zero:
                    shutil.rmtree(path)  # replacing an earlier sharded checkpoint of the same name
            return super().save_checkpoint(checkpoint, path)
        import torch.distributed.checkpoint as dcp

        if self.is_global_zero:
            if path.is_file():
                path.unlink()
            path.mkdir(parents=True, exist_ok=True)
        self.barrier()
        checkpoint = dict(checkpoint)
        tensors = {"model": checkpoint.pop("state_dict")}
        for idx, state in enumerate(checkpoint.pop("optimizer_states", [])):
            tensors[f"optimizer_{idx}"] = state
        dcp.save(tensors, checkpoint_id=path)
        if self.is_global_zero:
            checkpoint["_fsdp_num_optimizers"] = len(tensors) - 1
            torch.save(checkpoint, path / _METADATA_FILENAME)
        self.barrier()

    def load_checkpoint(self, checkpoint_path: Any, weights_only: Optional[bool] = None) -> dict:
        path = Path(self.broadcast(str(checkpoint_path)))
        if path.is_dir():
            if not (path / _METADATA_FILENAME).is_file():
                raise FileNotFoundError(
                    f"{path} is a folder but not a sharded FSDP checkpoint (it has no {_METADATA_FILENAME})."
                )
            from lightning.pytorch.utilities.checkpoint_io import load_checkpoint_file

            checkpoint = load_checkpoint_file(path / _METADATA_FILENAME, weights_only=weights_only)
            if weights_only is not False:  # refuse a hostile folder now, before any model is set up
                from lightning.pytorch.utilities.sharded_checkpoint import check_metadata

                check_metadata(path)
            checkpoint["state_dict"] = _ShardedState(path, "model", weights_only)
            checkpoint["optimizer_states"] = [_ShardedState(path, f"optimizer_{i}", weights_only)
                                              for i in range(checkpoint.pop("_fsdp_num_optimizers", 0))]
            return checkpoint
        return super().load_checkpoint(path, weights_only=weights_only)


def _with_strict(options: Any, strict: bool) -> Any:
    import dataclasses

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


def _register_fsdp_names() -> None:
    StrategyRegistry.register("fsdp", FSDPStrategy, description="Fully Sharded Data Parallel (torch FSDP)")
    StrategyRegistry.register("fsdp_cpu_offload", FSDPStrategy, description="FSDP with parameters offloaded to the CPU",
                              cpu_offload=True)


_register_fsdp_names()
