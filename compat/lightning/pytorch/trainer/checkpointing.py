"""The checkpoint dict: what goes in (``build_checkpoint``), in what order the hooks see it, and how a run is
restored from it (modules and callbacks before setup, optimizers / loops / precision state after).

The keys are written out here, one by one, in the layout of Lightning 2.x. What we add for bit-exact resume and for
plain ``torch.load`` lives where real Lightning ignores it: ``loops["fit_loop"]["state_dict"]`` (RNG states of the
epoch start and of the save, partial gradient sums of an unfinished accumulation window) and
``<hyperparameters key>_types`` (hyperparameters stored as plain data, only when there are such).
"""
import os
from typing import Any, Optional

from lightning.__about__ import __version__
from lightning.fabric.utilities.cloud_io import _exists, _listdir, _modified
from lightning.fabric.utilities.rank_zero import rank_zero_info, rank_zero_warn
from lightning.pytorch.core.saving import hparams_for_checkpoint
from lightning.pytorch.trainer.states import TrainerFn
from lightning.pytorch.utilities.exceptions import MisconfigurationException


_LEGACY_SCALER_KEYS = ("MixedPrecisionPlugin", "NativeMixedPrecisionPlugin", "native_amp_scaling_state")


def build_checkpoint(trainer: Any, weights_only: bool = False) -> dict:
    """The checkpoint of ``trainer``'s current state (2.x layout)."""
    model = trainer.lightning_module
    datamodule = trainer.datamodule
    hooks = trainer._hooks
    checkpoint: dict = {
        "epoch": trainer.current_epoch,
        "global_step": trainer.global_step,
        "pytorch-lightning_version": __version__,
        "state_dict": trainer.strategy.lightning_module_state_dict(),
        "loops": loops_state_dict(trainer),
    }
    if not weights_only:
        grads = _accumulated_gradients(trainer)
        if grads:
            checkpoint["loops"]["fit_loop"]["state_dict"]["accumulated_grads"] = grads
        callback_states = {}
        for callback in trainer.callbacks:
            state = callback.state_dict()
            if state:
                callback_states[callback.state_key] = state
        checkpoint["callbacks"] = callback_states
        checkpoint["optimizer_states"] = [trainer.strategy.optimizer_state(opt) for opt in trainer.optimizers]
        checkpoint["lr_schedulers"] = [config.scheduler.state_dict() for config in trainer.lr_scheduler_configs]
        precision = trainer.precision_plugin
        precision_state = precision.state_dict()
        if precision_state:
            checkpoint[type(precision).__qualname__] = precision_state
    for obj in (model, datamodule):
        if obj is not None and obj.hparams:
            if hasattr(obj, "_hparams_name"):
                checkpoint[type(obj).CHECKPOINT_HYPER_PARAMS_NAME if hasattr(type(obj), "CHECKPOINT_HYPER_PARAMS_NAME")
                           else "hparams_name"] = obj._hparams_name
            key = getattr(type(obj), "CHECKPOINT_HYPER_PARAMS_KEY", "hyper_parameters")
            checkpoint[key], converted = hparams_for_checkpoint(obj.hparams, type(obj).__name__)
            if converted:  # beyond the real layout: how to rebuild the values stored as plain data
                checkpoint[key + "_types"] = converted
    if datamodule is not None:
        state = hooks.call_datamodule("state_dict")
        if state:
            checkpoint[type(datamodule).__qualname__] = state
    if not weights_only:
        hooks.call_callbacks("on_save_checkpoint", checkpoint)
    hooks.call_module("on_save_checkpoint", checkpoint)
    return checkpoint


