"""Batch-size search: run a few steps at growing batch sizes until one runs out of memory, then keep the largest
that fitted (``power``: doubling; ``binsearch``: doubling, then bisection between the last success and the first
failure, minus a safety ``margin``). The batch size lives in a model/datamodule attribute (``batch_arg_name``)
that the dataloader hooks read, so the loaders are rebuilt after each change."""
import logging
from typing import Any, Optional

from lightning.fabric.utilities.rank_zero import rank_zero_info, rank_zero_warn
from lightning.pytorch.tuner._trial import TrialRun, eval_limit_name
from lightning.pytorch.utilities.memory import garbage_collection_cuda, is_oom_error
from lightning.pytorch.utilities.parsing import lightning_getattr, lightning_setattr

log = logging.getLogger(__name__)


def _scale_batch_size(trainer: Any, mode: str = "power", steps_per_trial: int = 3, init_val: int = 2,
                      max_trials: int = 25, batch_arg_name: str = "batch_size", margin: float = 0.05,
                      max_val: int = 8192) -> Optional[int]:
    """Search the batch size inside the current run and put the run back afterwards; returns the size found."""
    if not 0.0 <= margin < 1.0:
        raise ValueError(f"`margin` should be between 0 and 1. Found margin={margin}")
    if trainer.fast_dev_run:
        rank_zero_warn("Skipping batch size scaler since `fast_dev_run` is enabled.")
        return None
    with TrialRun(trainer, [], ".scale_batch_size", reload_val_on_exit=True) as trial:
        if trial.loop is trainer.fit_loop:
            trial.override(trainer, "limit_train_batches", 1.0)
            trial.override(trainer, "limit_val_batches", steps_per_trial)
            trial.override(trainer.fit_loop, "max_steps", steps_per_trial)
        else:
            trial.override(trainer, eval_limit_name(trainer), steps_per_trial)
            if hasattr(trial.loop, "verbose"):
                trial.override(trial.loop, "verbose", False)
        new_size, _ = _adjust_batch_size(trial, batch_arg_name, value=init_val)
        if mode == "power":
            new_size = _run_power_scaling(trial, new_size, batch_arg_name, max_trials, max_val)
        else:
            new_size = _run_binsearch_scaling(trial, new_size, batch_arg_name, max_trials, margin, max_val)
        garbage_collection_cuda()
        log.info(f"Finished batch size finder, will continue with full run using batch size {new_size}")
    return new_size


def _run_trial(trial: TrialRun, new_size: int, max_val: int) -> Optional[bool]:
    """One trial at ``new_size``: True if it ran, False if it ran out of memory (any other error is raised), None
    when the size has reached ``max_val`` and the search stops without running it."""
    garbage_collection_cuda()
    if new_size >= max_val:
        rank_zero_info(f"Reached the maximum batch size limit of {max_val}. Stopping search.")
        return None
    try:
        trial.run()
    except RuntimeError as exception:
        if not is_oom_error(exception):
            raise
        garbage_collection_cuda()
        return False
    return True


def _run_power_scaling(trial: TrialRun, new_size: int, batch_arg_name: str, max_trials: int, max_val: int) -> int:
    """Double until a trial runs out of memory (then halve once) or the size stops changing."""
    any_success = False
    for attempt in range(max_trials):
        fits = _run_trial(trial, new_size, max_val)
        if fits is None:
            break
        if not fits:
            new_size, _ = _adjust_batch_size(trial, batch_arg_name, factor=0.5, desc="failed")
            trial.reset_dataloaders()
            if any_success:
                break
            continue
        if attempt + 1 >= max_trials:
            break
        new_size, changed = _adjust_batch_size(trial, batch_arg_name, factor=2.0, desc="succeeded")
        if not changed:
            break
        trial.reset_dataloaders()
        any_success = True
    return new_size


def _run_binsearch_scaling(trial: TrialRun, new_size: int, batch_arg_name: str, max_trials: int, margin: float,
                           max_val: int) -> int:
    """Double until the first failure, then bisect between the last success and the failure."""
    low, high, count = 1, None, 0
    last_success = new_size
    while True:
        fits = _run_trial(trial, new_size, max_val)
        if fits is None:
            break
        if not fits:
            high = new_size
            new_size, _ = _adjust_batch_size(trial, batch_arg_name, value=(high + low) // 2, desc="failed")
            trial.reset_dataloaders()
            if high - low <= 1:
                break
            continue
        last_success = new_size
        count += 1
        if count >= max_trials:
            new_size = last_success
            break
        low = new_size
        if high:
            if high - low <= 1:
                break
            new_size, changed = _adjust_batch_size(trial, batch_arg_name, value=(high + low) // 2, desc="succeeded",
                                                   max_val=max_val)
        else:
            new_size, changed = _adjust_batch_size(trial, batch_arg_name, factor=2.0, desc="succeeded",
                                                   max_val=max_val)
        if not changed:
            break
        trial.reset_dataloaders()
    if margin > 0:
        reduced = max(1, int(new_size * (1 - margin)))
        if reduced != new_size:
            rank_zero_info(f"Applying margin of {margin:.1%}, reducing batch size from {new_size} to {reduced}")
            new_size = reduced
            lightning_setattr(trial.trainer.lightning_module, batch_arg_name, new_size)
    return new_size


def _dataset_length(loader: Any) -> Optional[int]:
    total = 0
    for dataloader in getattr(loader, "flattened", [loader]):
        dataset = getattr(dataloader, "dataset", None)
        try:
            total += len(dataset)
        except TypeError:
            return None
    return total


def _adjust_batch_size(trial: TrialRun, batch_arg_name: str = "batch_size", factor: float = 1.0,
                       value: Optional[int] = None, desc: Optional[str] = None, max_val: int = 8192) -> tuple:
    """Set the batch size to ``value`` (or current * ``factor``, capped at ``max_val``); ``(size, changed)``.
    A size already covering the whole dataset is kept: growing it further changes nothing."""
    model = trial.trainer.lightning_module
    batch_size = lightning_getattr(model, batch_arg_name)
    loop = trial.loop
    loop.setup_data()
    length = _dataset_length(loop._combined_loader)
    if length is not None and batch_size >= length:
        rank_zero_info(f"The batch size {batch_size} is greater or equal than the length of your dataset: {length}.")
        return batch_size, False
    new_size = value if value is not None else int(batch_size * factor)
    if new_size > max_val:
        if desc:
            rank_zero_info(f"Batch size {new_size} exceeds max_val limit {max_val}, capping at {max_val}")
        new_size = max_val
    if desc:
        rank_zero_info(f"Batch size {batch_size} {desc}, trying batch size {new_size}")
    lightning_setattr(model, batch_arg_name, new_size)
    return new_size, new_size != batch_size
