"""Files on disk: which to visit (folders, `.gitignore`, virtualenvs, symlinks, regular files only), how to read
them safely (UTF-8 only, binaries refused), and writes that cannot truncate a file and keep what it was (a
symlink stays a link, hard links stay linked, mode, owner and group are kept). Notebooks: `notebooks.py`.

`process_file` never raises: every problem becomes `FileResult.error` and the file is left byte-for-byte alone.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .engine import Options, migrate_source
from .ignore import GitIgnoreFile, git_ignored
from .notebooks import migrate_notebook
from .report import FileResult
from .yaml_configs import YAML_SUFFIXES, migrate_yaml

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb", *YAML_SUFFIXES)
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".env", "env", ".tox", ".nox", ".eggs", "build", "dist",
    "node_modules", "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
})
BOM = "\ufeff"


@dataclass(frozen=True)
class Target:
    """A file to process, or a path reported without processing (`skipped` or `error` says why)."""

    path: str
    skipped: str | None = None
    error: str | None = None


def _is_virtualenv(path: Path) -> bool:
    return os.path.exists(path / "pyvenv.cfg") or os.path.isdir(path / "conda-meta")


def iter_targets(paths: list[str]) -> Iterator[Target]:
    """Files to process for the given command-line paths (folders are walked; `-` is stdin).

    Each real file comes once, however many paths or symlinks lead to it. Only regular files are read.
    """
    seen: set[str] = set()
    for target in _targets(paths):
        if target.skipped or target.error or target.path == "-":
            yield target
            continue
        real = os.path.realpath(target.path)
        if real not in seen:
            seen.add(real)
            yield target


def _targets(paths: list[str]) -> Iterator[Target]:
    for given in paths:
        if given == "-":
            yield Target("-")
            continue
        path = Path(given)
        try:
            if path.is_dir():  # a folder named on the command line is walked, through a symlink too
                yield from _walk(path.resolve(), path)
            elif path.is_symlink():
                # a file link named on the command line: its own folder is the tree it may point into
                yield _symlink_target(path, given, path.absolute().parent.resolve(), os.path.dirname(given))
            elif not path.exists():
                yield Target(given, error="no such file or directory")
            else:
                yield _file_target(given, os.lstat(path).st_mode)
        except OSError as err:
            yield Target(given, error=f"cannot read: {err.strerror or err}")


def _file_target(shown: str, mode: int) -> Target:
    if stat.S_ISREG(mode):
        return Target(shown)
    return Target(shown, skipped=f"not a regular file ({_kind(mode)}), left untouched")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def _symlink_target(link: Path, shown: str, root: Path, shown_root: str) -> Target:
    """A symlink stays a link: its target is processed when it lies inside `root` (shown as `shown_root`),
    else it is reported and left alone."""
    if not link.exists():
        return Target(shown, skipped="broken symlink, left untouched")
    real = link.resolve()
    if real != root and root not in real.parents:
        return Target(shown, skipped=f"symlink pointing out of the tree (to {real}), left untouched")
    if real.is_dir():
        return Target(shown, skipped="symlink to a folder inside the tree, walked there")
    return _file_target(os.path.join(shown_root, real.relative_to(root)), os.stat(real).st_mode)


def _walk(root: Path, shown: Path) -> Iterator[Target]:
    git = git_ignored(root)
    ignores: list[GitIgnoreFile] = []
    if git is None and os.path.isfile(root / ".gitignore"):
        ignores.append(GitIgnoreFile(root, _read_lines(root / ".gitignore")))
    yield from _walk_dir(root, root, shown, ignores, git)


def _walk_dir(root: Path, folder: Path, shown: Path, ignores: list[GitIgnoreFile],
              git: set[str] | None) -> Iterator[Target]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Target(str(shown / folder.relative_to(root)), error=f"cannot list folder: {err.strerror}")
        return
    for entry in entries:
        path = Path(entry.path)
        display = str(shown / path.relative_to(root))
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            if _ignored(root, ignores, git, path, is_dir):
                continue
            if entry.is_symlink():
                if entry.name.endswith(SOURCE_SUFFIXES) or os.path.isdir(path):
                    target = _symlink_target(path, display, root, str(shown))
                    if not (target.skipped and target.skipped.startswith("symlink to a folder inside")):
                        yield target  # a folder inside the tree is walked where it is
                continue
            if is_dir:
                if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or _is_virtualenv(path):
                    continue
                nested = ignores
                if git is None and os.path.isfile(path / ".gitignore"):
                    nested = [*ignores, GitIgnoreFile(path, _read_lines(path / ".gitignore"))]
                yield from _walk_dir(root, path, shown, nested, git)
            elif entry.name.endswith(SOURCE_SUFFIXES):
                # the directory entry's type says "regular file" without a stat call; anything else is looked at
                yield Target(display) if entry.is_file(follow_symlinks=False) else \
                    _file_target(display, entry.stat(follow_symlinks=False).st_mode)
        except OSError as err:  # e.g. a folder whose contents we may not see: report it, go on
            yield Target(display, error=f"cannot read: {err.strerror or err}")


def _ignored(root: Path, ignores: list[GitIgnoreFile], git: set[str] | None, path: Path, is_dir: bool) -> bool:
    if git is not None:
        rel = path.relative_to(root).as_posix()
        return (rel + "/" if is_dir else rel) in git
    verdict = False
    for ignore in ignores:
        result = ignore.ignored(path, is_dir)
        if result is not None:
            verdict = result
    return verdict


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


# -- reading and rewriting one file ----------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) for UTF-8 source, else (None, why it was refused)."""
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes), left untouched"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 (byte {err.start}), left untouched"


