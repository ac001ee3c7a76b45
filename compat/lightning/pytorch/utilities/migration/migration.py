"""The ordered steps that turn a checkpoint written by an older Lightning release into the 2.x layout.

Each step is a fact of the format's history (``shared/migration-table.md (beside the repository)`` section F.4): the version that
introduced the change and what it does to the checkpoint dict. :func:`_migration_index` lists them by that version;
``migrate_checkpoint`` (in ``utils``) runs every step whose version is newer than the file's.
"""
import warnings
from typing import Any, Callable, Dict, List

_CHECKPOINT = Dict[str, Any]


def _migration_index() -> Dict[str, List[Callable[[_CHECKPOINT], _CHECKPOINT]]]:
    """Version that changed the format -> the steps that bring an older file up to it, in order."""
    return {
        "0.10.0": [_migrate_model_checkpoint_early_stopping],
        "1.6.0": [_migrate_loop_global_step_to_progress_tracking, _migrate_loop_current_epoch_to_progress_tracking],
        "1.6.5": [_migrate_loop_batches_that_stepped],
        "1.9.0": [_migrate_model_checkpoint_save_on_train_epoch_end_default],
        "2.0.0": [
            _drop_apex_amp_state,
            _migrate_loop_structure_after_tbptt_removal,
            _migrate_loop_structure_after_optimizer_loop_removal,
            _migrate_loop_structure_after_dataloader_loop_removal,
        ],
    }


