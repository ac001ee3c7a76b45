"""Turn a sharded (FSDP) Trainer checkpoint folder into one file that ``torch.load`` and ``ckpt_path=`` accept:

  python -m lightning.pytorch.utilities.consolidate_checkpoint <folder> [--output_file <file>] [--allow-pickle]

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


def _load_distributed_checkpoint(checkpoint_folder: Path, weights_only: Optional[bool] = None) -> dict:
    """All shards of the folder merged into one CPU state dict, plus ``meta.pt``'s entries. Nothing in the folder is
    unpickled beyond what a weights-only load allows unless ``weights_only=False`` (``--allow-pickle``)."""
    from lightning.pytorch.utilities.checkpoint_io import load_checkpoint_file
    from lightning.pytorch.utilities.sharded_checkpoint import load_folder

    extra_file = Path(checkpoint_folder) / _METADATA_FILENAME
    # meta.pt first: a refused file stops the run before the shards are read
    extra = {}
    if extra_file.is_file():
        extra = load_checkpoint_file(extra_file, map_location="cpu", weights_only=weights_only)
    checkpoint: dict = {}
    load_folder(checkpoint, checkpoint_folder, weights_only, everything=True)
    checkpoint.update(extra)
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
    parser.add_argument("--allow-pickle", action="store_true",
                        help="Also unpickle arbitrary Python objects (runs code from the folder: only for a folder "
                             "from a source you trust). Default: only what a weights-only load accepts.")
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
    return Namespace(checkpoint_folder=folder, output_file=output, allow_pickle=getattr(args, "allow_pickle", False))


def main(argv: Optional[list] = None) -> Any:
    config = _process_cli_args(_parse_cli_args(argv))
    loaded = _load_distributed_checkpoint(config.checkpoint_folder, False if config.allow_pickle else None)
    checkpoint = _format_checkpoint(loaded)
    torch.save(checkpoint, config.output_file)
    return config.output_file


if __name__ == "__main__":
    import pickle

    try:
        main()
    except pickle.UnpicklingError as err:
        sys.exit(f"{err}\nFrom the command line, opt in with `--allow-pickle`.")
