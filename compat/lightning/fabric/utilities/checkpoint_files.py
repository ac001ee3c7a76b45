"""Reading and writing checkpoint files safely: atomic writes, ``weights_only`` loads, clear errors.

Loading defaults to ``weights_only=True``. Files written by older Lightning releases often hold a few harmless
Python objects (an ``argparse.Namespace`` or ``AttributeDict`` of hyperparameters, callback classes used as dict
keys); those are allowed by name (:func:`legacy_safe_globals`) so such files still load without unpickling
arbitrary code. Anything else needs an explicit ``weights_only=False``.
"""
import contextlib
import errno
import functools
import itertools
import os
import pickle
import re
import stat
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Tuple, Union

import torch

_PATH = Union[str, Path]
_FSYNC = os.environ.get("LIGHTNING_CHECKPOINT_FSYNC", "0") not in ("", "0")

_LEGACY_ATTRIBUTE_DICT_PATHS = (
    "pytorch_lightning.utilities.parsing.AttributeDict",
    "lightning_fabric.utilities.data.AttributeDict",
    "lightning.fabric.utilities.data.AttributeDict",
    "lightning.pytorch.utilities.parsing.AttributeDict",
)
# functions returning more ``(object, "module.Name")`` pairs; the Trainer adds its callback classes (see
# ``lightning.pytorch.utilities.checkpoint_io``), so that this layer needs nothing from the layers above it
_SAFE_GLOBAL_SOURCES: List[Callable[[], List[Tuple[Any, str]]]] = []


def register_safe_globals(source: Callable[[], List[Tuple[Any, str]]]) -> None:
    """Let weights-only loads also resolve the pairs ``source()`` returns (called once, at the first load)."""
    if source not in _SAFE_GLOBAL_SOURCES:
        _SAFE_GLOBAL_SOURCES.append(source)
        _cached_legacy_safe_globals.cache_clear()


def legacy_safe_globals() -> List[Tuple[Any, str]]:
    """``(object, "module.Name")`` pairs that a weights-only load may resolve: data holders with no code of their own.

    ``argparse.Namespace`` only receives attribute values; an ``AttributeDict`` is read back as a plain ``dict`` (the
    weights-only unpickler fills only real dicts); registered sources add classes that are only referenced, never
    instantiated (e.g. callback classes used as dict keys by checkpoints of Lightning <= 1.4).
    """
    import argparse

    pairs: List[Tuple[Any, str]] = [(argparse.Namespace, "argparse.Namespace")]
    pairs += [(dict, path) for path in _LEGACY_ATTRIBUTE_DICT_PATHS]
    for source in _SAFE_GLOBAL_SOURCES:
        pairs += source()
    return pairs


@functools.lru_cache(maxsize=1)
def _cached_legacy_safe_globals() -> tuple:
    return tuple(legacy_safe_globals())


@contextlib.contextmanager
def _legacy_globals_allowed() -> Iterator[None]:
    if not hasattr(torch.serialization, "safe_globals"):  # torch < 2.5: nothing beyond tensors and containers
        yield
        return
    with torch.serialization.safe_globals(list(_cached_legacy_safe_globals())):
        yield


def _default_map_location(storage: Any, location: str) -> Any:
    """Keep each tensor on its saved device, or fall back to CPU when that device does not exist here."""
    if location.startswith("cuda") and not torch.cuda.is_available():
        return storage.cpu()
    if location.startswith("mps") and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
        return storage.cpu()
    return None


def _check_path(path: Any) -> None:
    if isinstance(path, (str, Path)):
        if not os.path.exists(path):
            raise FileNotFoundError(f"Checkpoint file not found: {path}")
        if os.path.isdir(path):
            raise IsADirectoryError(
                f"{path} is a directory; pass the path of a `.ckpt` file (or a sharded checkpoint to its strategy)."
            )


def load_checkpoint_file(path: Any, map_location: Any = None, weights_only: Optional[bool] = None,
                         name: Optional[str] = None) -> dict:
    """``torch.load`` with ``weights_only=True`` unless asked otherwise, and errors that say what to do.

    ``path`` may be a local path or an open binary file object (``name``: what messages call it). The result is
    always a dict.
    """
    _check_path(path)
    shown = name or path
    map_location = map_location if map_location is not None else _default_map_location
    try:
        checkpoint = torch_load(path, map_location=map_location, weights_only=weights_only, name=name)
    except (FileNotFoundError, IsADirectoryError, PermissionError, pickle.UnpicklingError):
        raise
    except Exception as err:  # torch raises many kinds for a file that is not a torch archive
        raise _not_a_checkpoint(shown, err) from None
    if not isinstance(checkpoint, dict):
        raise ValueError(
            f"{shown} does not hold a Lightning checkpoint (a dict) but a {type(checkpoint).__name__}. "
            "For a bare state_dict use `model.load_state_dict(torch.load(path))`."
        )
    return checkpoint


