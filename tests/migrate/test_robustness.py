"""Standing probes: lit-migrate must never crash, hang, or damage a file, whatever the tree holds.

Each probe is bounded (subprocess timeouts, a per-file time limit) and needs no root; the one probe about
permissions drops root's override capabilities with `setpriv` when run as root (root ignores file modes).
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from lit_migrate import cli, files
from lit_migrate.files import iter_targets, read_regular_file, write_atomically

from .conftest import ROOT

LEGACY = "import pytorch_lightning as pl\n\ntrainer = pl.Trainer(gpus=0, max_epochs=1)\n"
MIGRATED = 'import lightning.pytorch as pl\n\ntrainer = pl.Trainer(accelerator="cpu", max_epochs=1)\n'
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "migrate")}


def _cli(*args: str, timeout: float = 120, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "lit_migrate", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def _hostile_tree(root: Path) -> None:
    root.mkdir()
    for name in ("a_good.py", "z_good.py"):
        (root / name).write_text(LEGACY)
    # valid to libcst's tokenizer, refused by CPython; it crashed libcst's native parser
    (root / "deep.py").write_text("import pytorch_lightning\nx = " + "(" * 300 + "1" + ")" * 300 + "\n")
    (root / "chain.py").write_text("import pytorch_lightning\nx = " + "+".join(["1"] * 4000) + "\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_files_are_reported_and_the_run_goes_on(tmp_path, jobs):
    tree = tmp_path / "tree"
    _hostile_tree(tree)
    before = {p.name: p.read_bytes() for p in tree.iterdir()}
    report = tmp_path / "report.json"
    check = _cli("--check", "-j", jobs, str(tree))
    assert check.returncode == cli.EXIT_ERRORS, check.stderr  # errors, not "would change"
    proc = _cli("-j", jobs, "--report", str(report), str(tree))
    assert proc.returncode == cli.EXIT_ERRORS, proc.stderr
    assert "Traceback" not in proc.stderr + check.stderr
    assert (tree / "a_good.py").read_text() == MIGRATED and (tree / "z_good.py").read_text() == MIGRATED
    for name in ("deep.py", "chain.py"):
        assert (tree / name).read_bytes() == before[name]
    errors = {Path(f["path"]).name: f["error"] for f in json.loads(report.read_text())["files"] if f["error"]}
    assert "line 2: too many nested parentheses" in errors["deep.py"]
    assert errors["chain.py"].startswith("not valid Python")


def _crash_on(marker: str):
    real = files.process_file

    def job(path, *args, **kwargs):
        if marker in path:
            faulthandler.disable()  # no traceback dump on the test's output
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, *args, **kwargs)
    return job


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_dies_is_reported_for_its_file_only(tmp_path, monkeypatch, capsys, jobs):
    for name in ("a.py", "b_crash.py", "c.py", "d.py"):
        (tmp_path / name).write_text(LEGACY)
    monkeypatch.setattr(cli, "process_file", _crash_on("_crash"))  # workers are forked: they see the patch
    assert cli.main(["--check", "-j", jobs, str(tmp_path)]) == cli.EXIT_ERRORS
    assert cli.main(["-j", jobs, str(tmp_path)]) == cli.EXIT_ERRORS
    err = capsys.readouterr().err
    assert "b_crash.py:\n  error: lit-migrate crashed on this file (its worker killed by SIGSEGV)" in err
    assert (tmp_path / "b_crash.py").read_text() == LEGACY
    assert all((tmp_path / n).read_text() == MIGRATED for n in ("a.py", "c.py", "d.py"))


def test_a_file_over_the_time_limit_is_skipped_and_reported(tmp_path, capsys):
    # ~120k lines: libcst needs well over 2 s for them even on a fast idle machine; the small file needs ms
    body = "".join(f"def f{i}(x):\n    return pl.Trainer(gpus={i % 3}, max_epochs=x)\n" for i in range(60000))
    (tmp_path / "huge.py").write_text(LEGACY + body)
    (tmp_path / "small.py").write_text(LEGACY)
    assert cli.main(["--timeout", "2", "-j", "1", str(tmp_path)]) == cli.EXIT_ERRORS
    err = capsys.readouterr().err
    assert "huge.py:\n  error: skipped: took longer than the 2 s limit per file" in err
    assert (tmp_path / "huge.py").read_text() == LEGACY + body
    assert (tmp_path / "small.py").read_text() == MIGRATED
    with pytest.raises(SystemExit):
        cli.main(["--timeout", "-1", str(tmp_path)])


def test_a_fifo_named_like_source_is_never_opened_for_reading(tmp_path):
    (tmp_path / "good.py").write_text(LEGACY)
    os.mkfifo(tmp_path / "x.py")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(str(tmp_path / "x.py"))
    proc = _cli(str(tmp_path), "-j", "1", timeout=60)
    proc_explicit = _cli(str(tmp_path / "x.py"), timeout=60)
    assert proc.returncode == 0 and proc_explicit.returncode == 0, proc.stderr + proc_explicit.stderr
    assert f"{tmp_path / 'x.py'}: skipped: not a regular file (a FIFO)" in proc.stderr
    assert "skipped: not a regular file (a FIFO)" in proc_explicit.stderr
    assert (tmp_path / "good.py").read_text() == MIGRATED and stat.S_ISFIFO(os.lstat(tmp_path / "x.py").st_mode)


def test_symlinks_stay_links(tmp_path, capsys):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    (tree / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "target.py").write_text(LEGACY)
    (tree / "sub" / "real.py").write_text(LEGACY)
    (tree / "link_out.py").symlink_to(outside / "target.py")
    (tree / "link_in.py").symlink_to(Path("sub") / "real.py")
    (tree / "folder_out").symlink_to(outside, target_is_directory=True)
    (tree / "folder_in").symlink_to("sub", target_is_directory=True)
    report = tmp_path / "r.json"
    assert cli.main([str(tree), "-j", "2", "--report", str(report)]) == cli.EXIT_OK
    for name, target in (("link_out.py", outside / "target.py"), ("link_in.py", Path("sub") / "real.py"),
                         ("folder_out", outside), ("folder_in", Path("sub"))):
        assert (tree / name).is_symlink() and os.readlink(tree / name) == str(target)
    assert (outside / "target.py").read_text() == LEGACY and (tree / "sub" / "real.py").read_text() == MIGRATED
    err = capsys.readouterr().err
    assert f"{tree / 'link_out.py'}: skipped: symlink pointing out of the tree" in err
    assert f"{tree / 'folder_out'}: skipped: symlink pointing out of the tree" in err
    skipped = {Path(f["path"]).name for f in json.loads(report.read_text())["files"] if f["skipped"]}
    assert skipped == {"link_out.py", "folder_out"}
    # a link named on the command line: kept, and its target outside the link's folder is not touched
    assert cli.main([str(tree / "link_out.py")]) == cli.EXIT_OK
    assert (tree / "link_out.py").is_symlink() and (outside / "target.py").read_text() == LEGACY
    (tree / "sub" / "real.py").write_text(LEGACY)
    (tree / "sub" / "alias.py").symlink_to("real.py")
    assert cli.main([str(tree / "sub" / "alias.py"), str(tree / "sub" / "real.py"), "-j", "2", "-q"]) == 0
    assert (tree / "sub" / "alias.py").is_symlink() and (tree / "sub" / "real.py").read_text() == MIGRATED
    assert len([t for t in iter_targets([str(tree / "sub" / "alias.py"), str(tree / "sub")])
                if not t.skipped]) == 1  # one real file, processed once
    (outside / "target.py").write_text(LEGACY)
    (tmp_path / "named_link").symlink_to(outside, target_is_directory=True)
    assert cli.main([str(tmp_path / "named_link"), "-q"]) == cli.EXIT_OK  # a folder named by the user is walked
    assert (outside / "target.py").read_text() == MIGRATED


def test_hard_links_owner_group_and_mode_are_kept(tmp_path):
    first, second = tmp_path / "first.py", tmp_path / "other" / "second.py"
    second.parent.mkdir()
    first.write_text(LEGACY)
    os.link(first, second)
    inode = first.stat().st_ino
    assert cli.main([str(first), "-q"]) == cli.EXIT_OK
    assert first.stat().st_ino == second.stat().st_ino == inode and first.stat().st_nlink == 2
    assert second.read_text() == MIGRATED
    assert not [p for p in tmp_path.rglob(".lit-migrate-*")]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another owner needs root")
def test_owner_and_group_of_a_replaced_file_are_kept(tmp_path):
    path = tmp_path / "owned.py"
    path.write_text(LEGACY)
    os.chown(path, 1234, 5678)
    path.chmod(0o640)
    assert cli.main([str(path), "-q"]) == cli.EXIT_OK
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
    assert path.read_text() == MIGRATED


@pytest.mark.skipif(os.geteuid() != 0, reason="a file owned by another user needs root to set up")
def test_a_file_we_cannot_give_its_owner_back_is_written_in_place(tmp_path, monkeypatch):
    path = tmp_path / "theirs.py"
    path.write_text(LEGACY)
    os.chown(path, 1234, 5678)
    data, before = read_regular_file(str(path))

    def refuse(*_args):  # as for a user who may write the file but not give a new one its owner
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    assert write_atomically(str(path), MIGRATED.encode(), before, original=data) is None
    monkeypatch.undo()
    info = path.stat()
    assert path.read_text() == MIGRATED and info.st_ino == before.st_ino and (info.st_uid, info.st_gid) == (1234, 5678)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lit-migrate-")]


def _drop_root() -> tuple[str, ...]:
    """A command prefix under which file modes apply (root normally ignores them)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to make a folder unreadable to us")
    return ("setpriv", "--inh-caps=-all", "--bounding-set=-all")


