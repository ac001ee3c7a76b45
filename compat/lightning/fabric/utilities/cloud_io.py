"""Every file operation of checkpoints and loggers, at a local path or at an fsspec URL (``s3://``, ``gs://``,
``memory://`` ...).

A plain path (or ``file://``) takes the local fast path: ``os`` calls, and checkpoints through the atomic writer of
:mod:`lightning.fabric.utilities.checkpoint_files` (temporary file + rename). A path with any other protocol goes to
its fsspec filesystem, imported only then; a remote file is serialized into memory first and written with one call,
so a reader never finds half of it.
"""
import io
import logging
import os
import re
from pathlib import Path
from typing import IO, Any, List, Optional, Union

import torch

from lightning.fabric.utilities.checkpoint_files import atomic_save, load_checkpoint_file, torch_load
from lightning.fabric.utilities.types import _MAP_LOCATION_TYPE, _PATH

log = logging.getLogger(__name__)
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://")


def _protocol(path: _PATH) -> str:
    match = _URL.match(str(path))
    return match.group(1).lower() if match else "file"


def _is_local_file_protocol(path: _PATH) -> bool:
    return _protocol(path) in ("file", "local")


def _is_remote(path: Any) -> bool:
    """A ``str``/``Path`` with a protocol other than the local file system's (cheap: no fsspec import)."""
    return isinstance(path, (str, Path)) and not _is_local_file_protocol(path)