def _migrate_model_checkpoint_early_stopping(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """< 0.10: the best score/path and the early-stopping counters were top-level keys; move them into the
    callback states, keyed by the callback class (the key format of that time)."""
    from lightning.pytorch.callbacks.early_stopping import EarlyStopping
    from lightning.pytorch.callbacks.model_checkpoint import ModelCheckpoint

    moves = {
        "checkpoint_callback_best_model_score": (ModelCheckpoint, "best_model_score"),
        "checkpoint_callback_best_model_path": (ModelCheckpoint, "best_model_path"),
        "checkpoint_callback_best": (ModelCheckpoint, "best_model_score"),
        "early_stop_callback_wait": (EarlyStopping, "wait_count"),
        "early_stop_callback_patience": (EarlyStopping, "patience"),
    }
    for old_key, (callback_type, new_key) in moves.items():
        if old_key in checkpoint:
            callbacks = checkpoint.setdefault("callbacks", {})
            callbacks.setdefault(callback_type, {})[new_key] = checkpoint.pop(old_key)
    return checkpoint


def _progress(*fields: str) -> dict:
    return {"total": dict.fromkeys(fields, 0), "current": dict.fromkeys(fields, 0)}


def _fit_loop_state_1_6_0() -> dict:
    """The ``loops["fit_loop"]`` of a fresh 1.6.0 run (every counter at zero)."""
    batch = {**_progress("ready", "started", "processed", "completed"), "is_last_batch": False}
    return {
        "state_dict": {},
        "epoch_progress": _progress("ready", "started", "processed", "completed"),
        "epoch_loop.state_dict": {"_batches_that_stepped": 0},
        "epoch_loop.batch_progress": batch,
        "epoch_loop.scheduler_progress": _progress("ready", "completed"),
        "epoch_loop.batch_loop.state_dict": {},
        "epoch_loop.batch_loop.manual_loop.state_dict": {},
        "epoch_loop.batch_loop.manual_loop.optim_step_progress": _progress("ready", "completed"),
        "epoch_loop.batch_loop.optimizer_loop.state_dict": {},
        "epoch_loop.batch_loop.optimizer_loop.optim_progress": {
            "optimizer": {"step": _progress("ready", "completed"), "zero_grad": _progress("ready", "started", "completed")},
            "optimizer_position": 0,
        },
        "epoch_loop.val_loop.state_dict": {},
        "epoch_loop.val_loop.dataloader_progress": _progress("ready", "completed"),
        "epoch_loop.val_loop.epoch_loop.state_dict": {},
        "epoch_loop.val_loop.epoch_loop.batch_progress": {
            **_progress("ready", "started", "processed", "completed"), "is_last_batch": False
        },
    }


def _migrate_loop_global_step_to_progress_tracking(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """< 1.6: no loop state; build the 1.6.0 fit loop and put ``global_step`` into its optimizer-step counters."""
    global_step = checkpoint["global_step"]
    fit_loop = checkpoint.setdefault("loops", {"fit_loop": _fit_loop_state_1_6_0()})["fit_loop"]
    fit_loop.setdefault("epoch_loop.batch_loop.optimizer_loop.optim_progress", _fit_loop_state_1_6_0()[
        "epoch_loop.batch_loop.optimizer_loop.optim_progress"])
    fit_loop["epoch_loop.batch_loop.optimizer_loop.optim_progress"]["optimizer"]["step"]["total"]["completed"] = (
        global_step
    )
    fit_loop.setdefault("epoch_loop.batch_loop.manual_loop.optim_step_progress", _progress("ready", "completed"))
    fit_loop["epoch_loop.batch_loop.manual_loop.optim_step_progress"]["total"]["completed"] = global_step
    return checkpoint


def _migrate_loop_current_epoch_to_progress_tracking(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """< 1.6: ``epoch`` already meant "epochs completed" (it stored current_epoch + 1); record it as such."""
    fit_loop = checkpoint.setdefault("loops", {"fit_loop": _fit_loop_state_1_6_0()})["fit_loop"]
    fit_loop["epoch_progress"]["current"]["completed"] = checkpoint["epoch"]
    return checkpoint


def _migrate_loop_batches_that_stepped(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """< 1.6.5: the logger step (``_batches_that_stepped``) was not stored; derive it from ``global_step`` unless
    present (the 1.6.0 initial state above already holds 0, which the real migration keeps)."""
    fit_loop = checkpoint["loops"]["fit_loop"]
    fit_loop["epoch_loop.state_dict"].setdefault("_batches_that_stepped", checkpoint["global_step"])
    return checkpoint


_OLD_SAVE_ON_TRAIN_EPOCH_END = (", 'save_on_train_epoch_end': None", ", 'save_on_train_epoch_end': True",
                                ", 'save_on_train_epoch_end': False")


def _migrate_model_checkpoint_save_on_train_epoch_end_default(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """1.9 dropped ``save_on_train_epoch_end`` from ``ModelCheckpoint.state_key``; rename the stored states.

    When the rename would merge two states, or a key is not a string (a ≤1.4 class key), nothing is renamed.
    """
    callbacks = checkpoint.get("callbacks")
    if not callbacks:
        return checkpoint
    renamed = {}
    for key, state in callbacks.items():
        new_key = key
        if isinstance(key, str) and key.startswith("ModelCheckpoint"):
            for old in _OLD_SAVE_ON_TRAIN_EPOCH_END:
                new_key = new_key.replace(old, "")
        renamed[new_key] = state
    if len(renamed) != len(callbacks) or not all(isinstance(k, str) for k in callbacks):
        from lightning.pytorch.utilities.warnings import PossibleUserWarning

        warnings.warn(
            "The checkpoint holds ModelCheckpoint states whose keys collide after dropping "
            "`save_on_train_epoch_end` from them (or keys that are classes); they were left as they are, so those "
            "states may not be restored.",
            PossibleUserWarning,
        )
        return checkpoint
    checkpoint["callbacks"] = renamed
    return checkpoint


def _drop_apex_amp_state(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """2.0 removed apex AMP; its scaler state cannot be used any more."""
    if "amp_scaling_state" in checkpoint:
        from lightning.fabric.utilities.rank_zero import rank_zero_warn

        rank_zero_warn("This checkpoint holds apex AMP state, which Lightning 2.x no longer supports; it is dropped.")
        del checkpoint["amp_scaling_state"]
    return checkpoint


def _fit_loop(checkpoint: _CHECKPOINT) -> Any:
    return checkpoint.get("loops", {}).get("fit_loop")


def _migrate_loop_structure_after_tbptt_removal(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """2.0 removed the batch loop (truncated backprop); its optimizer/manual loops moved up one level."""
    fit_loop = _fit_loop(checkpoint)
    if fit_loop is None:
        return checkpoint
    for old_prefix, new_prefix in (("epoch_loop.batch_loop.manual_loop.", "epoch_loop.manual_loop."),
                                   ("epoch_loop.batch_loop.optimizer_loop.", "epoch_loop.optimizer_loop.")):
        for key in [k for k in fit_loop if k.startswith(old_prefix)]:
            fit_loop[new_prefix + key[len(old_prefix):]] = fit_loop.pop(key)
    old_state = fit_loop.pop("epoch_loop.batch_loop.state_dict", None)
    if old_state:
        fit_loop["epoch_loop.state_dict"]["old_batch_loop_state_dict"] = old_state
    return checkpoint


def _migrate_loop_structure_after_optimizer_loop_removal(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """2.0 replaced the optimizer/manual loops by the automatic/manual optimization objects (one optimizer at a
    time, so the position is gone)."""
    fit_loop = _fit_loop(checkpoint)
    if fit_loop is None:
        return checkpoint
    optim_progress = fit_loop.get("epoch_loop.optimizer_loop.optim_progress")
    if optim_progress is not None:
        optim_progress.pop("optimizer_position", None)
    renames = {
        "epoch_loop.optimizer_loop.state_dict": "epoch_loop.automatic_optimization.state_dict",
        "epoch_loop.optimizer_loop.optim_progress": "epoch_loop.automatic_optimization.optim_progress",
        "epoch_loop.manual_loop.state_dict": "epoch_loop.manual_optimization.state_dict",
        "epoch_loop.manual_loop.optim_step_progress": "epoch_loop.manual_optimization.optim_step_progress",
    }
    for old, new in renames.items():
        if old in fit_loop:
            fit_loop[new] = fit_loop.pop(old)
    return checkpoint


def _migrate_loop_structure_after_dataloader_loop_removal(checkpoint: _CHECKPOINT) -> _CHECKPOINT:
    """2.0 removed the dataloader loop of validate/test/predict: their epoch-loop keys moved up one level.

    As in the real migration, the validation loop nested in ``fit_loop`` is left alone (it is not restored).
    """
    loops = checkpoint.get("loops")
    if not loops:
        return checkpoint
    for name in ("validate_loop", "test_loop", "predict_loop"):
        loop = loops.get(name)
        if loop is None:
            continue
        loop.pop("dataloader_progress", None)
        for key in [k for k in loop if k.startswith("epoch_loop.")]:
            loop[key[len("epoch_loop."):]] = loop.pop(key)
    return checkpoint