def test_an_unreadable_folder_is_reported_and_the_run_goes_on(tmp_path):
    prefix = _drop_root()
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inner.py").write_text(LEGACY)
    (tmp_path / "locked" / "deeper").mkdir()
    (tmp_path / "open.py").write_text(LEGACY)
    (tmp_path / "locked").chmod(0)
    try:
        proc = _cli("--check", "-j", "1", str(tmp_path), prefix=prefix)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert proc.returncode == cli.EXIT_ERRORS, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{tmp_path / 'locked'}:\n  error: cannot list folder: Permission denied" in proc.stderr
    assert f"{tmp_path / 'open.py'}:\n" in proc.stderr  # the rest was still processed


def test_form_feed_in_indentation_is_python_and_is_migrated(tmp_path):
    path = tmp_path / "ff.py"
    path.write_text("import pytorch_lightning as pl\n\x0c\nif True:\n\x0c    t = pl.Trainer(gpus=0)\n")
    proc = _cli("--diff", str(path))
    assert proc.returncode == cli.EXIT_WOULD_CHANGE, proc.stderr
    assert '+\x0c    t = pl.Trainer(accelerator="cpu")\n' in proc.stdout
    assert cli.main([str(path), "-q"]) == cli.EXIT_OK
    assert path.read_text() == ('import lightning.pytorch as pl\n\x0c\nif True:\n'
                                '\x0c    t = pl.Trainer(accelerator="cpu")\n')


