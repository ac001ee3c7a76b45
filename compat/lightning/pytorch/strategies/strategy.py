"""The ``Strategy`` base: where the model lives, how steps run and how processes talk to each other.

Each class is the engine's strategy of the same kind (``lightning.fabric.strategies``) with the Trainer side added.
``SingleDeviceStrategy`` is the one-process case; DDP/FSDP subclasses add launching and collectives. The step
methods run the user's hooks inside the precision plugin's forward context.
"""
import contextlib
from typing import Any, Callable, ContextManager, Generator, Optional

import torch
from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.strategies.single_device import SingleDeviceStrategy as _EngineSingleDevice
from lightning.fabric.strategies.strategy import Strategy as _EngineStrategy
from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.pytorch.core.optimizer import LightningOptimizer, _init_optimizers_and_lr_schedulers
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401 - public at this path in 2.6.6


def rank_properties(owner: str) -> tuple:
    """Read-only properties ``global_rank, local_rank, node_rank, world_size, is_global_zero`` (in this order) for
    a class that reaches its strategy through attribute ``owner``; the Trainer and Fabric expose them alike."""
    names = ("global_rank", "local_rank", "node_rank", "world_size", "is_global_zero")
    return tuple(property(lambda self, _n=name: getattr(getattr(self, owner), _n)) for name in names)


