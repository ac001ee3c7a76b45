"""Bit-exact resume: training resumed from a checkpoint taken at any step (mid-epoch, end of epoch, inside a
gradient-accumulation window) ends with exactly the weights and optimizer state of an uninterrupted run."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lightning.pytorch as pl
from resumable import MAX_EPOCHS, resume, uninterrupted


def _assert_same_result(acc, path, root, val_check_interval=1.0):
    final, optimizer_state, global_step, _ = uninterrupted(acc, val_check_interval)
    state, trainer = resume(path, acc, root, val_check_interval)
    assert trainer.global_step == global_step and trainer.current_epoch == MAX_EPOCHS
    for key, value in final.items():
        assert torch.equal(state[key], value), f"{key} differs after resuming from {os.path.basename(path)}"
    ours = trainer.optimizers[0].state_dict()["state"]
    for index, expected in optimizer_state["state"].items():
        for name, tensor in expected.items():
            assert torch.equal(ours[index][name], tensor)


@settings(max_examples=14, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_resume_from_any_step_is_bit_exact(data, tmp_path_factory):
    acc = data.draw(st.sampled_from([1, 3]), label="accumulate_grad_batches")
    files = uninterrupted(acc)[3]
    name = data.draw(st.sampled_from(sorted(files)), label="checkpoint")
    _assert_same_result(acc, files[name], str(tmp_path_factory.mktemp("resumed")))


@pytest.mark.parametrize(("acc", "name"), [
    (1, "e0-end"), (1, "e1-b2"), (1, "e1-val-after-b5"), (3, "e0-b0"), (3, "e1-b3"), (3, "e2-val-after-b5"),
])
def test_resume_at_the_edges(acc, name, tmp_path):
    """Epoch ends and accumulation windows, always checked (the property test samples among all positions)."""
    _assert_same_result(acc, uninterrupted(acc)[3][name], str(tmp_path))


def test_resume_from_checkpoints_taken_by_mid_epoch_validation(tmp_path):
    """Validation twice per epoch: checkpoints written at validation ends (inside accumulation windows too) and
    between validations resume bit-exactly."""
    files = uninterrupted(3, 0.5)[3]
    names = ["e0-val-after-b2", "e1-val-after-b4", "e1-b2", "e2-b4", "e2-end"]
    for name in names:
        _assert_same_result(3, files[name], str(tmp_path / name), val_check_interval=0.5)


@pytest.mark.parametrize(("acc", "val_check_interval", "name"), [(1, 1.0, "e1-b4"), (3, 0.5, "e1-b1")])
def test_pending_validation_runs_on_resume(acc, val_check_interval, name, tmp_path):
    """A checkpoint from `on_train_batch_end` of a batch that validation follows: the resumed run must still run
    that validation (its dataloader draws from the torch RNG, so skipping it changes the next epoch's shuffle)."""
    _assert_same_result(acc, uninterrupted(acc, val_check_interval)[3][name], str(tmp_path), val_check_interval)


_KILLED_RUN = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, sys.argv[2])
    import lightning.pytorch as pl
    from resumable import ResumableModel, make_trainer

    class KillAt(pl.Callback):
        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            if trainer.global_step == int(sys.argv[3]):
                os.kill(os.getpid(), signal.SIGKILL)

    pl.seed_everything(1)
    checkpoint = pl.callbacks.ModelCheckpoint(dirpath=sys.argv[1], every_n_train_steps=1, save_last=True)
    make_trainer(sys.argv[1], 1, [checkpoint, KillAt()]).fit(ResumableModel())
    """
)


def test_resume_after_kill_9(tmp_path, subprocess_env):
    """A real run killed with SIGKILL mid-epoch resumes from its last.ckpt to the uninterrupted result."""
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_RUN, str(tmp_path), os.path.dirname(__file__), "7"],
        env=subprocess_env, capture_output=True, text=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    last = tmp_path / "last.ckpt"
    assert torch.load(last)["global_step"] == 6  # killed in step 7, before ModelCheckpoint (always last) saved it
    _assert_same_result(1, str(last), str(tmp_path / "resumed"))


@pytest.mark.parametrize("acc", [1, 3])
def test_resume_from_checkpoint_saved_after_fit_ended(acc, tmp_path):
    """`trainer.save_checkpoint` after a shorter fit, then a longer fit from it, equals one long fit."""
    from resumable import ResumableModel, make_trainer

    pl.seed_everything(1)
    trainer = make_trainer(str(tmp_path), acc)
    trainer.fit_loop.max_epochs = MAX_EPOCHS - 1
    trainer.fit(ResumableModel())
    trainer.save_checkpoint(tmp_path / "after_fit.ckpt")
    _assert_same_result(acc, str(tmp_path / "after_fit.ckpt"), str(tmp_path / "resumed"))
