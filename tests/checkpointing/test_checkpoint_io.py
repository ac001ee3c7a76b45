"""Reading and writing checkpoint files: atomic saves (also under kill -9), weights-only loads, clear errors."""
import argparse
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import torch

from lightning.fabric.utilities.data import AttributeDict
from lightning.pytorch.plugins.io import AsyncCheckpointIO, CheckpointIO, TorchCheckpointIO
from lightning.pytorch.utilities.checkpoint_io import atomic_save, load_checkpoint_file


def _state(seed: int) -> dict:
    g = torch.Generator().manual_seed(seed)
    return {"state_dict": {"w": torch.randn(16, 16, generator=g)}, "epoch": seed, "hyper_parameters": {"lr": 0.1}}


def test_atomic_save_roundtrip_and_plain_torch_load(tmp_path):
    path = tmp_path / "sub" / "model.ckpt"
    atomic_save(_state(1), path)
    loaded = torch.load(path)  # weights_only=True: nothing pickled beyond tensors and containers
    assert torch.equal(loaded["state_dict"]["w"], _state(1)["state_dict"]["w"])
    assert os.listdir(path.parent) == ["model.ckpt"]  # no temporary file left behind


def test_atomic_save_keeps_old_file_when_serialization_fails(tmp_path):
    path = tmp_path / "model.ckpt"
    atomic_save(_state(1), path)
    before = path.read_bytes()

    def failing_save(obj, name):
        with open(name, "wb") as f:
            f.write(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_save(_state(2), path, save_fn=failing_save)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.ckpt"]


def test_saved_file_has_normal_permissions(tmp_path):
    path = tmp_path / "model.ckpt"
    atomic_save(_state(1), path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


_KILL_WRITER = textwrap.dedent(
    """
    import sys, torch
    from lightning.pytorch.plugins.io import TorchCheckpointIO
    io, path = TorchCheckpointIO(), sys.argv[1]
    for i in range(1000):
        payload = {"version": i, "state_dict": {"w": torch.full((4_000_000,), float(i))}}
        print(f"saving {i}", flush=True)
        io.save_checkpoint(payload, path)
        print(f"saved {i}", flush=True)
    """
)


def test_kill_9_during_save_leaves_previous_checkpoint_loadable(tmp_path, subprocess_env):
    path = tmp_path / "last.ckpt"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_WRITER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=subprocess_env,
    )
    try:
        completed = -1
        for line in proc.stdout:  # wait until one save finished and the next one started
            if line.startswith("saved"):
                completed = int(line.split()[1])
            if line.startswith("saving") and completed >= 1:
                break
        else:
            pytest.fail(f"the writer exited early: {proc.stderr.read()}")
        time.sleep(0.01)  # a 16 MB save takes longer: the kill lands inside it
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    loaded = torch.load(path)
    version = loaded["version"]
    assert version >= completed  # the last complete save, or the one that finished just before the kill
    assert torch.equal(loaded["state_dict"]["w"], torch.full((4_000_000,), float(version)))


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_checkpoint_file(tmp_path / "nope.ckpt")


def test_load_directory(tmp_path):
    with pytest.raises(IsADirectoryError, match="directory"):
        load_checkpoint_file(tmp_path)


def test_load_truncated_file(tmp_path):
    path = tmp_path / "model.ckpt"
    torch.save(_state(1), path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="truncated, corrupt or not a torch file"):
        load_checkpoint_file(path)


def test_load_text_file(tmp_path):
    path = tmp_path / "notes.ckpt"
    path.write_text("hello, I am not a checkpoint\n")
    with pytest.raises(ValueError, match="truncated, corrupt or not a torch file"):
        load_checkpoint_file(path)


def test_load_non_dict(tmp_path):
    path = tmp_path / "tensor.pt"
    torch.save(torch.zeros(3), path)
    with pytest.raises(ValueError, match="does not hold a Lightning checkpoint"):
        load_checkpoint_file(path)


class _Payload:
    """A class a weights-only load must refuse (unpickling it could run code)."""

    def __reduce__(self):
        return (print, ("code ran while loading!",))


def test_load_refuses_pickled_code_and_says_how_to_opt_in(tmp_path, capsys):
    path = tmp_path / "evil.ckpt"
    torch.save({"state_dict": {}, "hyper_parameters": {"x": _Payload()}}, path)
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        load_checkpoint_file(path)
    assert "code ran" not in capsys.readouterr().out


def test_legacy_data_holders_load_weights_only(tmp_path):
    """Namespace / AttributeDict hyperparameters of old files load without unpickling arbitrary classes."""
    path = tmp_path / "old.ckpt"
    torch.save({"hyper_parameters": argparse.Namespace(lr=0.1), "extra": AttributeDict(a=1)}, path)
    loaded = load_checkpoint_file(path)
    assert loaded["hyper_parameters"] == argparse.Namespace(lr=0.1)
    assert loaded["extra"] == {"a": 1}  # read back as a plain dict


def test_weights_only_false_loads_anything(tmp_path):
    path = tmp_path / "model.ckpt"
    torch.save({"hyper_parameters": {"layer": torch.nn.Linear(2, 2)}}, path)
    loaded = load_checkpoint_file(path, weights_only=False)
    assert isinstance(loaded["hyper_parameters"]["layer"], torch.nn.Linear)


def test_map_location(tmp_path):
    path = tmp_path / "model.ckpt"
    torch.save(_state(1), path)
    loaded = load_checkpoint_file(path, map_location=torch.device("meta"))
    assert loaded["state_dict"]["w"].device.type == "meta"


def test_torch_checkpoint_io_roundtrip_and_remove(tmp_path):
    io = TorchCheckpointIO()
    assert isinstance(io, CheckpointIO)
    path = tmp_path / "a" / "model.ckpt"
    io.save_checkpoint(_state(3), path)
    assert io.load_checkpoint(path)["epoch"] == 3
    io.remove_checkpoint(path)
    assert not path.exists()
    io.remove_checkpoint(path)  # removing a missing file is not an error


def test_torch_checkpoint_io_rejects_storage_options(tmp_path):
    with pytest.raises(TypeError, match="storage_options"):
        TorchCheckpointIO().save_checkpoint(_state(1), tmp_path / "m.ckpt", storage_options={"x": 1})
    assert not (tmp_path / "m.ckpt").exists()


def test_checkpoint_io_is_abstract():
    with pytest.raises(TypeError):
        CheckpointIO()


def test_async_checkpoint_io_snapshots_tensors_and_keeps_order(tmp_path):
    io = AsyncCheckpointIO(TorchCheckpointIO())
    weights = torch.zeros(1000)
    path = tmp_path / "model.ckpt"
    for i in range(5):
        weights.fill_(i)
        io.save_checkpoint({"i": i, "w": weights}, path)
    weights.fill_(-1)  # changing the live tensor after the call must not change what is written
    loaded = io.load_checkpoint(path)  # waits for the pending saves
    assert loaded["i"] == 4 and torch.equal(loaded["w"], torch.full((1000,), 4.0))
    io.teardown()


class _FailingIO(TorchCheckpointIO):
    def save_checkpoint(self, checkpoint, path, storage_options=None):
        raise OSError("bucket unavailable")


def test_async_checkpoint_io_reports_background_errors(tmp_path):
    io = AsyncCheckpointIO(_FailingIO())
    io.save_checkpoint({"a": 1}, tmp_path / "m.ckpt")
    with pytest.raises(RuntimeError, match="bucket unavailable"):
        io.teardown()


def test_async_checkpoint_io_default_inner_plugin(tmp_path):
    io = AsyncCheckpointIO()
    io.save_checkpoint({"a": torch.ones(2)}, tmp_path / "m.ckpt")
    io.teardown()
    assert isinstance(io.checkpoint_io, TorchCheckpointIO)
    assert torch.equal(torch.load(tmp_path / "m.ckpt")["a"], torch.ones(2))


def test_async_cannot_wrap_async():
    with pytest.raises(TypeError, match="wrap"):
        AsyncCheckpointIO(AsyncCheckpointIO())


def test_fsync_on_request(tmp_path, monkeypatch):
    from lightning.fabric.utilities import checkpoint_files as checkpoint_io

    synced = []
    monkeypatch.setattr(checkpoint_io.os, "fsync", lambda fd: synced.append(fd))
    atomic_save(_state(1), tmp_path / "a.ckpt")
    assert synced == []
    monkeypatch.setattr(checkpoint_io, "_FSYNC", True)
    atomic_save(_state(1), tmp_path / "b.ckpt")
    assert len(synced) == 1


def test_leftovers_of_killed_saves_are_cleaned_up_once_per_folder(tmp_path):
    stale = tmp_path / ".last.ckpt.4242-0.tmp"
    other = tmp_path / ".epoch=1-step=10.ckpt.4242-1.tmp"  # any checkpoint's leftovers in the folder
    fresh = tmp_path / ".last.ckpt.4243-0.tmp"  # could belong to a writer that is still running
    foreign = tmp_path / ".notes.tmp"  # not a name atomic_save makes
    for f in (stale, other, fresh, foreign):
        f.write_bytes(b"partial")
    old = time.time() - 3600
    for f in (stale, other, foreign):
        os.utime(f, (old, old))
    atomic_save(_state(1), tmp_path / "last.ckpt")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".last.ckpt.4243-0.tmp", ".notes.tmp", "last.ckpt"]
    stale.write_bytes(b"partial")
    os.utime(stale, (old, old))
    atomic_save(_state(2), tmp_path / "epoch=2.ckpt")  # the folder was searched already in this process
    assert stale.exists()