class Strategy(_EngineStrategy):
    """Subclass to implement a new way of distributing training.

    The engine's ``Strategy`` (``lightning.fabric.strategies``) owns the device, ranks, collectives, precision and
    checkpoint I/O; this class adds the Trainer side: the LightningModule and its wrapped model, the optimizers, the
    step dispatch and the Trainer's spelling of backward, optimizer step and checkpoint methods. A Trainer strategy
    subclasses this class first, then the engine's class of the same kind (``class DDPStrategy(ParallelStrategy,
    fabric DDPStrategy)``), so these Trainer-side methods come first and the engine's machinery after them.
    """

    def __init__(self, accelerator: Any = None, checkpoint_io: Any = None, precision_plugin: Optional[Precision] = None):
        _EngineStrategy.__init__(self, accelerator=accelerator, checkpoint_io=checkpoint_io, precision=precision_plugin)
        self._init_trainer_side()

    def _init_trainer_side(self) -> None:
        self._lightning_module: Any = None
        self._model: Any = None
        self._optimizers: list = []
        self._lightning_optimizers: list = []
        self.lr_scheduler_configs: list = []

    # ------------------------------------------------------------ plugins
    @property
    def precision_plugin(self) -> Precision:
        precision = self._precision  # read on every step: the default is made once, by the engine's property
        return precision if precision is not None else self.precision

    @precision_plugin.setter
    def precision_plugin(self, precision_plugin: Optional[Precision]) -> None:
        self._precision = precision_plugin

    def _default_precision(self) -> Precision:
        return Precision()

    def _default_checkpoint_io(self) -> Any:
        from lightning.pytorch.plugins.io.torch_plugin import TorchCheckpointIO

        return TorchCheckpointIO()

    # ------------------------------------------------------------ model and optimizers
    @property
    def optimizers(self) -> list:
        return self._optimizers

    @optimizers.setter
    def optimizers(self, optimizers: list) -> None:
        self._optimizers = optimizers
        self._lightning_optimizers = [LightningOptimizer._to_lightning_optimizer(opt, self) for opt in optimizers]

    @property
    def lightning_module(self) -> Any:
        return self._lightning_module

    @property
    def model(self) -> Any:
        return self._model if self._model is not None else self._lightning_module

    @model.setter
    def model(self, model: Any) -> None:
        self._model = model

    def connect(self, model: Any) -> None:
        self._lightning_module = model
        self.model = model

    def model_to_device(self) -> None:
        assert self.model is not None
        self.module_to_device(self.model)

    @property
    def handles_gradient_accumulation(self) -> bool:
        return False

    @property
    def restore_checkpoint_after_setup(self) -> bool:
        return False

    @property
    def lightning_restore_optimizer(self) -> bool:
        return True

    def setup(self, trainer: Any) -> None:
        """Move the model to the device, convert it for the precision and (when fitting) create the optimizers."""
        assert self.accelerator is not None
        self.accelerator.setup(trainer)
        self.model_to_device()
        self.model = self.precision_plugin.convert_module(self.model)
        if trainer.state.fn == "fit":
            self.setup_optimizers(trainer)

    def setup_optimizers(self, trainer: Any) -> None:
        self.optimizers, self.lr_scheduler_configs = _init_optimizers_and_lr_schedulers(
            self.lightning_module, lambda name: trainer._hooks.call_module(name)
        )

    def teardown(self) -> None:
        if self.lightning_module is not None and self.root_device.type != "cpu":
            self.lightning_module.cpu()
        super().teardown()

    def _distribute_dataloader(self, dataloader: Any, stage: Optional[Any] = None) -> Any:
        """A distributed strategy's sampler for ``dataloader`` (the Trainer's data setup; nothing to do here)."""
        return dataloader

    def process_dataloader(self, dataloader: Any) -> Any:
        """Wrap or replace a dataloader once the Trainer has prepared it (a hook for custom strategies)."""
        return dataloader

    # ------------------------------------------------------------ steps
    def batch_to_device(self, batch: Any, device: Optional[torch.device] = None, dataloader_idx: int = 0) -> Any:
        device = device or self.root_device
        module = self.lightning_module
        if module is not None:
            return module._apply_batch_transfer_handler(batch, device, dataloader_idx)
        return move_data_to_device(batch, device)

    def training_step(self, *args: Any, **kwargs: Any) -> Any:
        with self.precision_plugin.train_step_context():
            return self._forward_redirect("training_step", *args, **kwargs)

    def validation_step(self, *args: Any, **kwargs: Any) -> Any:
        with self.precision_plugin.val_step_context():
            return self._forward_redirect("validation_step", *args, **kwargs)

    def test_step(self, *args: Any, **kwargs: Any) -> Any:
        with self.precision_plugin.test_step_context():
            return self._forward_redirect("test_step", *args, **kwargs)

    def predict_step(self, *args: Any, **kwargs: Any) -> Any:
        with self.precision_plugin.predict_step_context():
            return self._forward_redirect("predict_step", *args, **kwargs)

    def _forward_redirect(self, name: str, *args: Any, **kwargs: Any) -> Any:
        # single device: the wrapped model *is* the LightningModule, call the step directly
        return getattr(self.lightning_module, name)(*args, **kwargs)

    def post_training_step(self) -> None:
        pass

    def backward(self, closure_loss: Tensor, optimizer: Optional[Optimizer], *args: Any, **kwargs: Any) -> Tensor:
        module = self.lightning_module
        precision = self.precision_plugin
        closure_loss = precision.pre_backward(closure_loss, module)
        precision.backward(closure_loss, module, optimizer, *args, **kwargs)
        return precision.post_backward(closure_loss, module)

    def optimizer_step(self, optimizer: Any, closure: Callable[[], Any], model: Any = None, **kwargs: Any) -> Any:
        model = model or self.lightning_module
        optimizer = getattr(optimizer, "_optimizer", optimizer)
        return self.precision_plugin.optimizer_step(optimizer, model=model, closure=closure, **kwargs)

    # ------------------------------------------------------------ collectives: the engine's, by their Trainer name
    def reduce(self, tensor: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Any:
        return self.all_reduce(tensor, group=group, reduce_op=reduce_op)

    # ------------------------------------------------------------ checkpoints (the Trainer's layout)
    def lightning_module_state_dict(self) -> dict:
        return self.lightning_module.state_dict()

    def load_model_state_dict(self, checkpoint: dict, strict: bool = True) -> None:
        self.lightning_module.load_state_dict(checkpoint["state_dict"], strict=strict)

    def optimizer_state(self, optimizer: Optimizer) -> dict:
        return optimizer.state_dict()

    def load_optimizer_state_dict(self, checkpoint: dict) -> None:
        for optimizer, state in zip(self.optimizers, checkpoint["optimizer_states"]):
            optimizer.load_state_dict(state)

    def save_checkpoint(self, checkpoint: dict, filepath: Any, storage_options: Optional[Any] = None) -> None:
        if self.is_global_zero:
            self.checkpoint_io.save_checkpoint(checkpoint, filepath, storage_options=storage_options)

    def load_checkpoint(self, checkpoint_path: Any, weights_only: Optional[bool] = None) -> dict:
        return self.checkpoint_io.load_checkpoint(checkpoint_path, weights_only=weights_only)

    def remove_checkpoint(self, filepath: Any) -> None:
        if self.is_global_zero:
            self.checkpoint_io.remove_checkpoint(filepath)

    # ------------------------------------------------------------ contexts
    def tensor_init_context(self, empty_init: Optional[bool] = None) -> ContextManager:
        return self._init_context(self.precision_plugin.tensor_init_context())

    @contextlib.contextmanager
    def model_sharded_context(self) -> Generator:
        yield

    def on_train_start(self) -> None:
        pass

    def on_train_end(self) -> None:
        pass


class SingleDeviceStrategy(Strategy, _EngineSingleDevice):
    """Everything on one device in one process."""

    strategy_name = "single_device"

    def __init__(self, device: Any = "cpu", accelerator: Any = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Precision] = None) -> None:
        _EngineSingleDevice.__init__(self, device=device, accelerator=accelerator, checkpoint_io=checkpoint_io,
                                     precision=precision_plugin)
        self._init_trainer_side()

    def reduce(self, tensor: Any, *args: Any, **kwargs: Any) -> Any:
        return tensor
