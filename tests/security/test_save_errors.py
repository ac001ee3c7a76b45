"""A checkpoint save that fails (disk full, file size limit, read-only folder, no permission) says what happened, to
which file, and that the previous checkpoint is intact, and it is: byte for byte, with no temporary file left. Real
failures run in subprocesses (a file size limit works for root; a full or read-only tmpfs needs a private mount
namespace, `unshare -m`); every errno is also checked in-process through a failing writer."""
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lightning.pytorch.utilities.checkpoint_io import CheckpointWriteError, atomic_save

SCRIPT = str(Path(__file__).resolve().parent / "disk_errors.py")


def _mount_namespace_available():
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


NAMESPACE = _mount_namespace_available()


@pytest.fixture(scope="module")
def real_failures(tmp_path_factory):
    """{mode: outcome} of disk_errors.py, all modes in one process (under `unshare -m` where it is available)."""
    folder = tmp_path_factory.mktemp("disk")
    wrap, modes = (("unshare", "-m"), ["full", "readonly", "fsize"]) if NAMESPACE else ((), ["fsize"])
    run = subprocess.run([*wrap, sys.executable, SCRIPT, str(folder), *modes], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return folder, json.loads(run.stdout.splitlines()[-1])


def _assert_clear(real_failures, mode, reason, code):
    folder, results = real_failures
    result, path = results[mode], str(folder / mode / "model.ckpt")
    assert result["type"] == "CheckpointWriteError" and result["is_runtime_error"]  # torch raised RuntimeError
    assert result["errno"] == code and result["filename"] == path
    assert f"Could not save the checkpoint {path}: {reason}" in result["message"]
    assert "previous checkpoint" in result["message"] and "is intact" in result["message"]
    assert result["previous_intact"] and result["previous_loads"] and result["files"] == ["model.ckpt"]


def test_file_size_limit(real_failures):
    _assert_clear(real_failures, "fsize", "the file would exceed the largest file", errno.EFBIG)


@pytest.mark.skipif(not NAMESPACE, reason="needs `unshare -m` (a private mount namespace for a tiny or read-only tmpfs)")
@pytest.mark.parametrize("mode, reason, code", [("full", "the disk is full", errno.ENOSPC),
                                                ("readonly", "the file system is read-only", errno.EROFS)])
def test_real_full_and_read_only_file_systems(real_failures, mode, reason, code):
    _assert_clear(real_failures, mode, reason, code)


def _failing_writer(error):
    def save(obj, name):
        with open(name, "wb") as f:
            f.write(b"partial")  # a temporary file half written when the error comes
        raise error
    return save


@pytest.mark.parametrize("error, reason", [
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "the disk quota is exhausted"),
    (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
    (RuntimeError("[enforce fail at inline_container.cc:747] . open file failed with strerror: Read-only file system"),
     "the file system is read-only"),
    (RuntimeError("[enforce fail at inline_container.cc:747] . open file failed with strerror: Permission denied"),
     "permission denied"),
])
def test_each_failure_is_named_and_the_previous_file_kept(tmp_path, error, reason):
    path = tmp_path / "last.ckpt"
    atomic_save({"step": torch.tensor(1)}, path)
    with pytest.raises(CheckpointWriteError) as raised:
        atomic_save({"step": torch.tensor(2)}, path, save_fn=_failing_writer(error))
    assert str(raised.value).startswith(f"Could not save the checkpoint {path}: {reason}.")
    assert f"The previous checkpoint at {path} is intact" in str(raised.value)
    assert raised.value.__cause__ is error  # the original error stays attached
    assert torch.load(path)["step"] == 1 and os.listdir(tmp_path) == ["last.ckpt"]


def test_no_previous_file_says_none_was_created(tmp_path):
    path = tmp_path / "epoch=0-step=1.ckpt"
    with pytest.raises(CheckpointWriteError, match=f"the disk is full. No file was created at {path}"):
        atomic_save({}, path, save_fn=_failing_writer(OSError(errno.ENOSPC, "No space left on device")))
    assert os.listdir(tmp_path) == []


def test_other_errors_pass_unchanged(tmp_path):
    """Only write failures are reworded: a bug in what is saved (an unpicklable object) keeps its own error."""
    with pytest.raises(Exception) as raised:
        atomic_save({"f": lambda: None}, tmp_path / "x.ckpt")
    assert not isinstance(raised.value, CheckpointWriteError) and os.listdir(tmp_path) == []