def test_form_feeds_starting_a_statement_line_are_kept(tmp_path):
    """libcst alone drops a form feed that starts a statement's line; untouched lines must keep theirs, and a
    form feed inside a string is string content."""
    source = ('\x0cimport pytorch_lightning as pl\n\x0cdef f():\n  \x0c    return pl.Trainer(gpus=0)\n'
              'DOC = """\n\x0cpage two\n"""\n\x0cy = 1\n')
    path = tmp_path / "ff.py"
    path.write_text(source)
    assert cli.main([str(path), "-q"]) == cli.EXIT_OK
    assert path.read_text() == ('\x0cimport lightning.pytorch as pl\n\x0cdef f():\n'
                                '  \x0c    return pl.Trainer(accelerator="cpu")\nDOC = """\n\x0cpage two\n"""\n\x0cy = 1\n')
    assert cli.main(["--check", str(path)]) == cli.EXIT_OK


def test_a_second_run_changes_nothing_over_every_fixture(tmp_path):
    """The idempotence harness: every legacy file of the fixtures (codemod cases with their expected outputs,
    end-to-end scripts, legacy scripts), migrated as one tree, then checked: a second run changes no file."""
    sources = [p for folder in ("migrate", "legacy_scripts") for p in sorted((ROOT / "fixtures" / folder).rglob("*"))
               if p.suffix in (".py", ".ipynb") and "__pycache__" not in p.parts]
    assert len(sources) > 50
    for src in sources:
        dest = tmp_path / src.relative_to(ROOT / "fixtures")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    cli.main([str(tmp_path), "-q", "-j", "2"])
    after_first = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    report = tmp_path.parent / f"{tmp_path.name}-second.json"
    cli.main(["--check", str(tmp_path), "-q", "-j", "2", "--report", str(report)])
    second = json.loads(report.read_text())
    assert second["summary"]["files_seen"] == len(sources)
    assert [f["path"] for f in second["files"] if f["changed"]] == []
    assert [p.name for p, data in after_first.items() if p.read_bytes() != data] == []