def get_filesystem(path: _PATH, **kwargs: Any) -> Any:
    """The fsspec filesystem that serves ``path`` (the local one for plain paths)."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as err:
        raise ModuleNotFoundError(
            f"Reading or writing {str(path)!r} needs `fsspec` (pip install fsspec, plus s3fs / gcsfs / adlfs for "
            "cloud storage)."
        ) from err
    fs, _ = url_to_fs(str(path), **kwargs)
    return fs


def _load(path_or_url: Union[IO, _PATH], map_location: _MAP_LOCATION_TYPE = None,
          weights_only: Optional[bool] = None) -> Any:
    """``torch.load`` from a file object, a local path, an ``http(s)`` URL or an fsspec URL.

    ``weights_only=None`` means True for every source (a downloaded file included): unpickling arbitrary objects
    runs code from the file, so it takes an explicit ``weights_only=False``.
    """
    if not _is_remote(path_or_url):
        if isinstance(path_or_url, (str, Path)):
            path_or_url = _local(path_or_url)
        return torch_load(path_or_url, map_location=map_location, weights_only=weights_only)
    if str(path_or_url).startswith("http"):
        return torch_load(str(path_or_url), map_location=map_location, weights_only=weights_only, load=_load_url)
    return torch_load(_read_remote(path_or_url), map_location=map_location, weights_only=weights_only,
                      name=str(path_or_url))


def _load_checkpoint(path: _PATH, map_location: Any = None, weights_only: Optional[bool] = None) -> dict:
    """:func:`load_checkpoint_file` (a dict, errors that say what to do) for a local path or an fsspec URL."""
    if not _is_remote(path):
        path = _local(path) if isinstance(path, (str, Path)) else path
        return load_checkpoint_file(path, map_location=map_location, weights_only=weights_only)
    return load_checkpoint_file(_read_remote(path), map_location=map_location, weights_only=weights_only,
                                name=str(path))


def _read_remote(url: _PATH) -> io.BytesIO:
    fs = get_filesystem(url)
    if not fs.exists(str(url)):
        raise FileNotFoundError(f"Checkpoint file not found: {url}")
    if fs.isdir(str(url)):
        raise IsADirectoryError(f"{url} is a directory; pass the URL of a `.ckpt` file.")
    return io.BytesIO(fs.cat_file(str(url)))


def _load_url(url: str, map_location: _MAP_LOCATION_TYPE, weights_only: bool) -> Any:
    return torch.hub.load_state_dict_from_url(url, map_location=map_location, weights_only=weights_only)


def _atomic_save(checkpoint: dict, filepath: _PATH) -> None:
    """A local file appears complete or not at all (a temporary file in the same folder, then one atomic move); a
    remote one is serialized into memory first and written in one call."""
    if not _is_remote(filepath):
        atomic_save(checkpoint, os.path.abspath(_local(filepath)))
        return
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    _write_bytes(filepath, buffer.getvalue())


def _write_bytes(url: _PATH, data: bytes) -> None:
    """One ``put`` of ``data`` at ``url`` (its parent created first where the store has folders)."""
    fs = get_filesystem(url)
    parent = str(url).rstrip("/").rsplit("/", 1)[0]
    if not _is_object_storage(fs):
        fs.makedirs(parent, exist_ok=True)
    fs.pipe_file(str(url), data)


def _local(path: _PATH) -> str:
    """A plain path for the ``os`` functions (``file://`` and ``local://`` stripped)."""
    path = os.fspath(path)
    match = _URL.match(path)
    return path[match.end():] if match else path


# --- the folder operations loggers and ModelCheckpoint need, for both kinds of path ---------------------------------
def _makedirs(path: _PATH) -> None:
    if _is_remote(path):
        get_filesystem(path).makedirs(str(path), exist_ok=True)
    else:
        os.makedirs(_local(path), exist_ok=True)


def _exists(path: _PATH) -> bool:
    return get_filesystem(path).exists(str(path)) if _is_remote(path) else os.path.exists(_local(path))


def _isfile(path: _PATH) -> bool:
    return get_filesystem(path).isfile(str(path)) if _is_remote(path) else os.path.isfile(_local(path))


def _isdir(path: _PATH) -> bool:
    if _is_remote(path):
        return _is_dir(get_filesystem(path), str(path), strict=True)
    return os.path.isdir(_local(path))


def _listdir(path: _PATH) -> List[str]:
    """The names (not paths) in a folder; ``[]`` when it does not exist."""
    if not _is_remote(path):
        try:
            return os.listdir(_local(path))
        except OSError:
            return []
    fs = get_filesystem(path)
    try:
        entries = fs.ls(str(path), detail=False)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [entry.rstrip("/").rsplit("/", 1)[-1] for entry in entries]


def _modified(path: _PATH) -> float:
    """The file's modification time (seconds since the epoch); 0 when it does not exist or the store does not say."""
    if not _is_remote(path):
        try:
            return os.path.getmtime(_local(path))
        except OSError:
            return 0.0
    try:
        return get_filesystem(path).modified(str(path)).timestamp()
    except (FileNotFoundError, NotImplementedError, AttributeError):
        return 0.0


def _remove(path: _PATH) -> None:
    """Delete a file (a folder with everything in it, for a remote sharded checkpoint)."""
    fs = get_filesystem(path)
    fs.rm(str(path), recursive=fs.isdir(str(path)))


def _copy(source: _PATH, target: _PATH) -> None:
    """Copy a file within one filesystem (where ``last.ckpt`` cannot be a symbolic link)."""
    if _is_remote(target):
        get_filesystem(target).copy(str(source), str(target))
    else:
        import shutil

        shutil.copy(_local(source), _local(target))


def _open(path: _PATH, mode: str = "r", **kwargs: Any) -> IO:
    """``open`` for a local path, the filesystem's ``open`` for a URL."""
    if _is_remote(path):
        return get_filesystem(path).open(str(path), mode, **kwargs)
    return open(_local(path), mode, **kwargs)


def _is_object_storage(fs: Any) -> bool:
    protocol = getattr(fs, "protocol", "")
    protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return any(p in ("s3", "s3a", "gs", "gcs", "az", "abfs", "adl") for p in protocols)


def _is_dir(fs: Any, path: _PATH, strict: bool = False) -> bool:
    """On object stores a "directory" is any prefix; ``strict=True`` asks the store whether it exists."""
    if _is_object_storage(fs):
        return fs.isdir(path) if strict else not fs.isfile(path)
    return fs.isdir(path)