def _accumulated_gradients(trainer: Any) -> dict:
    """The gradients summed so far in an unfinished accumulation window (beyond the real layout, which loses them:
    without them a run resumed mid-window would step with a partial sum). Empty outside such a window."""
    model = trainer.lightning_module
    epoch_loop = trainer.fit_loop.epoch_loop
    fitting = trainer.state.fn == TrainerFn.FITTING and not trainer.sanity_checking  # validation inside fit too
    if not fitting or not model.automatic_optimization or trainer.accumulate_grad_batches == 1:
        return {}
    if epoch_loop.batch_progress.current.ready == 0 or not epoch_loop._should_accumulate():
        return {}
    return {name: p.grad.detach().clone() for name, p in model.named_parameters() if p.grad is not None}


def _restore_accumulated_gradients(trainer: Any, checkpoint: dict) -> None:
    """Add the saved partial sums to the first gradients computed after resuming.

    ``.grad`` cannot simply be set here: the Trainer zeroes gradients when the stage starts. A one-shot tensor hook
    adds the saved sum to each parameter's next gradient instead, whatever path the forward takes.
    """
    grads = ((checkpoint.get("loops") or {}).get("fit_loop") or {}).get("state_dict", {}).get("accumulated_grads")
    if not grads:
        return
    for name, param in trainer.lightning_module.named_parameters():
        saved = grads.get(name)
        if saved is None or not param.requires_grad:
            continue
        saved = saved.to(device=param.device, dtype=param.dtype)
        handle: list = []

        def add_saved(grad: Any, saved: Any = saved, handle: list = handle) -> Any:
            handle.pop().remove()
            return grad + saved

        handle.append(param.register_hook(add_saved))


def _restore_rng_for_next_epoch(trainer: Any) -> None:
    """A checkpoint from the end of an epoch: the next epoch must start from the RNG state of the save.

    (Inside an epoch the loop itself restores it after re-creating the epoch's batch order.) Restored now; what runs
    before the next epoch's first batch (sanity check) runs under ``isolate_rng``.
    """
    fit_loop = trainer.fit_loop
    resume = getattr(fit_loop.epoch_loop, "_resume", None)
    if not resume or resume.get("rng") is None or fit_loop._restored_mid_epoch():
        return
    from lightning.pytorch.loops.rng import restore_rng_states

    restore_rng_states(resume.pop("rng"))


def loops_state_dict(trainer: Any) -> dict:
    return {
        "fit_loop": trainer.fit_loop.state_dict(),
        "validate_loop": _eval_loop_state(trainer.validate_loop),
        "test_loop": _eval_loop_state(trainer.test_loop),
        "predict_loop": _eval_loop_state(trainer.predict_loop, with_last_batch=False),
    }


def _eval_loop_state(loop: Any, with_last_batch: bool = True) -> dict:
    progress = loop.batch_progress.state_dict()
    if not with_last_batch:  # the real predict loop counts batches without `is_last_batch`
        progress.pop("is_last_batch", None)
    return {"state_dict": {}, "batch_progress": progress}


