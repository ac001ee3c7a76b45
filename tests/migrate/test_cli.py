"""The command line and its safety promises: never harm a file, keep going, report, exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from lit_migrate import cli
from lit_migrate.engine import Rule, register, _REGISTRY
from lit_migrate.files import iter_targets, write_atomically

from .conftest import ROOT

LEGACY = "import pytorch_lightning as pl\n\ntrainer = pl.Trainer(gpus=0, max_epochs=1)\n"
MIGRATED = 'import lightning.pytorch as pl\n\ntrainer = pl.Trainer(accelerator="cpu", max_epochs=1)\n'


def _tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(LEGACY)
    (tmp_path / "plain.py").write_text("print('no framework here')\n")
    return tmp_path


def test_rewrites_in_place_and_reports(tmp_path, capsys):
    _tree(tmp_path)
    report = tmp_path / "report.json"
    assert cli.main([str(tmp_path), "-j", "1", "--report", str(report)]) == cli.EXIT_OK
    assert (tmp_path / "pkg" / "train.py").read_text() == MIGRATED
    data = json.loads(report.read_text())
    assert data["summary"]["files_changed"] == 1
    entry = data["files"][0]
    assert entry["path"].endswith("train.py") and entry["written"]
    assert {"line": 3, "rule": "trainer-args", "message": 'gpus=0 -> accelerator="cpu"'} in entry["changes"]
    assert "1 file(s) changed" in capsys.readouterr().err


def test_check_and_diff_write_nothing(tmp_path, capsys):
    _tree(tmp_path)
    assert cli.main(["--check", str(tmp_path), "-j", "1"]) == cli.EXIT_WOULD_CHANGE
    assert cli.main(["--diff", str(tmp_path), "-j", "1", "-q"]) == cli.EXIT_WOULD_CHANGE
    out = capsys.readouterr().out
    assert "-trainer = pl.Trainer(gpus=0, max_epochs=1)" in out and '+import lightning.pytorch as pl' in out
    assert (tmp_path / "pkg" / "train.py").read_text() == LEGACY
    cli.main([str(tmp_path), "-j", "1", "-q"])
    assert cli.main(["--check", str(tmp_path), "-j", "1", "-q"]) == cli.EXIT_OK


def test_bad_files_are_left_byte_for_byte_and_the_rest_is_processed(tmp_path, capsys):
    _tree(tmp_path)
    bad = {
        "syntax.py": b"import pytorch_lightning as pl\ndef broken(:\n",
        "latin1.py": "import pytorch_lightning  # caf\xe9\n".encode("latin-1"),
        "junk.py": b"lightning\x00\x01\x02\xff binary",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    assert cli.main([str(tmp_path), "-j", "1"]) == cli.EXIT_ERRORS
    for name, data in bad.items():
        assert (tmp_path / name).read_bytes() == data
    assert (tmp_path / "pkg" / "train.py").read_text() == MIGRATED
    err = capsys.readouterr().err
    assert "not valid Python" in err and "not UTF-8" in err and "binary file" in err


def test_read_only_file_is_reported_and_untouched(tmp_path, capsys):
    target = tmp_path / "ro.py"
    target.write_text(LEGACY)
    target.chmod(0o444)
    try:
        assert cli.main([str(tmp_path), "-j", "1"]) == cli.EXIT_ERRORS
        assert target.read_text() == LEGACY
        assert "read-only" in capsys.readouterr().err
    finally:
        target.chmod(0o644)


def test_write_refuses_a_file_that_vanished_or_changed(tmp_path):
    path = tmp_path / "f.py"
    path.write_text(LEGACY)
    before = os.stat(path)
    path.write_text(LEGACY + "# edited meanwhile\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    assert "changed during the run" in write_atomically(str(path), b"x", before)
    assert path.read_text().endswith("# edited meanwhile\n")
    path.unlink()
    assert "vanished" in write_atomically(str(path), b"x", before)
    assert not path.exists()


def test_write_keeps_the_file_mode(tmp_path):
    path = tmp_path / "script.py"
    path.write_text(LEGACY)
    path.chmod(0o750)
    assert cli.main([str(path), "-j", "1", "-q"]) == cli.EXIT_OK
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert path.read_text() == MIGRATED
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lit-migrate-")]


def test_walk_honours_gitignore_and_skips_virtualenvs_and_outside_symlinks(tmp_path):
    _tree(tmp_path)
    (tmp_path / ".gitignore").write_text("generated/\n*_skip.py\n")
    for rel in ("generated/a.py", "b_skip.py", "env1/lib.py", "build/x.py", "sub/keep.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(LEGACY)
    (tmp_path / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    outside = tmp_path.parent / f"{tmp_path.name}_outside.py"
    outside.write_text(LEGACY)
    (tmp_path / "link.py").symlink_to(outside)
    targets = {os.path.relpath(t.path, tmp_path): t for t in iter_targets([str(tmp_path)])}
    assert set(targets) == {"pkg/train.py", "plain.py", "sub/keep.py", "link.py"}
    assert "out of the tree" in targets["link.py"].skipped
    cli.main([str(tmp_path), "-j", "1", "-q"])
    assert outside.read_text() == LEGACY and (tmp_path / "generated" / "a.py").read_text() == LEGACY
    assert (tmp_path / "sub" / "keep.py").read_text() == MIGRATED


def test_select_and_ignore_rule_families(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(LEGACY)
    cli.main([str(path), "--select", "imports", "-q"])
    assert path.read_text() == LEGACY.replace("pytorch_lightning", "lightning.pytorch")
    path.write_text(LEGACY)
    cli.main([str(path), "--ignore", "imports", "-q"])
    assert path.read_text() == LEGACY.replace("gpus=0", 'accelerator="cpu"')
    with pytest.raises(SystemExit) as err:
        cli.main([str(path), "--select", "no-such-rule"])
    assert err.value.code == cli.EXIT_USAGE


def test_parallel_run_gives_the_same_result(tmp_path):
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(LEGACY)
    assert cli.main([str(tmp_path), "-j", "2", "-q"]) == cli.EXIT_OK
    assert all((tmp_path / f"m{i}.py").read_text() == MIGRATED for i in range(6))


def test_stdin_to_stdout():
    proc = subprocess.run([sys.executable, "-m", "lit_migrate", "-", "-q"], input=LEGACY, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == MIGRATED


def test_notebook_code_cells_only(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["pytorch_lightning with gpus=1\n"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["pytorch_lightning 1.9\n"]}],
             "source": ["%matplotlib inline\n", "import pytorch_lightning as pl"]},
            {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
             "source": ["trainer = pl.Trainer(gpus=0)\n", "!nvidia-smi"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    assert cli.main([str(path), "-q"]) == cli.EXIT_OK
    result = json.loads(path.read_text())
    assert result["cells"][0] == notebook["cells"][0]
    assert result["cells"][1]["outputs"] == notebook["cells"][1]["outputs"]
    assert result["cells"][1]["source"] == ["%matplotlib inline\n", "import lightning.pytorch as pl"]
    assert result["cells"][2]["source"] == ['trainer = pl.Trainer(accelerator="cpu")\n', "!nvidia-smi"]


def test_a_failing_rule_leaves_the_file_untouched_and_others_go_on(tmp_path, capsys):
    class Exploding(Rule):
        name, family, summary = "exploding-test-rule", "test", "raises on purpose"

        def leave_Call(self, original, updated):
            if getattr(original.func, "value", None) == "boom":
                raise RuntimeError("boom")
            return updated

    register(Exploding)
    try:
        (tmp_path / "a.py").write_text(LEGACY + "boom(trainer)\n")
        (tmp_path / "b.py").write_text(LEGACY)
        assert cli.main([str(tmp_path), "-j", "1"]) == cli.EXIT_ERRORS
        assert (tmp_path / "a.py").read_text() == LEGACY + "boom(trainer)\n"
        assert (tmp_path / "b.py").read_text() == MIGRATED
        assert "internal error" in capsys.readouterr().err
    finally:
        _REGISTRY.remove(Exploding)


def test_usage_errors_and_rule_listing(capsys):
    with pytest.raises(SystemExit) as err:
        cli.main([])
    assert err.value.code == cli.EXIT_USAGE
    assert cli.main(["--list-rules"]) == cli.EXIT_OK
    listing = capsys.readouterr().out
    for family in ("imports", "trainer", "hooks", "log", "attributes", "callbacks"):
        assert f"\n{family}\n" in f"\n{listing}"
    assert cli.main(["does/not/exist.py", "-q"]) == cli.EXIT_ERRORS


def test_never_imports_torch_and_runs_as_a_module(tmp_path):
    (tmp_path / "a.py").write_text(LEGACY)
    code = ("import sys; from lit_migrate.cli import main; rc = main([sys.argv[1], '-j', '2', '-q']); "
            "assert 'torch' not in sys.modules, 'torch was imported'; "
            "import lit_migrate.legacy_facts, lit_migrate.engine; assert 'torch' not in sys.modules; print(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"
    proc = subprocess.run([sys.executable, "-m", "lit_migrate", "--check", str(tmp_path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == cli.EXIT_OK
    facts_only = subprocess.run([sys.executable, "-c", "import sys, lit_migrate.legacy_facts; "
                                 "assert 'libcst' not in sys.modules and 'torch' not in sys.modules"],
                                capture_output=True, text=True, timeout=60)
    assert facts_only.returncode == 0, facts_only.stderr


def test_pre_commit_hook_declares_the_cli():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: lit-migrate" in text and "id: lit-migrate" in text