def torch_load(source: Any, map_location: Any = None, weights_only: Optional[bool] = None,
               load: Optional[Callable[..., Any]] = None, name: Optional[str] = None) -> Any:
    """``torch.load`` (or ``load``, called with the same arguments) where ``weights_only=None`` means True.

    A weights-only load also accepts :data:`legacy_safe_globals`; when it refuses the file, the error names what the
    file (``name`` in messages, default: ``source``) references, where for a local file, and how to opt in.
    """
    safe = True if weights_only is None else bool(weights_only)
    load = load or torch.load
    try:
        if not safe:
            return load(source, map_location=map_location, weights_only=False)
        with _legacy_globals_allowed():
            return load(source, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        if not safe or not _mentions_global(err):
            raise _not_a_checkpoint(name or source, err) from None
        raise pickle.UnpicklingError(refused_pickle_message(source, err, name)) from None


def refused_pickle_message(source: Any, err: BaseException, name: Optional[str] = None) -> str:
    """What a refused weights-only load says: what the file holds (and where), why it is not loaded, how to opt in."""
    found = re.search(r"GLOBAL ([\w.]+)", str(err))
    where = _keys_holding(source, found.group(1)) if found else ""
    what = _unsupported_global(err) + (f" at {where}" if where else "")
    return (
        f"{name or source} holds Python objects that a weights-only load refuses to unpickle ({what}). "
        "Unpickling runs code from the file: only if you trust its source, load it with `weights_only=False` "
        "(e.g. `Model.load_from_checkpoint(path, weights_only=False)` or `trainer.fit(model, ckpt_path=path, "
        "weights_only=False)`)."
    )


def _mentions_global(err: BaseException) -> bool:
    text = str(err)
    return "GLOBAL" in text or "global" in text


class _Stub:
    """Stands in for every object while :func:`_keys_holding` reads a pickle: accepts any construction, runs nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        pass

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def append(self, value: Any) -> None:
        pass

    def extend(self, values: Any) -> None:
        pass


class _Refused(_Stub):
    pass


class _StubUnpickler(pickle.Unpickler):
    """Builds the pickle's containers with :class:`_Stub` / :class:`_Refused` for every global: no code of the file's
    choosing is looked up or called."""

    def __init__(self, file: Any, refused: str) -> None:
        super().__init__(file)
        self.refused = refused

    def find_class(self, module: str, name: str) -> type:
        return _Refused if f"{module}.{name}" == self.refused else _Stub

    def persistent_load(self, pid: Any) -> None:  # tensor storages: not read
        return None


def _keys_holding(source: Any, refused: str, limit: int = 3) -> str:
    """Where the objects of the global ``refused`` sit in a torch zip file, e.g. ``["hyper_parameters"]["net"]``
    (up to ``limit`` places), or "" when that cannot be told (not a local zip file, an unusual pickle)."""
    import zipfile

    if not isinstance(source, (str, Path)):
        return ""
    try:
        with zipfile.ZipFile(source) as archive:
            name = next(n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl")
            with archive.open(name) as f:
                root = _StubUnpickler(f, refused).load()
    except Exception:  # only a nicer message is lost
        return ""
    found: List[str] = []

    def walk(value: Any, where: str, depth: int) -> None:
        if len(found) >= limit or depth > 8:
            return
        if isinstance(value, _Refused):
            found.append(where or "the top level")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}[{key!r}]", depth + 1)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]", depth + 1)

    walk(root, "", 0)
    return ", ".join(f"`checkpoint{where}`" if where.startswith("[") else where for where in found)


def _unsupported_global(err: BaseException) -> str:
    found = re.search(r"GLOBAL ([\w.]+)", str(err))
    return f"it references `{found.group(1)}`" if found else _first_line(err)


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _not_a_checkpoint(path: Any, err: BaseException) -> ValueError:
    return ValueError(
        f"Could not read {path} as a checkpoint: it is truncated, corrupt or not a torch file ({_first_line(err)})."
    )


class CheckpointWriteError(OSError, RuntimeError):
    """A checkpoint could not be written (disk full, read-only folder, no permission, file size limit ...). Also a
    ``RuntimeError``, which is what ``torch.save`` raises for the same failures, so existing handlers still catch it."""

    def __init__(self, errno_: Optional[int], message: str, filename: str) -> None:
        super().__init__(errno_, message)
        self.message = message
        self.filename = filename

    def __str__(self) -> str:
        return self.message


def atomic_save(obj: Any, path: _PATH, save_fn: Optional[Callable[[Any, str], None]] = None) -> None:
    """Write ``obj`` with ``torch.save`` to a temporary file in the same folder, then move it into place at ``path``.

    The move is atomic, so a process killed at any point (kill -9 included) leaves either the old file or the new
    one under ``path``, never a half-written file. ``LIGHTNING_CHECKPOINT_FSYNC=1`` also flushes the data to disk
    before the move, so that a power loss cannot leave an empty file either; it is off by default because that
    flush costs as much as the write itself (see bench/checkpoint_io.py). A write that fails (disk full, read-only
    folder ...) raises :class:`CheckpointWriteError` saying why, for which file, and that the previous file is intact.
    """
    path = os.fspath(path)
    folder, name = os.path.split(path)
    folder = folder or "."
    # a name unique to this process and save; torch creates it (mode 0666 & ~umask, like any new file) and writes it
    # through its C++ writer, much faster than through a Python file object
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_SAVE_COUNTER)}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        if folder not in _CLEANED_FOLDERS:  # leftovers of killed processes: looked for once per folder per process
            _CLEANED_FOLDERS.add(folder)
            _remove_stale_temporaries(folder)
        (save_fn or torch.save)(obj, tmp)
        if _FSYNC:
            _fsync_file(tmp)
        _move_into_place(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, (OSError, RuntimeError)) and not isinstance(err, CheckpointWriteError):
            raise _write_failed(path, err) from err
        raise


_ERRNO_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EFBIG: "the file would exceed the largest file this process may write (`ulimit -f`)",
    errno.ENOENT: "the folder does not exist",
}


def _write_failed(path: str, err: BaseException) -> CheckpointWriteError:
    """The error for a failed save of ``path``: what happened (from the errno, or from torch's message and the free
    space left), and the state of ``path`` afterwards."""
    code = err.errno if isinstance(err, OSError) else None
    if code is None:  # torch's writer: "open file failed with strerror: Read-only file system", "unexpected pos ..."
        code = next((c for c in _ERRNO_WORDS if os.strerror(c) in str(err)), None)
        if code is None and "open file failed" not in str(err):  # it stopped short without saying why
            code = _short_write_cause(os.path.dirname(path) or ".")
    reason = _ERRNO_WORDS.get(code) if code is not None else None
    reason = reason or f"the write failed ({_first_line(err)})"
    state = (f"The previous checkpoint at {path} is intact (it is only replaced once the new file is complete)"
             if os.path.lexists(path) else f"No file was created at {path}")
    return CheckpointWriteError(code, f"Could not save the checkpoint {path}: {reason}. {state}; no partial file "
                                      "is left behind.", path)


def _short_write_cause(folder: str) -> Optional[int]:
    """Why a write stopped short when the writer does not say: a full disk, or the file size limit."""
    import resource

    with contextlib.suppress(OSError):
        info = os.statvfs(folder)
        if info.f_bavail * info.f_frsize < 16 * 2**20:  # under 16 MiB left: the write most likely filled it
            return errno.ENOSPC
    with contextlib.suppress(OSError, ValueError):
        if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
            return errno.EFBIG
    return None


def _move_into_place(tmp: str, path: str) -> None:
    """``os.replace(tmp, path)``, except that an existing file at ``path`` is swapped with ``tmp`` in one step
    (Linux ``renameat2(RENAME_EXCHANGE)``) and then deleted under the temporary name.

    Both are atomic: ``path`` always names a complete file. The swap exists because ext4 treats a rename over an
    existing file as "replace via rename" and writes the new file's data out inside the ``rename`` call (its
    ``auto_da_alloc`` heuristic), which made saving over ``last.ckpt`` 20-30% slower than ``torch.save`` over it.
    That write-out is a heuristic, not a durability guarantee; durability across a power loss is what
    ``LIGHTNING_CHECKPOINT_FSYNC=1`` is for, with either call. A killed process can leave the previous file under
    the temporary name; :func:`_remove_stale_temporaries` deletes it later.
    """
    exchange = _renameat2()
    if exchange is not None:
        try:
            target = os.lstat(path)
        except FileNotFoundError:
            target = None
        if target is not None and not stat.S_ISDIR(target.st_mode):  # a directory: let os.replace raise
            if exchange(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(path), _RENAME_EXCHANGE) == 0:
                with contextlib.suppress(FileNotFoundError):  # tmp is now the previous checkpoint
                    os.unlink(tmp)
                return
            # not supported by this file system (EINVAL), or the file went away: os.replace does it or says why
    os.replace(tmp, path)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.lru_cache(maxsize=1)
def _renameat2() -> Optional[Callable[..., int]]:
    """glibc's ``renameat2`` (Linux, glibc >= 2.28), or None where it does not exist."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        fn = ctypes.CDLL(None).renameat2
    except (AttributeError, OSError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _fsync_file(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_STALE_AFTER_S = 600.0
_SAVE_COUNTER = itertools.count()
_CLEANED_FOLDERS: set = set()
_TEMPORARY_NAME = re.compile(r"\..+\.\d+-\d+\.tmp")  # see atomic_save


def _remove_stale_temporaries(folder: str) -> None:
    """Delete temporary files that killed processes left in ``folder`` (``.NAME.PID-N.tmp``, untouched for 10
    minutes: no live writer is that slow to append), so that crashes do not pile up hidden copies of large
    checkpoints."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and _TEMPORARY_NAME.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > _STALE_AFTER_S:
                        os.unlink(entry.path)
