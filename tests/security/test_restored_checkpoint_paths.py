"""Paths restored from a checkpoint are data, not authority: a tampered checkpoint cannot make ModelCheckpoint delete
anything outside its own folder, a folder, or a file that is not a `.ckpt` file; the normal top-k rotation (which
deletes restored files inside the folder) is unchanged, side by side with the real 2.6.6."""
import os
from pathlib import Path

import pytest
import torch

import lightning.pytorch as pl
from lightning.pytorch.callbacks import ModelCheckpoint
from tests.security.side_by_side import run_both
from tests.security.topk_rotation import ScoredModel

HERE = Path(__file__).resolve().parent
TRAINER_ARGS = dict(limit_train_batches=2, limit_val_batches=1, logger=False, enable_progress_bar=False,
                    enable_model_summary=False, num_sanity_val_steps=0)


def _callbacks(dirpath):
    # two keys in one checkpoint: the latest-only bookkeeping (best_model_path, last_model_path) and the ranked one
    return [ModelCheckpoint(dirpath=dirpath, filename="latest-{epoch}", save_top_k=1, save_last=True),
            ModelCheckpoint(dirpath=dirpath, filename="best-{epoch}", monitor="score", save_top_k=1)]


def _victims(tmp_path, dirpath):
    """name -> (path as an attacker writes it into the checkpoint, what must still exist afterwards)."""
    (tmp_path / "drive").mkdir()
    (tmp_path / "drive" / "thesis.tex").write_text("years of work")
    (tmp_path / "victim.ckpt").write_bytes(b"not yours")
    (tmp_path / "outside_target.ckpt").write_bytes(b"pointed at")
    os.symlink(tmp_path / "outside_target.ckpt", dirpath / "link.ckpt")
    (dirpath / "folder.ckpt").mkdir()
    (dirpath / "folder.ckpt" / "data.bin").write_bytes(b"inside a folder named like a checkpoint")
    (dirpath / "notes.txt").write_text("not a checkpoint")
    (tmp_path / "a" / "b" / "ckpts2").mkdir()
    (tmp_path / "a" / "b" / "ckpts2" / "x.ckpt").write_bytes(b"a sibling folder sharing the name prefix")
    return {
        "dotdot_folder": (f"{dirpath}/../../../drive", tmp_path / "drive" / "thesis.tex"),
        "absolute_file": (str(tmp_path / "victim.ckpt"), tmp_path / "victim.ckpt"),
        "symlink_out": (str(dirpath / "link.ckpt"), tmp_path / "outside_target.ckpt"),
        "folder_named_ckpt": (str(dirpath / "folder.ckpt"), dirpath / "folder.ckpt" / "data.bin"),
        "not_a_checkpoint": (str(dirpath / "notes.txt"), dirpath / "notes.txt"),
        "prefix_sibling": (f"{dirpath}2/x.ckpt", tmp_path / "a" / "b" / "ckpts2" / "x.ckpt"),
    }


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One epoch with both callbacks: the checkpoint an attacker starts from."""
    dirpath = tmp_path_factory.mktemp("first") / "ckpts"
    pl.seed_everything(0)
    trainer = pl.Trainer(max_epochs=1, callbacks=_callbacks(dirpath), **TRAINER_ARGS)
    trainer.fit(ScoredModel())
    return dirpath / "last.ckpt"


VICTIMS = ["dotdot_folder", "absolute_file", "symlink_out", "folder_named_ckpt", "not_a_checkpoint",
           "prefix_sibling"]


@pytest.mark.parametrize("victim", VICTIMS)
def test_tampered_paths_never_delete_outside_files_or_folders(first_run, tmp_path, victim):
    dirpath = tmp_path / "a" / "b" / "ckpts"
    dirpath.mkdir(parents=True)
    target, must_survive = _victims(tmp_path, dirpath)[victim]

    checkpoint = torch.load(first_run, weights_only=True)
    for key, state in checkpoint["callbacks"].items():
        state["dirpath"] = str(dirpath)  # the attacker knows where the victim keeps checkpoints
        if state["monitor"] is None:
            state["best_model_path"] = state["last_model_path"] = target
        else:  # ranked worst, so the next better score evicts it
            state["best_k_models"] = {target: torch.tensor(100.0)}
            state["kth_best_model_path"] = state["best_model_path"] = target
            state["kth_value"] = torch.tensor(100.0)
    downloaded = tmp_path / "downloaded.ckpt"
    torch.save(checkpoint, downloaded)

    pl.seed_everything(0)
    trainer = pl.Trainer(max_epochs=3, callbacks=_callbacks(dirpath), **TRAINER_ARGS)
    trainer.fit(ScoredModel(), ckpt_path=downloaded)

    assert must_survive.exists(), f"{victim}: {must_survive} was deleted"
    # the run itself went on normally: its own files rotate inside dirpath
    ours = sorted(p.name for p in dirpath.iterdir() if p.name.startswith(("best", "latest", "last")))
    assert ours == ["best-epoch=1.ckpt", "last.ckpt", "latest-epoch=2.ckpt"]


def test_normal_rotation_across_resume_matches_lightning_2_6_6(tmp_path):
    """Restored files inside dirpath are still rotated out exactly as 2.6.6 does (top-k, monitor, last)."""
    (tmp_path / "ours").mkdir()
    (tmp_path / "ref").mkdir()
    ours_files, ref_files = run_both(HERE / "topk_rotation.py", [tmp_path / "ours"], [tmp_path / "ref"], cwd=tmp_path)
    assert ours_files == ref_files
    # the resumed runs did delete files restored from the first run (the guard did not switch rotation off)
    assert "epoch=0-step=2.ckpt" in ours_files["monitor_top2_last"][0]
    assert "epoch=0-step=2.ckpt" not in ours_files["monitor_top2_last"][1]
    assert "epoch=2-step=6.ckpt" not in ours_files["latest_only_last"][1]


def test_save_last_link_never_replaces_a_folder_it_did_not_write(first_run, tmp_path):
    """`save_last="link"` replaces `last.ckpt` with a link; a folder of that name that this run did not write is
    refused with a clear error instead of being deleted (2.6.6 deletes it)."""
    dirpath = tmp_path / "ckpts"
    (dirpath / "last.ckpt").mkdir(parents=True)
    (dirpath / "last.ckpt" / "keep.txt").write_text("mine")
    checkpoint = torch.load(first_run, weights_only=True)
    key = next(k for k, state in checkpoint["callbacks"].items() if state["monitor"] is None)
    checkpoint["callbacks"] = {key: dict(checkpoint["callbacks"][key], dirpath=str(dirpath),
                                         last_model_path=str(dirpath / "last.ckpt"))}
    torch.save(checkpoint, tmp_path / "downloaded.ckpt")
    callback = ModelCheckpoint(dirpath=dirpath, filename="latest-{epoch}", save_top_k=1, save_last="link")
    trainer = pl.Trainer(max_epochs=3, callbacks=[callback], **TRAINER_ARGS)
    with pytest.raises(FileExistsError, match="would replace the folder .*last.ckpt.* never deleted"):
        trainer.fit(ScoredModel(), ckpt_path=tmp_path / "downloaded.ckpt")
    assert (dirpath / "last.ckpt" / "keep.txt").read_text() == "mine"


def test_save_last_link_rotation_still_works(tmp_path):
    dirpath = tmp_path / "ckpts"
    callback = ModelCheckpoint(dirpath=dirpath, filename="latest-{epoch}", save_top_k=1, save_last="link")
    pl.Trainer(max_epochs=2, callbacks=[callback], **TRAINER_ARGS).fit(ScoredModel())
    callback = ModelCheckpoint(dirpath=dirpath, filename="latest-{epoch}", save_top_k=1, save_last="link")
    pl.Trainer(max_epochs=3, callbacks=[callback], **TRAINER_ARGS).fit(ScoredModel(), ckpt_path=dirpath / "last.ckpt")
    assert sorted(p.name for p in dirpath.iterdir()) == ["last.ckpt", "latest-epoch=2.ckpt"]
    assert os.readlink(dirpath / "last.ckpt") == "latest-epoch=2.ckpt"


def _resume_with_state(first_run, tmp_path, save_top_k=2, **changes):
    dirpath = tmp_path / "ckpts"
    checkpoint = torch.load(first_run, weights_only=True)
    key = next(k for k, state in checkpoint["callbacks"].items() if state["monitor"] == "score")
    checkpoint["callbacks"] = {key: dict(checkpoint["callbacks"][key], dirpath=str(dirpath), **changes)}
    torch.save(checkpoint, tmp_path / "downloaded.ckpt")
    callback = ModelCheckpoint(dirpath=dirpath, filename="best-{epoch}", monitor="score", save_top_k=save_top_k)
    trainer = pl.Trainer(max_epochs=4, callbacks=[callback], **TRAINER_ARGS)
    trainer.fit(ScoredModel(), ckpt_path=tmp_path / "downloaded.ckpt")
    return dirpath, callback


@pytest.mark.parametrize("changes", [dict(best_k_models=["a.ckpt"]), dict(best_k_models={"a.ckpt": "high"}),
                                     dict(best_model_path=None), dict(kth_best_model_path=7)])
def test_malformed_state_is_a_clear_error(first_run, tmp_path, changes):
    with pytest.raises(ValueError, match="ModelCheckpoint state is malformed"):
        _resume_with_state(first_run, tmp_path, **changes)


def test_inconsistent_kth_entry_is_repaired(first_run, tmp_path):
    """A `kth_best_model_path` missing from a full `best_k_models` (a KeyError in the middle of training in 2.6.6) is
    taken as the worst of them; the top-k then works: the better score of epoch 1 (1.0) replaces the restored 2.0."""
    dirpath, callback = _resume_with_state(first_run, tmp_path, save_top_k=1, kth_best_model_path="elsewhere.ckpt",
                                           best_k_models={str(tmp_path / "ckpts" / "old.ckpt"): torch.tensor(2.0)})
    assert sorted(p.name for p in dirpath.iterdir()) == ["best-epoch=1.ckpt"]
    assert list(callback.best_k_models) == [str(dirpath / "best-epoch=1.ckpt")]
