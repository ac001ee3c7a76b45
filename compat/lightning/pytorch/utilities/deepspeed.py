"""DeepSpeed ZeRO checkpoints -> one fp32 ``state_dict`` file that loads without DeepSpeed."""
import os
from typing import Any, Optional

import torch

from lightning.fabric.utilities.types import _PATH

_CPU = torch.device("cpu")


def ds_checkpoint_dir(checkpoint_dir: _PATH, tag: Optional[str] = None) -> str:
    """The folder holding the shards of checkpoint ``tag`` (read from the ``latest`` file when not given)."""
    if tag is None:
        latest = os.path.join(checkpoint_dir, "latest")
        if not os.path.isfile(latest):
            raise ValueError(f"Unable to find 'latest' file at {latest}; pass `tag=` naming the checkpoint folder.")
        with open(latest) as f:
            tag = f.read().strip()
    directory = os.path.join(checkpoint_dir, tag)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Directory '{directory}' doesn't exist")
    return directory


def convert_zero_checkpoint_to_fp32_state_dict(checkpoint_dir: _PATH, output_file: _PATH,
                                               tag: Optional[str] = None) -> dict:
    """Consolidate a ZeRO (stage 2/3) checkpoint folder into ``output_file``, a Lightning checkpoint whose
    ``state_dict`` holds fp32 weights. Needs the ``deepspeed`` package."""
    try:
        from deepspeed.utils.zero_to_fp32 import get_fp32_state_dict_from_zero_checkpoint
    except ImportError as err:
        raise ModuleNotFoundError(
            "Converting a DeepSpeed ZeRO checkpoint needs `deepspeed` (pip install deepspeed)."
        ) from err
    state_dict = get_fp32_state_dict_from_zero_checkpoint(checkpoint_dir, tag)
    directory = ds_checkpoint_dir(checkpoint_dir, tag)
    optim_files = sorted(f for f in os.listdir(directory) if f.endswith("model_states.pt"))
    client_state: dict[str, Any] = torch.load(os.path.join(directory, optim_files[0]), map_location=_CPU,
                                              weights_only=False) if optim_files else {}
    # DeepSpeed-specific entries are dropped; the weights live without the "_forward_module." prefix
    client_state = {k: v for k, v in client_state.items() if k not in (
        "module", "buffer_names", "optimizer", "param_shapes", "lr_scheduler", "sparse_tensor_module_names",
        "skipped_steps", "global_steps", "global_samples", "dp_world_size", "mp_world_size", "ds_config",
        "ds_version")}
    client_state["state_dict"] = {k.replace("_forward_module.", "", 1): v for k, v in state_dict.items()}
    torch.save(client_state, output_file)
    return client_state
