"""Turn a sharded (FSDP) Trainer checkpoint folder into one file that ``torch.load`` and ``ckpt_path=`` accept:

  python -m lightning.pytorch.utilities.consolidate_checkpoint <folder> [--output_file <file>]

The folder holds the ``torch.distributed.checkpoint`` shards (keys ``model``, ``optimizer_0``, ...) and ``meta.pt``
with everything else; the output has ``state_dict`` and ``optimizer_states`` like any Trainer checkpoint. The whole
checkpoint must fit in CPU memory. The default output is ``<folder>.consolidated``.
"""
import re
import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path
from typing import Any, Optional

import torch

_METADATA_FILENAME = "meta.pt"


def _load_distributed_checkpoint(checkpoint_folder: Path) -> dict:
    """All shards of the folder merged into one CPU state dict, plus ``meta.pt``'s entries."""
    from torch.distributed.checkpoint import FileSystemReader
    from torch.distributed.checkpoint.format_utils import _EmptyStateDictLoadPlanner
    from torch.distributed.checkpoint.state_dict_loader import _load_state_dict

    checkpoint: dict = {}
    _load_state_dict(checkpoint, storage_reader=FileSystemReader(checkpoint_folder),
                     planner=_EmptyStateDictLoadPlanner(), no_dist=True)
    extra_file = Path(checkpoint_folder) / _METADATA_FILENAME
    if extra_file.is_file():
        checkpoint.update(torch.load(extra_file, map_location="cpu", weights_only=False))
    return checkpoint


def _format_checkpoint(checkpoint: dict) -> dict:
    """FSDP's layout -> the Trainer's: ``model`` becomes ``state_dict``; ``optimizer_<i>`` become the list
    ``optimizer_states``."""
    checkpoint["state_dict"] = checkpoint.pop("model")
    count = len([key for key in checkpoint if re.fullmatch(r"optimizer_[0-9]+", key)])
    if count:
        checkpoint["optimizer_states"] = [checkpoint.pop(f"optimizer_{i}") for i in range(count)]
    return checkpoint


def _parse_cli_args(argv: Optional[list] = None) -> Namespace:
    parser = ArgumentParser(description="Converts a sharded FSDP checkpoint folder into a single file that can be "
                                        "loaded with `torch.load()` or passed as `ckpt_path`.")
    parser.add_argument("checkpoint_folder", type=str,
                        help="Folder with the shards saved by `torch.distributed.checkpoint` and Lightning's meta.pt.")
    parser.add_argument("--output_file", type=str,
                        help="Where to write the single file (must not exist). Default: <folder>.consolidated")
    return parser.parse_args(argv)


def _process_cli_args(args: Namespace) -> Namespace:
    """Check the input and output paths; exit with a message saying what is wrong."""
    folder = Path(args.checkpoint_folder)
    if not folder.exists():
        sys.exit(f"The provided checkpoint folder does not exist: {folder}")
    if not folder.is_dir():
        sys.exit(f"The provided checkpoint path must be a folder, containing the checkpoint shards: {folder}")
    if not (folder / _METADATA_FILENAME).is_file():
        sys.exit("Only FSDP-sharded checkpoints saved with Lightning are supported for consolidation; the folder has "
                 f"no {_METADATA_FILENAME}: {folder}")
    output = folder.with_suffix(folder.suffix + ".consolidated") if args.output_file is None else Path(args.output_file)
    if output.exists():
        sys.exit(f"The path for the converted checkpoint already exists. Choose a different path with `--output_file`"
                 f" or move/delete the file first: {output}")
    return Namespace(checkpoint_folder=folder, output_file=output)


def main(argv: Optional[list] = None) -> Any:
    config = _process_cli_args(_parse_cli_args(argv))
    checkpoint = _format_checkpoint(_load_distributed_checkpoint(config.checkpoint_folder))
    torch.save(checkpoint, config.output_file)
    return config.output_file


if __name__ == "__main__":
    main()