# ---------------------------------------------------------------- restoring
def resolve_ckpt_path(trainer: Any, fn: TrainerFn, ckpt_path: Optional[Any], model_provided: bool) -> Optional[str]:
    """Turn ``ckpt_path`` (a path, "last", "best", "hpc" or None) into a file path or None."""
    if ckpt_path is None:
        if model_provided or fn == TrainerFn.FITTING:
            return None
        ckpt_path = "best"
        rank_zero_warn(
            f"`trainer.{fn.value}(ckpt_path=None)` was called without a model: using the best checkpoint of the "
            f"previous `fit`. Pass `ckpt_path='best'` or `'last'` (or a model) to silence this warning."
        )
    if ckpt_path == "best":
        callback = trainer.checkpoint_callback
        if callback is None:
            raise ValueError(f'`.{fn.value}(ckpt_path="best")` needs a `ModelCheckpoint` callback in the Trainer.')
        best = getattr(callback, "best_model_path", "")
        if not best:
            if trainer.fast_dev_run:
                raise ValueError(
                    f'`.{fn.value}(ckpt_path="best")` is not possible with `fast_dev_run`: no checkpoint was saved.'
                )
            raise ValueError(
                f'`.{fn.value}(ckpt_path="best")`: no best checkpoint exists yet. Run `trainer.fit` first or pass a path.'
            )
        return best
    if ckpt_path == "last":
        candidates = []
        for callback in trainer.checkpoint_callbacks:
            finder = getattr(callback, "_find_last_checkpoints", None)
            if finder is not None:
                candidates.extend(finder(trainer))
        if not candidates:
            rank_zero_warn(
                f'`.{fn.value}(ckpt_path="last")` is set, but there is no last checkpoint available. No checkpoint '
                "will be loaded: training starts from scratch."
            )
            return None
        return max(candidates, key=_modified)
    if ckpt_path == "hpc":
        folder = trainer.default_root_dir
        files = [f for f in _listdir(folder) if f.startswith("hpc_ckpt_")]
        if not files:
            return None
        latest = max(files, key=lambda f: int(f.split("_")[-1].split(".")[0]))
        return os.path.join(folder, latest)
    path = str(ckpt_path)
    if not _exists(path):
        raise FileNotFoundError(f"Checkpoint file not found: {path}")
    return path


def load_for_resume(trainer: Any, path: str, weights_only: Optional[bool] = None) -> dict:
    """Read ``path`` through the strategy's checkpoint IO and bring it to the current layout."""
    from lightning.pytorch.utilities.migration.utils import _pl_migrate_checkpoint

    checkpoint = trainer.strategy.load_checkpoint(path, weights_only=weights_only)
    checkpoint = _pl_migrate_checkpoint(checkpoint, path)
    rank_zero_info(f"Restoring states from the checkpoint path at {path}")
    return checkpoint


def restore_modules_and_callbacks(trainer: Any, checkpoint: dict) -> None:
    """Before setup: model weights (``on_load_checkpoint`` first), datamodule state, callback states."""
    from lightning.pytorch.utilities.migration.utils import migrate_checkpoint

    # in place, and a no-op for current files: covers loads that did not go through load_for_resume
    migrate_checkpoint(checkpoint)
    hooks = trainer._hooks
    model = trainer.lightning_module
    hooks.call_module("on_load_checkpoint", checkpoint)
    if "state_dict" not in checkpoint:
        raise KeyError("The checkpoint has no 'state_dict' (model weights); it cannot be used to resume.")
    try:
        trainer.strategy.load_model_state_dict(checkpoint, strict=model.strict_loading)
    except RuntimeError as err:
        raise RuntimeError(
            f"The checkpoint's weights do not fit `{type(model).__name__}`: {err}\nIs it from a different model "
            "class? Set `model.strict_loading = False` to load the matching keys only."
        ) from None
    datamodule = trainer.datamodule
    if datamodule is not None:
        key = type(datamodule).__qualname__
        if key in checkpoint:
            hooks.call_datamodule("load_state_dict", checkpoint[key])
    _restore_callbacks(trainer, checkpoint)


def _restore_callbacks(trainer: Any, checkpoint: dict) -> None:
    """Callback states, in every stage (as 2.6.6). A file without them (weights only) is not shown to the callbacks'
    ``on_load_checkpoint`` at all; states of callbacks this Trainer does not have are named in a warning."""
    states = checkpoint.get("callbacks")
    if states is None:
        return
    import copy

    from packaging.version import Version

    # files of 1.x before 1.5 keyed the states by class (unless migration has already renamed the version)
    legacy = Version(str(checkpoint.get("pytorch-lightning_version", __version__))) < Version("1.5.0dev")
    present = {callback._legacy_state_key if legacy else callback.state_key for callback in trainer.callbacks}
    missing = [key for key in states if key not in present]
    if missing:
        rank_zero_warn(
            "The checkpoint holds the state of callbacks this Trainer does not have, so it is not restored. To resume "
            f"them with `ckpt_path`, pass the same callbacks (their arguments form the keys). Please add the following "
            f"callbacks: {missing}."
        )
    trainer._hooks.call_callbacks("on_load_checkpoint", checkpoint)
    for callback in trainer.callbacks:
        state = states.get(callback.state_key, states.get(callback._legacy_state_key))
        if state:
            callback.load_state_dict(copy.deepcopy(state))


