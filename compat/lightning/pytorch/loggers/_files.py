"""Local-folder helpers the file-writing loggers share: creating a log folder with an error that says what to do,
finding the next free ``version_N``, and the folder properties of such loggers."""
import os
from typing import Any, Union


def _makedirs(path: str) -> None:
    """``os.makedirs(path, exist_ok=True)``, re-raising a failure with the folder and the way out in the message."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise type(err)(
            f"Cannot create the log directory {path!r}: {err.strerror or err}. Pass a writable folder as the logger's"
            " `save_dir` (or `Trainer(default_root_dir=...)`), or turn logging off with `Trainer(logger=False)`."
        ) from err


def _next_version(versions_root: str) -> int:
    """One more than the highest ``version_N`` folder under ``versions_root``; 0 when there is none."""
    try:
        entries = os.listdir(versions_root)
    except OSError:
        return 0
    existing = [
        int(entry[len("version_"):])
        for entry in entries
        if entry.startswith("version_")
        and entry[len("version_"):].isdigit()
        and os.path.isdir(os.path.join(versions_root, entry))
    ]
    return max(existing) + 1 if existing else 0


def _version_folder(version: object) -> str:
    """``3`` -> ``"version_3"``; a string version is used as the folder name as it is."""
    return version if isinstance(version, str) else f"version_{version}"


class _VersionedDirs:
    """``name`` / ``version`` / ``save_dir`` / ``root_dir`` of a logger that writes to
    ``save_dir/name/version_N`` (the next free N unless a version is given)."""

    _name: str
    _version: Any
    _save_dir: str

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> Union[int, str]:
        if self._version is None:
            self._version = _next_version(self.root_dir)
        return self._version

    @property
    def save_dir(self) -> str:
        return self._save_dir

    @property
    def root_dir(self) -> str:
        return os.path.join(self._save_dir, self.name)
