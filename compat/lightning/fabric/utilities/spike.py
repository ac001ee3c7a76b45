"""Loss-spike detection for a hand-written loop: ``SpikeDetection.on_train_batch_end(fabric, loss, batch,
batch_idx)`` raises ``TrainingSpikeException`` when the loss jumps away from its running mean (or is not finite),
after recording the offending batch indices in a JSON file so a restarted run can skip them. The Trainer's
``SpikeDetection`` callback is this class fed from its ``on_train_batch_end`` hook."""
import json
import os
from collections import deque
from typing import Any, Literal, Optional, Union

import torch

__all__ = ["SpikeDetection", "TrainingSpikeException"]


class TrainingSpikeException(RuntimeError):
    """Raised by ``SpikeDetection`` on a loss spike; ``batch_idx`` names the batch."""

    def __init__(self, batch_idx: int, *args: Any, **kwargs: Any):
        self.batch_idx = batch_idx
        super().__init__(f"Training spike detected in batch {batch_idx}", *args, **kwargs)


class SpikeDetection:
    """A batch is a spike when (after ``warmup`` batches) the loss moved the wrong way (up for ``mode="min"``) and
    differs from the mean of the last ``window`` losses by at least ``atol`` and at least ``rtol`` times that mean
    (``None`` disables a tolerance), or when it is not finite (``finite_only``). The batch and the one before it
    are written to ``exclude_batches_path`` (a folder or a ``.json`` file; default ``skip_batches.json`` in the
    working directory, for the Trainer's callback in ``default_root_dir``)."""

    def __init__(self, mode: Literal["min", "max"] = "min", window: int = 10, warmup: int = 1,
                 atol: Optional[float] = None, rtol: Optional[float] = 2.0,
                 exclude_batches_path: Optional[Union[str, os.PathLike]] = None, finite_only: bool = True) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"Invalid mode. Has to be min or max, found {mode}")
        self.last_val: Union[torch.Tensor, float] = 0.0
        self.window = window
        self._recent: deque = deque(maxlen=window)
        self.mode = mode
        self.warmup = warmup
        self.atol = atol
        self.rtol = rtol
        self.bad_batches: list = []
        self.exclude_batches_path = exclude_batches_path
        self.finite_only = finite_only

    @torch.no_grad()
    def on_train_batch_end(self, fabric: Any, loss: torch.Tensor, batch: Any, batch_idx: int) -> None:
        """Check ``loss`` of batch ``batch_idx``; on a spike on any rank, record it and raise on every rank.
        ``fabric`` is anything with ``strategy`` (``barrier``, ``reduce_boolean_decision``) and ``global_rank``."""
        if self.exclude_batches_path is None:
            self.exclude_batches_path = os.getcwd()
        if not str(self.exclude_batches_path).endswith(".json"):
            self.exclude_batches_path = os.path.join(self.exclude_batches_path, "skip_batches.json")
        strategy = fabric.strategy
        is_spike = bool(batch_idx >= self.warmup and self._is_spike(loss))
        strategy.barrier()
        if strategy.reduce_boolean_decision(is_spike, all=False):
            self._handle_spike(fabric, batch_idx)
        elif self.finite_only or strategy.reduce_boolean_decision(bool(torch.isfinite(loss).all()), all=True):
            self._update_stats(loss)

    def _running_mean(self) -> torch.Tensor:
        if not self._recent:
            return torch.tensor(float("nan"))
        return torch.stack([v.float().mean() for v in self._recent]).mean()

    def _is_spike(self, loss: torch.Tensor) -> bool:
        if self.finite_only and not torch.isfinite(loss).all():
            return True
        if self._is_better(loss - self.last_val):
            return False
        running = self._running_mean().to(loss.device)
        return self._check_atol(loss, running) and self._check_rtol(loss, running)

    def _handle_spike(self, fabric: Any, batch_idx: int) -> None:
        # the batch and the one before it: the earlier update may already have damaged the weights
        self.bad_batches.extend([batch_idx - 1, batch_idx])
        if fabric.global_rank == 0:
            os.makedirs(os.path.dirname(os.path.abspath(self.exclude_batches_path)), exist_ok=True)
            with open(self.exclude_batches_path, "w") as f:
                json.dump(self.bad_batches, f, indent=4)
        raise TrainingSpikeException(batch_idx=batch_idx)

    def _check_atol(self, val_a: Any, val_b: Any) -> bool:
        return self.atol is None or bool(abs(val_a - val_b) >= abs(self.atol))

    def _check_rtol(self, val_a: Any, val_b: Any) -> bool:
        return self.rtol is None or bool(abs(val_a - val_b) >= abs(self.rtol * val_b))

    def _is_better(self, diff: torch.Tensor) -> bool:
        return bool((diff <= 0.0).all()) if self.mode == "min" else bool((diff >= 0).all())

    def _update_stats(self, val: torch.Tensor) -> None:
        self._recent.append(val.detach())
        self.last_val = val

    def state_dict(self) -> dict:
        return {
            "last_val": self.last_val.item() if isinstance(self.last_val, torch.Tensor) else self.last_val,
            "mode": self.mode, "warmup": self.warmup, "atol": self.atol, "rtol": self.rtol,
            "bad_batches": list(self.bad_batches), "bad_batches_path": self.exclude_batches_path,
            "window": self.window, "recent": [v.cpu() for v in self._recent],
        }

    def load_state_dict(self, state_dict: dict) -> None:
        self.last_val = state_dict["last_val"]
        self.mode = state_dict["mode"]
        self.warmup = state_dict["warmup"]
        self.atol = state_dict["atol"]
        self.rtol = state_dict["rtol"]
        self.bad_batches = list(state_dict["bad_batches"])
        self.exclude_batches_path = state_dict["bad_batches_path"]
        self.window = state_dict.get("window", self.window)
        self._recent = deque(state_dict.get("recent", []), maxlen=self.window)
