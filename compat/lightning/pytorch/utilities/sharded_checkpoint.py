"""Reading a sharded (``torch.distributed.checkpoint``) folder without running code from it.

torch's reader unpickles the folder's ``.metadata`` with plain ``pickle`` and each non-tensor entry with
``torch.load(weights_only=False)``, so a folder from elsewhere could run code. Unless the caller passes
``weights_only=False``, :func:`storage_reader` checks ``.metadata`` with an unpickler that builds only torch's
checkpoint-description classes, and :func:`load_planner` loads non-tensor entries only after a weights-only load of
the same bytes succeeded. Imported only when a sharded folder is read (it imports ``torch.distributed``).
"""
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Optional

import torch
import torch.distributed.checkpoint.metadata  # noqa: F401  (its classes are looked up by name)
from torch.distributed.checkpoint import FileSystemReader
from torch.distributed.checkpoint.default_planner import DefaultLoadPlanner, _EmptyStateDictLoadPlanner

from lightning.pytorch.utilities.checkpoint_io import refused_pickle_message, torch_load

# what a `.metadata` file written by torch references: data-holder classes, and torch values rebuilt from names
_METADATA_MODULES = ("torch.distributed.checkpoint.metadata",)
_METADATA_GLOBALS = {
    ("torch.distributed.checkpoint.filesystem", "_StorageInfo"),
    ("torch.serialization", "_get_layout"),
    ("collections", "OrderedDict"),
    ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath"),
}
_TORCH_VALUES = (torch.dtype, torch.layout, torch.memory_format)


class _MetadataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in _METADATA_MODULES:  # the classes defined there (not what it imports, such as `Enum`)
            found = getattr(sys.modules.get(module), name, None)
            allowed = isinstance(found, type) and found.__module__ == module
        elif module == "torch":
            allowed = name == "Size" or isinstance(getattr(torch, name, None), _TORCH_VALUES)
        else:
            allowed = (module, name) in _METADATA_GLOBALS
        if not allowed:
            raise pickle.UnpicklingError(f"Unsupported global: GLOBAL {module}.{name} is not a checkpoint description")
        return super().find_class(module, name)


def check_metadata(folder: Any) -> None:
    """Raise the weights-only refusal (what, where, how to opt in) when ``folder/.metadata`` references anything but
    torch's checkpoint-description classes, and a ``ValueError`` when it points a shard outside the folder."""
    path = Path(folder) / ".metadata"
    if not path.is_file():
        return  # torch's reader says what is missing
    with open(path, "rb") as f:
        try:
            metadata = _MetadataUnpickler(f).load()
        except pickle.UnpicklingError as err:
            raise pickle.UnpicklingError(refused_pickle_message(path, err)) from None
    storage = getattr(metadata, "storage_data", None)
    for info in storage.values() if isinstance(storage, dict) else ():
        relative = str(getattr(info, "relative_path", ""))
        if os.path.isabs(relative) or ".." in Path(relative).parts:  # shards are read from inside the folder only
            raise ValueError(f"{path} points a shard outside its folder ({relative!r}); this is not a checkpoint "
                             "written by torch.distributed.checkpoint.")


class _CheckedReader(FileSystemReader):
    """``FileSystemReader`` that checks ``.metadata`` (:func:`check_metadata`) before torch unpickles it."""

    def read_metadata(self, *args: Any, **kwargs: Any) -> Any:
        check_metadata(self.path)
        return super().read_metadata(*args, **kwargs)


class _WeightsOnlyBytes:
    """Planner mixin: a non-tensor entry is handed to torch's loader only once a weights-only load accepted it."""

    def load_bytes(self, read_item: Any, value: io.BytesIO) -> None:
        where = f"the entry {read_item.dest_index.fqn!r} of {getattr(self, 'folder', 'a sharded checkpoint')}"
        torch_load(value, map_location="cpu", weights_only=True, name=where)
        value.seek(0)
        super().load_bytes(read_item, value)  # type: ignore[misc]


class _CheckedLoadPlanner(_WeightsOnlyBytes, DefaultLoadPlanner):
    pass


class _CheckedEmptyLoadPlanner(_WeightsOnlyBytes, _EmptyStateDictLoadPlanner):
    pass


def storage_reader(folder: Any, weights_only: Optional[bool]) -> FileSystemReader:
    """The reader for ``folder``: torch's own with ``weights_only=False``, else the checked one."""
    return FileSystemReader(folder) if weights_only is False else _CheckedReader(folder)


def load_planner(weights_only: Optional[bool], everything: bool = False) -> DefaultLoadPlanner:
    """The planner: torch's own with ``weights_only=False``, else one that loads non-tensor entries weights-only.
    ``everything=True`` loads every entry of the folder (no target state dict: consolidation)."""
    if weights_only is False:
        return _EmptyStateDictLoadPlanner() if everything else DefaultLoadPlanner()
    return _CheckedEmptyLoadPlanner() if everything else _CheckedLoadPlanner()


def _planner_for(folder: Any, weights_only: Optional[bool], everything: bool) -> DefaultLoadPlanner:
    planner = load_planner(weights_only, everything)
    planner.folder = folder  # type: ignore[attr-defined]  (named in a refusal)
    return planner


def load_folder(target: dict, folder: Any, weights_only: Optional[bool], everything: bool = False) -> None:
    """Fill ``target`` from the shards in ``folder`` (every entry with ``everything=True``, in this process only;
    else the keys of ``target``, collectively across ranks), trusting the folder as ``weights_only`` says.

    A refusal is raised as the ``pickle.UnpicklingError`` that says what and how to opt in, not wrapped in torch's
    ``CheckpointException``."""
    import torch.distributed.checkpoint as dcp
    from torch.distributed.checkpoint.api import CheckpointException
    from torch.distributed.checkpoint.state_dict_loader import _load_state_dict

    if weights_only is not False:
        check_metadata(folder)
    reader, planner = storage_reader(folder, weights_only), _planner_for(folder, weights_only, everything)
    try:
        if everything:
            _load_state_dict(target, storage_reader=reader, planner=planner, no_dist=True)
        else:
            dcp.load(target, storage_reader=reader, planner=planner)
    except CheckpointException as err:
        for failure in err.failures.values():
            if isinstance(failure[0], pickle.UnpicklingError):
                raise failure[0] from None
        raise
