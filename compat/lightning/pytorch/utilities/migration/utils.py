"""Running the migration steps on a checkpoint dict, and loading old pickled files (``pl_legacy_patch``)."""
import contextlib
import importlib
import logging
import os
import pickle
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

from packaging.version import Version

from lightning.pytorch.utilities.migration.migration import _CHECKPOINT, _migration_index

_log = logging.getLogger("lightning.pytorch")
_VERSION_KEY = "pytorch-lightning_version"
_LEGACY_VERSION_KEY = "legacy_pytorch-lightning_version"


def _current_version() -> str:
    from lightning.__about__ import __version__

    return __version__


def _get_version(checkpoint: _CHECKPOINT) -> str:
    return checkpoint[_VERSION_KEY]


def _set_version(checkpoint: _CHECKPOINT, version: str) -> None:
    checkpoint[_VERSION_KEY] = version


def _set_legacy_version(checkpoint: _CHECKPOINT, version: str) -> None:
    # the first producer wins: upgrading twice keeps the original version
    checkpoint.setdefault(_LEGACY_VERSION_KEY, version)


def _should_upgrade(checkpoint: _CHECKPOINT, target: str, max_version: Optional[str] = None) -> bool:
    """True when the file predates ``target`` (and ``target`` is not beyond ``max_version``)."""
    if max_version is not None and Version(target) > Version(max_version):
        return False
    return Version(_get_version(checkpoint)) < Version(target)


def migrate_checkpoint(
    checkpoint: _CHECKPOINT, target_version: Optional[str] = None
) -> Tuple[_CHECKPOINT, Dict[str, List[str]]]:
    """Upgrade ``checkpoint`` in place to the current layout.

    Returns the checkpoint and the steps applied, by version. ``target_version`` stops at that version. A dict
    without a version entry is not a Lightning checkpoint and is returned untouched; a file from a newer release
    is left as it is, with a warning.
    """
    if _VERSION_KEY not in checkpoint:
        return checkpoint, {}
    found = _get_version(checkpoint)
    current = _current_version()
    if Version(found) > Version(current):
        from lightning.fabric.utilities.rank_zero import rank_zero_warn
        from lightning.fabric.utilities.warnings import PossibleUserWarning

        rank_zero_warn(
            f"This checkpoint was written by Lightning {found}, newer than the {current} this package implements; "
            "it is loaded as it is.",
            category=PossibleUserWarning,
        )
        return checkpoint, {}
    applied: Dict[str, List[str]] = {}
    for version, steps in _migration_index().items():
        if not _should_upgrade(checkpoint, version, target_version):
            continue
        for step in steps:
            checkpoint = step(checkpoint)
        applied[version] = [step.__name__ for step in steps]
    if found != current:
        _set_legacy_version(checkpoint, found)
    _set_version(checkpoint, current)
    return checkpoint, applied


def _pl_migrate_checkpoint(checkpoint: _CHECKPOINT, checkpoint_path: Optional[Any] = None) -> _CHECKPOINT:
    """Migrate a checkpoint loaded for resuming or ``load_from_checkpoint``; tell the user how to make it permanent."""
    old = checkpoint.get(_VERSION_KEY)
    checkpoint, applied = migrate_checkpoint(checkpoint)
    if applied and checkpoint_path is not None:
        try:
            shown = os.path.relpath(checkpoint_path, os.getcwd())
        except ValueError:  # another drive on Windows
            shown = os.path.abspath(checkpoint_path)
        _log.info(
            f"The checkpoint was upgraded in memory from Lightning v{old} to v{_get_version(checkpoint)}. To upgrade "
            f"the file itself, run `python -m lightning.pytorch.utilities.upgrade_checkpoint {shown}`"
        )
    return checkpoint


# Old module paths -> where the class lives now (only for weights_only=False loads of pickled objects).
_MODULE_REDIRECTS = (("pytorch_lightning", "lightning.pytorch"), ("lightning_fabric", "lightning.fabric"))
_patch_lock = threading.RLock()  # re-entrant: a patched load may nest another


class _RedirectingUnpickler(pickle._Unpickler):  # type: ignore[name-defined]
    """Resolves ``pytorch_lightning.*`` / ``lightning_fabric.*`` globals to this package when the old path is gone."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            for old, new in _MODULE_REDIRECTS:
                if module == old or module.startswith(old + "."):
                    redirected = new + module[len(old):]
                    _log.debug(f"Redirecting import of {module}.{name} to {redirected}.{name}")
                    return getattr(importlib.import_module(redirected), name)
            raise


@contextlib.contextmanager
def pl_legacy_patch() -> Iterator[None]:
    """While active, ``torch.load(..., weights_only=False)`` resolves classes pickled under the 1.x module paths."""
    with _patch_lock:
        original = pickle.Unpickler
        pickle.Unpickler = _RedirectingUnpickler  # type: ignore[misc]
        try:
            yield
        finally:
            pickle.Unpickler = original  # type: ignore[misc]
