"""``python -m lightning.pytorch.utilities.upgrade_checkpoint``: in-place upgrades with backups, safe by default."""
import json
import logging
import shutil
import subprocess
import sys

import pytest
import torch

from conftest import FIXTURES
from generate import describe
from lightning.pytorch.utilities.upgrade_checkpoint import main

INTEROP = json.loads((FIXTURES / "interop.json").read_text())["cases"]


class _Result:
    def __init__(self, returncode, stderr):
        self.returncode, self.stderr = returncode, stderr


@pytest.fixture
def cli(caplog):
    """Run the CLI's main() in this process (one test below runs the real `python -m` entry point)."""

    def run(*args):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="lightning.pytorch.utilities.upgrade_checkpoint"):
            code = main([str(a) for a in args])
        return _Result(code, caplog.text)

    return run


def test_module_entry_point(fixture_copy, subprocess_env):
    path = fixture_copy("pytorch_lightning-1.9.5/epoch=1-step=8.ckpt")
    proc = subprocess.run(
        [sys.executable, "-m", "lightning.pytorch.utilities.upgrade_checkpoint", str(path), "--map-to-cpu"],
        capture_output=True, text=True, env=subprocess_env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "upgraded" in proc.stderr
    assert torch.load(path)["pytorch-lightning_version"] == "2.6.6"


def test_upgrades_1_9_5_file_like_the_real_cli(fixture_copy, tmp_path, cli):
    path = fixture_copy("pytorch_lightning-1.9.5/epoch=1-step=8.ckpt")
    original = path.read_bytes()
    proc = cli(path)
    assert proc.returncode == 0, proc.stderr
    real = INTEROP["pytorch_lightning-1.9.5/epoch=1-step=8.ckpt"]["upgrade_checkpoint"]
    assert sorted(p.name for p in tmp_path.iterdir()) == real["files_after"]
    assert (tmp_path / "epoch=1-step=8.bak").read_bytes() == original
    upgraded = torch.load(path)  # plain weights-only load works on the result
    assert describe(upgraded) == real["tree"]


def test_refuses_file_that_needs_unpickling_and_leaves_it_untouched(fixture_copy, tmp_path, cli):
    path = fixture_copy("pytorch_lightning-1.9.5/module_hparams.ckpt")
    original = path.read_bytes()
    proc = cli(path)
    assert proc.returncode == 1
    assert "torch.nn.modules.linear.Linear" in proc.stderr and "--allow-pickle" in proc.stderr
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["module_hparams.ckpt"]  # no backup, no temp file


def test_allow_pickle_upgrades_it(fixture_copy, cli):
    path = fixture_copy("pytorch_lightning-1.9.5/module_hparams.ckpt")
    proc = cli(path, "--allow-pickle")
    assert proc.returncode == 0, proc.stderr
    upgraded = torch.load(path, weights_only=False)
    assert upgraded["pytorch-lightning_version"] == "2.6.6"
    assert isinstance(upgraded["hyper_parameters"]["backbone"], torch.nn.Linear)
    assert path.with_suffix(".bak").exists()


def test_namespace_hyperparameters_upgrade_without_unpickling(fixture_copy, cli):
    """The real CLI crashes on this file under torch >= 2.6; a Namespace is plain data, so we upgrade it."""
    path = fixture_copy("pytorch_lightning-1.9.5/namespace_hparams.ckpt")
    assert INTEROP["pytorch_lightning-1.9.5/namespace_hparams.ckpt"]["upgrade_checkpoint"]["returncode"] == 1
    proc = cli(path)
    assert proc.returncode == 0, proc.stderr
    upgraded = torch.load(path, weights_only=False)
    assert upgraded["legacy_pytorch-lightning_version"] == "1.9.5"
    assert vars(upgraded["hyper_parameters"]["args"]) == {"hidden": 8, "lr": 0.01}


def test_folder_is_searched_recursively_by_extension(tmp_path, cli):
    (tmp_path / "a" / "b").mkdir(parents=True)
    source = FIXTURES / "pytorch_lightning-1.9.5" / "epoch=1-step=8.ckpt"
    shutil.copy(source, tmp_path / "a" / "b" / "one.pt")
    shutil.copy(source, tmp_path / "a" / "two.ckpt")
    proc = cli(tmp_path, "--extension", ".pt", "--map-to-cpu")
    assert proc.returncode == 0, proc.stderr
    assert torch.load(tmp_path / "a" / "b" / "one.pt")["pytorch-lightning_version"] == "2.6.6"
    assert (tmp_path / "a" / "b" / "one.bak").exists()
    assert torch.load(tmp_path / "a" / "two.ckpt")["pytorch-lightning_version"] == "1.9.5"  # other extension


def test_current_file_is_left_unchanged(fixture_copy, tmp_path, cli):
    path = fixture_copy("lightning-2.6.6/epoch=1-step=8.ckpt")
    original = path.read_bytes()
    proc = cli(path)
    assert proc.returncode == 0
    assert path.read_bytes() == original and not path.with_suffix(".bak").exists()


@pytest.mark.parametrize("content", [None, b"not a checkpoint"])
def test_bad_paths(tmp_path, cli, content):
    path = tmp_path / "x.ckpt"
    if content is not None:
        path.write_bytes(content)
    proc = cli(path)
    assert proc.returncode != 0
    assert str(path) in proc.stderr
    if content is not None:
        assert path.read_bytes() == content


def test_empty_folder(tmp_path, cli):
    proc = cli(tmp_path)
    assert proc.returncode == 2 and "--extension" in proc.stderr