GITIGNORE = """\
**/generated/
/top_only.py
*.tmp.py
docs/**/*.py
!docs/keep.py
a/**/b.py
[abc]_x.py
[!d]_y.py
\\#hash.py
trailing.py   \n\
data/**
cache
"""
NESTED_GITIGNORE = "*.py\n!important.py\nsub*/\n"
TREE = [
    "top_only.py", "pkg/top_only.py", "x.tmp.py", "pkg/generated/g.py", "generated/g.py", "pkg/deep/generated/h.py",
    "docs/a.py", "docs/x/y/z.py", "docs/keep.py", "a/b.py", "a/x/y/b.py", "a/c.py", "a_x.py", "d_x.py", "d_y.py",
    "e_y.py", "#hash.py", "trailing.py", "data/x.py", "data.py", "cache/c.py", "pkg/cache", "nest/one.py",
    "nest/important.py", "nest/subdir/s.py", "nest/other/important.py", "keep.py", "src/mod.py",
]


def _gitignore_tree(root: Path) -> None:
    root.mkdir()
    (root / ".gitignore").write_text(GITIGNORE)
    for rel in TREE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(LEGACY)
    (root / "nest" / ".gitignore").write_text(NESTED_GITIGNORE)


def test_gitignore_is_honoured_by_git_rules_with_and_without_a_repository(tmp_path):
    """Side by side with git itself: the files git does not ignore are exactly the files visited, both by the
    matcher used outside a repository and when git is asked inside one."""
    plain, repo = tmp_path / "plain", tmp_path / "repo"
    _gitignore_tree(plain)
    _gitignore_tree(repo)
    git = ["git", "-C", str(repo), "-c", "core.excludesFile=/dev/null"]
    subprocess.run([*git, "init", "-q"], check=True, timeout=60)
    listed = subprocess.run([*git, "ls-files", "--others", "--exclude-standard", "-z"], capture_output=True,
                            check=True, timeout=60).stdout.decode().split("\0")
    expected = {p for p in listed if p.endswith(".py")}
    assert {"keep.py", "docs/keep.py", "nest/important.py", "a/c.py"} <= expected  # the probe means something
    assert not {"pkg/deep/generated/h.py", "a/x/y/b.py", "docs/x/y/z.py", "#hash.py", "trailing.py"} & expected
    for root in (plain, repo):
        seen = {os.path.relpath(t.path, root) for t in iter_targets([str(root)])}
        assert seen == expected, root.name