def migrate_text(text: str, path: str, options: Options) -> FileResult:
    """Migrate Python source or a notebook's JSON text."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    if path.endswith(".ipynb"):
        result = migrate_notebook(body, path, options)
    elif path.endswith(YAML_SUFFIXES):
        result = migrate_yaml(body, path, options)
    else:
        result = migrate_source(body, path, options)
    if bom:
        result.original, result.output = BOM + result.original, BOM + result.output
    return result.finish()


def unified_diff(result: FileResult) -> str:
    return "".join(difflib.unified_diff(
        _lines_with_ends(result.original), _lines_with_ends(result.output),
        fromfile=f"a/{result.path.lstrip('/')}", tofile=f"b/{result.path.lstrip('/')}"))


def _lines_with_ends(text: str) -> list[str]:
    """Lines as Python counts them (str.splitlines also breaks at form feeds and other separators)."""
    return _LINE.findall(text)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def read_regular_file(path: str) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat. Raises OSError (ValueError-free) for anything else: a FIFO or
    device is never read (opened non-blocking, so opening cannot hang either), a symlink is never followed."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise OSError(f"not a regular file ({_kind(before.st_mode)})")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), before
    finally:
        os.close(fd)


def process_file(path: str, options: Options, write: bool, want_diff: bool) -> FileResult:
    """Read, migrate and (when `write`) safely rewrite one file. Never raises."""
    try:
        data, before = read_regular_file(path)
    except OSError as err:
        return FileResult(path=path, error=f"cannot read: {err.strerror or err}").finish()
    text, problem = decode(data)
    if text is None:
        return FileResult(path=path, error=problem).finish()
    try:
        result = migrate_text(text, path, options)
    except Exception as err:  # keep going with the rest of the tree, whatever happened
        return FileResult(path=path, error=f"internal error, file left untouched: {type(err).__name__}: {err}"
                          ).finish()
    if result.changed and want_diff:
        result.diff = unified_diff(result)
    if result.changed and write:
        error = write_atomically(path, result.output.encode("utf-8"), before, original=data)
        if error:
            result.error = error
            result.changed = False
        else:
            result.written = True
    return result.drop_text()


def write_atomically(path: str, data: bytes, before: os.stat_result, original: bytes | None = None) -> str | None:
    """Replace the contents of `path` with `data`, keeping the file what it was. Returns an error or None.

    The new text always goes to a temporary file next to it first (so a full disk or a crash cannot truncate
    the file). A plain file is then swapped in with `os.replace`, with the mode, owner and group of the old
    one. A file with several hard links, or whose owner we cannot give to a new file, is instead written in
    place, so the links and the owner stay; if that write fails, `original` (the bytes read) is put back.
    Refuses (and leaves the file alone) when it vanished, changed since it was read, is not a regular file
    any more, or is read-only.
    """
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return "the file vanished during the run, nothing written"
    except OSError as err:
        return f"cannot stat before writing: {err.strerror}"
    if not stat.S_ISREG(now.st_mode):
        return f"the file became {_kind(now.st_mode)} during the run, left untouched"
    if (now.st_mtime_ns, now.st_size, now.st_ino) != (before.st_mtime_ns, before.st_size, before.st_ino):
        return "the file changed during the run, left as it is now"
    if not os.access(path, os.W_OK) or not now.st_mode & 0o222:  # mode bits too: root may write anything
        return "the file is read-only, left untouched"
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".lit-migrate-", dir=folder)
    except OSError as err:
        return f"cannot create a temporary file next to it: {err.strerror}"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if now.st_nlink > 1 or not _same_owner(tmp, now):
            return _write_in_place(path, data, original)
        os.chmod(tmp, now.st_mode & 0o7777)  # after chown, which clears set-id bits
        os.replace(tmp, path)
        tmp = ""
    except OSError as err:
        return f"cannot write: {err.strerror or err}"
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return None


def _same_owner(tmp: str, old: os.stat_result) -> bool:
    """Give the temp file the old file's owner and group; False when we may not."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid):
        return True
    try:
        os.chown(tmp, old.st_uid, old.st_gid)
    except (OSError, AttributeError):
        return False
    return True


def _write_in_place(path: str, data: bytes, original: bytes | None) -> str | None:
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        return f"cannot write: {err.strerror or err}"
    try:
        try:
            _overwrite(fd, data)
        except OSError as err:
            if original is None:
                return f"cannot write in place: {err.strerror or err}; the file may be damaged"
            _overwrite(fd, original)
            return f"cannot write in place: {err.strerror or err}; the original text was put back"
    finally:
        os.close(fd)
    return None


def _overwrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.ftruncate(fd, len(data))
    os.fsync(fd)
