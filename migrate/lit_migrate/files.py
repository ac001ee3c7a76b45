"""Files on disk: which to visit (folders, `.gitignore`, virtualenvs, symlinks), how to read them safely (UTF-8
only, binaries refused), notebooks (code cells only), and atomic writes that keep the file mode.

`process_file` never raises: every problem becomes `FileResult.error` and the file is left byte-for-byte alone.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .engine import Options, migrate_source, might_need_migration
from .report import FileResult

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".env", "env", ".tox", ".nox", ".eggs", "build", "dist",
    "node_modules", "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
})
BOM = "\ufeff"
_CELL_SEPARATOR = "# %%lit-migrate-cell-boundary%%"
_MAGIC_MARK = "#%%lit-migrate-magic%% "


@dataclass(frozen=True)
class Target:
    """A file to process, or a path reported without processing (`skipped` or `error` says why)."""

    path: str
    skipped: str | None = None
    error: str | None = None


class _GitIgnore:
    """The patterns of one `.gitignore` (the common subset: globs, `dir/`, `/anchored`, `!negation`)."""

    def __init__(self, base: Path, lines: list[str]) -> None:
        self.base = base
        self.rules: list[tuple[str, bool, bool, bool]] = []  # pattern, negated, dir_only, anchored
        for line in lines:
            line = line.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = line[1:] if negated else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.rules.append((line.lstrip("/"), negated, dir_only, anchored))

    def ignored(self, path: Path, is_dir: bool) -> bool | None:
        rel = path.relative_to(self.base).as_posix()
        verdict = None
        for pattern, negated, dir_only, anchored in self.rules:
            if dir_only and not is_dir:
                continue
            target = rel if anchored else path.name
            if fnmatch.fnmatchcase(target, pattern) or (anchored and fnmatch.fnmatchcase(rel, pattern + "/*")):
                verdict = not negated
        return verdict


def _is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").exists() or (path / "conda-meta").is_dir()


def iter_targets(paths: list[str]) -> Iterator[Target]:
    """Files to process for the given command-line paths (folders are walked; `-` is stdin)."""
    for given in paths:
        if given == "-":
            yield Target("-")
            continue
        path = Path(given)
        if path.is_symlink() and not path.exists():
            yield Target(given, skipped="broken symlink, left untouched")
        elif path.is_dir():
            yield from _walk(path.resolve(), path)
        elif path.is_file():
            yield Target(given)
        else:
            yield Target(given, error="no such file or directory")


def _walk(root: Path, shown: Path) -> Iterator[Target]:
    ignores: list[_GitIgnore] = []
    if (root / ".gitignore").is_file():
        ignores.append(_GitIgnore(root, _read_lines(root / ".gitignore")))
    yield from _walk_dir(root, root, shown, ignores)


def _walk_dir(root: Path, folder: Path, shown: Path, ignores: list[_GitIgnore]) -> Iterator[Target]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Target(str(shown / folder.relative_to(root)), error=f"cannot list folder: {err.strerror}")
        return
    for entry in entries:
        path = Path(entry.path)
        display = str(shown / path.relative_to(root))
        is_dir = entry.is_dir(follow_symlinks=False)
        if _ignored(ignores, path, is_dir):
            continue
        if entry.is_symlink():
            if entry.name.endswith(SOURCE_SUFFIXES) or is_dir:
                target = path.resolve()
                inside = target == root or root in target.parents
                why = "symlink inside the tree, processed at its target" if inside else \
                    "symlink pointing out of the tree, left untouched"
                if entry.name.endswith(SOURCE_SUFFIXES) or not inside:
                    yield Target(display, skipped=why)
            continue
        if is_dir:
            if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or _is_virtualenv(path):
                continue
            nested = ignores
            if (path / ".gitignore").is_file():
                nested = [*ignores, _GitIgnore(path, _read_lines(path / ".gitignore"))]
            yield from _walk_dir(root, path, shown, nested)
        elif entry.name.endswith(SOURCE_SUFFIXES):
            yield Target(display)


def _ignored(ignores: list[_GitIgnore], path: Path, is_dir: bool) -> bool:
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
        result = _migrate_notebook(body, path, options)
    else:
        result = migrate_source(body, path, options)
    if bom:
        result.original, result.output = BOM + result.original, BOM + result.output
    return result.finish()


def _migrate_notebook(text: str, path: str, options: Options) -> FileResult:
    result = FileResult(path=path, original=text, output=text)
    if not might_need_migration(text):
        result.skipped = "does not mention lightning"
        return result
    try:
        notebook = json.loads(text)
        cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
        sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        result.error = f"not a readable notebook, left untouched: {err}"
        return result
    joined = f"\n{_CELL_SEPARATOR}\n".join(_mask_magics(s) for s in sources)
    migrated = migrate_source(joined, path, options)
    result.changes, result.notes, result.caveats = migrated.changes, migrated.notes, migrated.caveats
    result.skipped = migrated.skipped
    if migrated.error:
        result.error = migrated.error
        return result
    if migrated.output == joined:
        return result
    parts = migrated.output.split(f"\n{_CELL_SEPARATOR}\n")
    if len(parts) != len(sources):
        result.error = "internal error: cell boundaries moved during the rewrite, notebook left untouched"
        return result
    for cell, old, new in zip(cells, sources, parts):
        new = _unmask_magics(new)
        if new != old:
            lines = new.splitlines(keepends=True)
            cell["source"] = lines if isinstance(cell["source"], list) else new
    indent = 1
    first_lines = text.splitlines()[1:2]
    if first_lines:
        indent = len(first_lines[0]) - len(first_lines[0].lstrip(" ")) or 1
    result.output = json.dumps(notebook, indent=indent, ensure_ascii=False) + ("\n" if text.endswith("\n") else "")
    return result


def _mask_magics(source: str) -> str:
    """IPython `%magic` / `!shell` lines become comments while the code is parsed."""
    lines = source.split("\n")
    return "\n".join(_MAGIC_MARK + line if line.lstrip().startswith(("%", "!")) else line for line in lines)


def _unmask_magics(source: str) -> str:
    return "\n".join(line[len(_MAGIC_MARK):] if line.startswith(_MAGIC_MARK) else line
                     for line in source.split("\n"))


def unified_diff(result: FileResult) -> str:
    return "".join(difflib.unified_diff(
        result.original.splitlines(keepends=True), result.output.splitlines(keepends=True),
        fromfile=f"a/{result.path.lstrip('/')}", tofile=f"b/{result.path.lstrip('/')}"))


def process_file(path: str, options: Options, write: bool, want_diff: bool) -> FileResult:
    """Read, migrate and (when `write`) atomically rewrite one file. Never raises."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        before = os.stat(path)
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
        error = write_atomically(path, result.output.encode("utf-8"), before)
        if error:
            result.error = error
            result.changed = False
        else:
            result.written = True
    return result.drop_text()


def write_atomically(path: str, data: bytes, before: os.stat_result) -> str | None:
    """Replace `path` with `data` via a temp file + `os.replace`, keeping its mode. Returns an error or None.

    Refuses (and leaves the file alone) when it vanished, changed since it was read, or is read-only.
    """
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return "the file vanished during the run, nothing written"
    except OSError as err:
        return f"cannot stat before writing: {err.strerror}"
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
        os.chmod(tmp, now.st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return f"cannot write: {err.strerror or err}"
    return None
