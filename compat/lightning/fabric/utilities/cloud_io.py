"""Reading and writing checkpoints at local paths or URLs (``s3://``, ``gs://`` ... through fsspec, which is
imported only when a remote path is used)."""
import io
import logging
import os
import re
from pathlib import Path
from typing import IO, Any, Optional, Union

import torch

from lightning.fabric.utilities.types import _MAP_LOCATION_TYPE, _PATH

log = logging.getLogger(__name__)
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://")


def _protocol(path: _PATH) -> str:
    match = _URL.match(str(path))
    return match.group(1).lower() if match else "file"


def _is_local_file_protocol(path: _PATH) -> bool:
    return _protocol(path) in ("file", "local")


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
    from lightning.pytorch.utilities.checkpoint_io import torch_load

    if not isinstance(path_or_url, (str, Path)) or _is_local_file_protocol(path_or_url):
        return torch_load(path_or_url, map_location=map_location, weights_only=weights_only)
    if str(path_or_url).startswith("http"):
        return torch_load(str(path_or_url), map_location=map_location, weights_only=weights_only, load=_load_url)
    with get_filesystem(path_or_url).open(path_or_url, "rb") as f:
        return torch_load(f, map_location=map_location, weights_only=weights_only)


def _load_url(url: str, map_location: _MAP_LOCATION_TYPE, weights_only: bool) -> Any:
    return torch.hub.load_state_dict_from_url(url, map_location=map_location, weights_only=weights_only)


def _atomic_save(checkpoint: dict, filepath: _PATH) -> None:
    """A local file appears complete or not at all (the Trainer's ``atomic_save``: a temporary file in the same folder,
    then one atomic move); a remote one is serialized first and written in one call."""
    if _is_local_file_protocol(filepath):
        from lightning.pytorch.utilities.checkpoint_io import atomic_save

        atomic_save(checkpoint, os.path.abspath(os.fspath(filepath)))
        return
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    with get_filesystem(filepath).open(str(filepath), "wb") as f:
        f.write(buffer.getvalue())


def _is_object_storage(fs: Any) -> bool:
    protocol = getattr(fs, "protocol", "")
    protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return any(p in ("s3", "s3a", "gs", "gcs", "az", "abfs", "adl") for p in protocols)


def _is_dir(fs: Any, path: _PATH, strict: bool = False) -> bool:
    """On object stores a "directory" is any prefix; ``strict=True`` asks the store whether it exists."""
    if _is_object_storage(fs):
        return fs.isdir(path) if strict else not fs.isfile(path)
    return fs.isdir(path)
