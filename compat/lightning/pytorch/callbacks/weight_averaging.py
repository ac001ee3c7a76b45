"""Weight averaging (``WeightAveraging``, ``EMAWeightAveraging``): keep a ``torch.optim.swa_utils.AveragedModel``
of the LightningModule during fit, validate with the averaged weights, and end training with them.

Checkpoints hold the averaged weights under ``state_dict`` (so they load anywhere as the "good" model), the live
weights under ``current_model_state`` and the averager's own state under ``averaging_state``.
"""
import itertools
from copy import deepcopy
from typing import Any, Optional, Union

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_avg_fn

from lightning.fabric.utilities.rank_zero import rank_zero_info, rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401  (public here in 2.x)
from lightning.pytorch.utilities.model_helpers import is_overridden


class WeightAveraging(Callback):
    """Averages the weights after every optimizer step where ``should_update(step_idx=...)`` is true and at each
    epoch end where ``should_update(epoch_idx=...)`` is true (override it to choose). ``device`` is where the
    average lives (default: the module's device); other keyword arguments go to ``AveragedModel`` (``avg_fn``,
    ``multi_avg_fn``)."""

    def __init__(self, device: Optional[Union[torch.device, str, int]] = None, use_buffers: bool = True,
                 **kwargs: Any) -> None:
        self._device = torch.device(device) if isinstance(device, str) else device
        self._use_buffers = use_buffers
        self._kwargs = kwargs
        self._average_model: Optional[AveragedModel] = None
        self._latest_update_step = 0
        self._latest_update_epoch = -1

    def should_update(self, step_idx: Optional[int] = None, epoch_idx: Optional[int] = None) -> bool:
        """Default: after every optimizer step, never at epoch ends."""
        return step_idx is not None

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        if stage != "fit":
            return
        if is_overridden("configure_model", pl_module):
            rank_zero_warn("WeightAveraging keeps a full copy of the model and does not support sharded layers "
                           "(`configure_model`); the model is built now and may not fit in memory.")
            pl_module.configure_model()
        self._average_model = AveragedModel(model=pl_module, device=self._device or pl_module.device,
                                            use_buffers=self._use_buffers, **self._kwargs)

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        # only once per optimizer step (not per accumulated batch)
        if trainer.global_step > self._latest_update_step and self.should_update(step_idx=trainer.global_step - 1):
            self._average_model.update_parameters(pl_module)
            self._latest_update_step = trainer.global_step

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        epoch = trainer.current_epoch
        if epoch > self._latest_update_epoch and self.should_update(epoch_idx=epoch):
            self._average_model.update_parameters(pl_module)
            self._latest_update_epoch = epoch

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        for average, current in self._paired_tensors(pl_module):
            current.data.copy_(average.data)

    def on_validation_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        if self._average_model is not None:
            self._swap_models(pl_module)

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if self._average_model is not None:
            self._swap_models(pl_module)

    def state_dict(self) -> dict:
        return {"latest_update_step": self._latest_update_step}

    def load_state_dict(self, state_dict: dict) -> None:
        self._latest_update_step = state_dict["latest_update_step"]

    def on_save_checkpoint(self, trainer: Any, pl_module: Any, checkpoint: dict) -> None:
        if self._average_model is None:
            rank_zero_info("WeightAveraging: a checkpoint saved outside fit does not include the averaging state; "
                           "after training, `state_dict` already holds the averaged weights.")
            return
        average_state = self._average_model.state_dict()
        checkpoint["current_model_state"] = checkpoint["state_dict"]
        checkpoint["state_dict"] = {k[len("module."):]: v for k, v in average_state.items() if k.startswith("module.")}
        checkpoint["averaging_state"] = {k: v for k, v in average_state.items() if not k.startswith("module.")}

    def on_load_checkpoint(self, trainer: Any, pl_module: Any, checkpoint: dict) -> None:
        if self._average_model is None:
            rank_zero_warn("WeightAveraging: loading a checkpoint outside fit, so the averaging state is not restored "
                           "(fine for test/predict; remove the callback to silence this).")
        elif "current_model_state" in checkpoint and "averaging_state" in checkpoint:
            rank_zero_info("WeightAveraging: restoring the live weights from `current_model_state` and the average "
                           "from `state_dict`.")
            average_state = {"module." + k: v for k, v in checkpoint["state_dict"].items()}
            self._average_model.load_state_dict({**average_state, **checkpoint["averaging_state"]})
            pl_module.load_state_dict(checkpoint["current_model_state"])
        else:
            rank_zero_warn("The checkpoint was not created with WeightAveraging: the current and the average model "
                           "both start from its `state_dict`.")
            self._average_model.module.load_state_dict(deepcopy(checkpoint["state_dict"]), strict=False)

    def _paired_tensors(self, pl_module: Any) -> Any:
        averaged = self._average_model.module
        return zip(itertools.chain(averaged.parameters(), averaged.buffers()),
                   itertools.chain(pl_module.parameters(), pl_module.buffers()))

    def _swap_models(self, pl_module: Any) -> None:
        for average, current in self._paired_tensors(pl_module):
            saved = average.data.clone()
            average.data.copy_(current.data)
            current.data.copy_(saved)


class EMAWeightAveraging(WeightAveraging):
    """Exponential moving average: ``avg = decay * avg + (1 - decay) * weights`` every ``update_every_n_steps``
    optimizer steps from ``update_starting_at_step``, and/or at epoch ends from ``update_starting_at_epoch``."""

    def __init__(self, device: Optional[Union[torch.device, str, int]] = None, use_buffers: bool = True,
                 decay: float = 0.999, update_every_n_steps: int = 1, update_starting_at_step: Optional[int] = None,
                 update_starting_at_epoch: Optional[int] = None, **kwargs: Any):
        super().__init__(device=device, use_buffers=use_buffers, **kwargs, avg_fn=get_ema_avg_fn(decay=decay))
        self.update_every_n_steps = update_every_n_steps
        self.update_starting_at_step = update_starting_at_step
        self.update_starting_at_epoch = update_starting_at_epoch

    def should_update(self, step_idx: Optional[int] = None, epoch_idx: Optional[int] = None) -> bool:
        if step_idx is not None:
            started = self.update_starting_at_step is None or step_idx >= self.update_starting_at_step
            if started and self.update_every_n_steps > 0 and step_idx % self.update_every_n_steps == 0:
                return True
        return epoch_idx is not None and self.update_starting_at_epoch is not None \
            and epoch_idx >= self.update_starting_at_epoch
