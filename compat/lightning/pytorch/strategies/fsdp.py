"""The Trainer's ``FSDPStrategy``: fully sharded data parallel (the engine's ``FSDPStrategy`` with the Trainer's
checkpoint layout).

Parameters, gradients and optimizer state are sharded across the processes. Checkpoints are either *full* (one
file written by rank 0, in the same layout as a single-device checkpoint, so it loads anywhere) or *sharded* (a
folder written by all ranks with ``torch.distributed.checkpoint``, plus ``meta.pt`` with everything else).
Launching, ranks and collectives are DDP's.
"""
import contextlib
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any, Generator, Optional

import torch

from lightning.fabric.plugins.environments import ClusterEnvironment
from lightning.fabric.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.fabric.strategies.fsdp import FSDPStrategy as _EngineFSDP
from lightning.fabric.strategies.fsdp import _with_strict
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.ddp import DDPStrategy
from lightning.pytorch.strategies.registry import StrategyRegistry
from lightning.pytorch.trainer.states import TrainerFn

_METADATA_FILENAME = "meta.pt"


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


class FSDPStrategy(DDPStrategy, _EngineFSDP):
    """Shards the model across processes with PyTorch's FSDP: the engine's ``FSDPStrategy``
    (``lightning.fabric.strategies.fsdp``: wrapping, state-dict options) with the Trainer's checkpoint layout, full
    or sharded. The arguments are the engine's, plus ``checkpoint_io`` and ``precision_plugin``.
    """

    strategy_name = "fsdp"

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[ClusterEnvironment] = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Precision] = None, process_group_backend: Optional[str] = None,
                 timeout: Optional[timedelta] = _DEFAULT_TIMEOUT, cpu_offload: Any = None,
                 mixed_precision: Any = None, auto_wrap_policy: Any = None, activation_checkpointing: Any = None,
                 activation_checkpointing_policy: Any = None, sharding_strategy: Any = "FULL_SHARD",
                 state_dict_type: str = "full", device_mesh: Any = None, **kwargs: Any) -> None:
        _EngineFSDP.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                             cluster_environment=cluster_environment, precision=precision_plugin,
                             process_group_backend=process_group_backend, timeout=timeout, cpu_offload=cpu_offload,
                             mixed_precision=mixed_precision, auto_wrap_policy=auto_wrap_policy,
                             activation_checkpointing=activation_checkpointing,
                             activation_checkpointing_policy=activation_checkpointing_policy,
                             sharding_strategy=sharding_strategy, state_dict_type=state_dict_type,
                             device_mesh=device_mesh, checkpoint_io=checkpoint_io, **kwargs)
        self._init_trainer_side()
        self._ddp_comm_state = self._ddp_comm_hook = self._ddp_comm_wrapper = None

    def barrier(self, name: Optional[str] = None) -> None:  # (the Trainer's FSDP spells it so in 2.6.6)
        super().barrier()

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
        return self.setup_module(model)

    def model_to_device(self) -> None:
        pass  # FSDP moves each shard to its device when it wraps the model

    @contextlib.contextmanager
    def model_sharded_context(self) -> Generator:
        yield

    # ------------------------------------------------------------ checkpoints
    def lightning_module_state_dict(self) -> dict:
        """The model's state dict: consolidated on rank 0 ("full") or this rank's shards ("sharded"). Every rank
        must call it (it is a collective)."""
        from torch.distributed.checkpoint.state_dict import get_model_state_dict
        from torch.distributed.fsdp import FullyShardedDataParallel

        if not isinstance(self.model, FullyShardedDataParallel):
            return self.lightning_module.state_dict()
        return get_model_state_dict(self.model, options=self._options(self._state_dict_type == "full", True))

    def optimizer_state(self, optimizer: Any) -> dict:
        """The optimizer state; "full" uses plain ``torch.optim`` layout (parameters numbered in order), so a
        single-device run can load it."""
        from torch.distributed.fsdp import FullyShardedDataParallel

        wrapper = self.model if isinstance(self.model, FullyShardedDataParallel) else None
        return self._full_optimizer_state(wrapper, optimizer, full=self._state_dict_type == "full")

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
                self._load_full_optimizer_state(self.model, optimizer, state)

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


FSDPStrategy.register_strategies(StrategyRegistry)
