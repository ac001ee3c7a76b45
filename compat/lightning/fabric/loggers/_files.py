"""Folder helpers the file-writing loggers share, for local paths and fsspec URLs alike (through
:mod:`lightning.fabric.utilities.cloud_io`): creating a log folder with an error that says what to do, finding the next
free ``version_N``, and the ``version_N`` folder name."""
import os
from typing import Optional, Union

from lightning.fabric.utilities import cloud_io


def _makedirs(path: str) -> None:
    """Create ``path`` and its parents (fine when it exists), re-raising a failure with the folder and the way out."""
    try:
        cloud_io._makedirs(path)
    except OSError as err:
        raise type(err)(
            f"Cannot create the log directory {path!r}: {err.strerror or err}. Pass a writable folder as the logger's"
            " `save_dir` (or `Trainer(default_root_dir=...)`), or turn logging off with `Trainer(logger=False)`."
        ) from err


class _NumberedVersions:
    """``name`` and ``version`` of a logger that writes ``<root>/<name>/version_<n>``: without a given version, the
    next free number there, found once (the CSV and TensorBoard loggers)."""

    _root_dir: str
    _name: str
    _version: Optional[Union[int, str]]

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> Union[int, str]:
        if self._version is None:
            self._version = _next_version(os.path.join(self._root_dir, self.name))
        return self._version


def _next_version(versions_root: str) -> int:
    """One more than the highest ``version_N`` folder under ``versions_root``; 0 when there is none."""
    existing = [
        int(entry[len("version_"):])
        for entry in cloud_io._listdir(versions_root)
        if entry.startswith("version_")
        and entry[len("version_"):].isdigit()
        and cloud_io._isdir(os.path.join(versions_root, entry))
    ]
    return max(existing) + 1 if existing else 0


def _version_folder(version: object) -> str:
    """``3`` -> ``"version_3"``; a string version is used as the folder name as it is."""
    return version if isinstance(version, str) else f"version_{version}"