def test_replacing_an_existing_file_leaves_only_the_new_one(tmp_path):
    path = tmp_path / "last.ckpt"
    atomic_save(_state(1), path)
    inode = path.stat().st_ino
    atomic_save(_state(2), path)
    assert torch.load(path)["epoch"] == 2
    assert path.stat().st_ino != inode  # a new file moved into place, not the old one rewritten
    assert os.listdir(tmp_path) == ["last.ckpt"]


@pytest.mark.parametrize("exchange", ["yes", "unsupported", "absent"],
                         ids=["renameat2-exchange", "exchange-refused-by-the-file-system", "os.replace"])
def test_every_way_of_moving_into_place(tmp_path, monkeypatch, exchange):
    from lightning.fabric.utilities import checkpoint_files as checkpoint_io

    real, swaps = checkpoint_io._renameat2(), []
    if exchange == "yes" and real is None:
        pytest.skip("renameat2 is Linux/glibc only")
    spy = {"yes": lambda *args: swaps.append(args) or real(*args),
           "unsupported": lambda *args: swaps.append(args) or -1,  # e.g. EINVAL on a file system without it
           "absent": None}[exchange]
    monkeypatch.setattr(checkpoint_io, "_renameat2", lambda: spy)
    path = tmp_path / "last.ckpt"
    atomic_save(_state(1), path)  # nothing to replace yet
    atomic_save(_state(2), path)
    assert torch.load(path)["epoch"] == 2
    assert os.listdir(tmp_path) == ["last.ckpt"]
    # a symlink (save_last="link") is replaced by the file, its target is left alone
    target = tmp_path / "epoch=2.ckpt"
    atomic_save(_state(3), target)
    path.unlink()
    path.symlink_to(target.name)
    atomic_save(_state(4), path)
    assert not path.is_symlink() and torch.load(path)["epoch"] == 4 and torch.load(target)["epoch"] == 3
    # a directory in the way is an error, and nothing is moved
    (tmp_path / "folder.ckpt").mkdir()
    with pytest.raises(OSError):
        atomic_save(_state(5), tmp_path / "folder.ckpt")
    assert (tmp_path / "folder.ckpt").is_dir() and sorted(os.listdir(tmp_path)) == ["epoch=2.ckpt", "folder.ckpt",
                                                                                  "last.ckpt"]
    assert len(swaps) == (0 if exchange == "absent" else 2)  # tried only where a file was replaced
