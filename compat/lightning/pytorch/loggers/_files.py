"""Local-folder helpers the file-writing loggers share: creating a log folder with an error that says what to do,
and finding the next free ``version_N``."""
import os


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