def restore_training_state(trainer: Any, checkpoint: dict) -> None:
    """After setup: precision (scaler) state, loop progress, and (when fitting) optimizers and schedulers."""
    precision = trainer.precision_plugin
    state = checkpoint.get(type(precision).__qualname__)
    if state is None and type(precision).__name__ == "MixedPrecision":
        # the scaler state of older files: 1.6-1.8, 1.9-2.1 and <=1.5 wrote it under these keys
        # (real 2.2+ reads only the last one, so it silently drops the scaler of 1.6-2.1 files)
        state = next((checkpoint[k] for k in _LEGACY_SCALER_KEYS if k in checkpoint), None)
    if state:
        precision.load_state_dict(state)
    loops = checkpoint.get("loops")
    if trainer.state.fn == TrainerFn.FITTING:
        if loops is not None and "fit_loop" in loops:
            trainer.fit_loop.load_state_dict(loops["fit_loop"])
            _restore_rng_for_next_epoch(trainer)
        else:
            _restore_counters_without_loops(trainer, checkpoint)
        _restore_optimizers_and_schedulers(trainer, checkpoint)
        _restore_accumulated_gradients(trainer, checkpoint)
    elif loops is not None:
        loop_key = {TrainerFn.VALIDATING: "validate_loop", TrainerFn.TESTING: "test_loop",
                    TrainerFn.PREDICTING: "predict_loop"}.get(trainer.state.fn)
        loop = {"validate_loop": trainer.validate_loop, "test_loop": trainer.test_loop,
                "predict_loop": trainer.predict_loop}.get(loop_key)
        if loop is not None and loop_key in loops:
            loop.batch_progress.load_state_dict(loops[loop_key].get("batch_progress", {"total": {}, "current": {}}))


def _restore_counters_without_loops(trainer: Any, checkpoint: dict) -> None:
    # checkpoints from before loop state existed (<1.6): epoch/global_step are all there is
    fit_loop = trainer.fit_loop
    epoch = int(checkpoint.get("epoch", 0))
    global_step = int(checkpoint.get("global_step", 0))
    fit_loop.epoch_progress.current.completed = epoch + 1
    fit_loop.epoch_progress.current.processed = epoch + 1
    fit_loop.epoch_progress.total.completed = epoch + 1
    fit_loop.epoch_loop.automatic_optimization.optim_progress.optimizer.step.total.completed = global_step
    fit_loop.epoch_loop._batches_that_stepped = global_step
    fit_loop._restarting = True


def _restore_optimizers_and_schedulers(trainer: Any, checkpoint: dict) -> None:
    if "optimizer_states" not in checkpoint or "lr_schedulers" not in checkpoint:
        if "optimizer_states" not in checkpoint and not trainer.optimizers:
            return
        raise KeyError(
            "Trying to restore optimizer/scheduler state, but the checkpoint holds none: it was probably saved with "
            "`save_weights_only=True`. Load it with `Model.load_from_checkpoint(path)` instead of `ckpt_path=`."
        )
    states = checkpoint["optimizer_states"]
    if len(states) != len(trainer.optimizers):
        raise MisconfigurationException(
            f"The checkpoint holds {len(states)} optimizer states, but `configure_optimizers` returned "
            f"{len(trainer.optimizers)} optimizers."
        )
    trainer.strategy.load_optimizer_state_dict(checkpoint)
    for config, state in zip(trainer.lr_scheduler_configs, checkpoint["lr_schedulers"]):
        config.scheduler.load_state_dict(state)
