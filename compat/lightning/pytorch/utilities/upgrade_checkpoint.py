"""``python -m lightning.pytorch.utilities.upgrade_checkpoint PATH``: upgrade old checkpoint files in place.

Each file that needs it is copied to ``<name>.bak`` and rewritten atomically in the current layout. Files are read
``weights_only`` (only tensors, containers and a few data-holder classes); a file that needs full unpickling is left
untouched with an explanation, unless ``--allow-pickle`` says its source is trusted.
"""
import argparse
import logging
import shutil
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from lightning.pytorch.utilities.checkpoint_io import atomic_save, load_checkpoint_file
from lightning.pytorch.utilities.migration.utils import migrate_checkpoint, pl_legacy_patch

_log = logging.getLogger("lightning.pytorch.utilities.upgrade_checkpoint")


class UpgradeError(Exception):
    """A file that could not be upgraded; the message says why and what to do."""


def find_checkpoints(path: Path, extension: str) -> List[Path]:
    """``path`` itself when it is a file, else every file under it (recursively) ending in ``extension``."""
    if not path.exists():
        raise UpgradeError(f"No such file or folder: {path}")
    if path.is_file():
        return [path]
    found = sorted(p for p in path.rglob(f"*{extension}") if p.is_file())
    if not found:
        raise UpgradeError(f"No files ending in {extension!r} were found under {path}; pass `--extension` to change it.")
    return found


def upgrade_file(path: Path, map_to_cpu: bool = False, allow_pickle: bool = False) -> bool:
    """Upgrade one file in place (backup beside it as ``.bak``). Returns False when it was already current."""
    map_location = "cpu" if map_to_cpu else None
    try:
        if allow_pickle:
            with pl_legacy_patch():
                checkpoint = load_checkpoint_file(path, map_location=map_location, weights_only=False)
        else:
            checkpoint = load_checkpoint_file(path, map_location=map_location, weights_only=True)
    except Exception as err:  # every load failure becomes a per-file report; nothing was written yet
        hint = "" if allow_pickle else (
            " If you trust where the file comes from, rerun with `--allow-pickle` to unpickle it."
            if "unpickle" in str(err) else ""
        )
        raise UpgradeError(f"{path} was left unchanged: {err}{hint}") from None
    if "state_dict" not in checkpoint and "pytorch-lightning_version" not in checkpoint:
        raise UpgradeError(f"{path} was left unchanged: it is not a Lightning checkpoint (no 'state_dict').")
    checkpoint, applied = migrate_checkpoint(checkpoint)
    if not applied:
        _log.info(f"{path}: already in the current layout, left unchanged")
        return False
    backup = path.with_suffix(".bak")
    if backup.exists():
        _log.info(f"{path}: keeping the existing backup {backup} (the older original)")
    else:
        tmp = backup.with_name(f".{backup.name}.tmp")
        shutil.copy2(path, tmp)
        tmp.replace(backup)
    atomic_save(checkpoint, path)
    _log.info(f"{path}: upgraded ({', '.join(sorted(applied))}); original kept as {backup.name}")
    return True


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lightning.pytorch.utilities.upgrade_checkpoint",
        description="Upgrade checkpoints written by older Lightning releases to the current layout, in place. "
        "A backup of each changed file is kept beside it with the suffix .bak.",
    )
    parser.add_argument("path", type=str, help="a checkpoint file, or a folder searched recursively")
    parser.add_argument("--extension", "-e", type=str, default=".ckpt",
                        help="the file ending to look for when PATH is a folder (default: .ckpt)")
    parser.add_argument("--map-to-cpu", action="store_true",
                        help="load GPU tensors onto the CPU (needed on a machine without the saving device)")
    parser.add_argument("--allow-pickle", action="store_true",
                        help="unpickle Python objects stored in the files (runs code from them: trusted files only)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    extension = args.extension if args.extension.startswith(".") else f".{args.extension}"
    try:
        files = find_checkpoints(Path(args.path), extension)
    except UpgradeError as err:
        _log.error(str(err))
        return 2
    failures = 0
    for path in files:
        try:
            upgrade_file(path, map_to_cpu=args.map_to_cpu, allow_pickle=args.allow_pickle)
        except UpgradeError as err:
            failures += 1
            _log.error(str(err))
    if failures:
        _log.error(f"{failures} of {len(files)} file(s) could not be upgraded; they were left unchanged.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
