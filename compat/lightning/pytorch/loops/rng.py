"""Snapshots of every random number generator (python, numpy, torch CPU/CUDA) as checkpoint-safe values.

Everything is plain ints, lists and tensors so that ``torch.load(weights_only=True)`` can read it back.
"""
import random


import torch


def collect_rng_states() -> dict:
    python_version, python_internal, python_gauss = random.getstate()
    states: dict = {
        "torch": torch.get_rng_state(),
        # one int64 tensor instead of 625 Python ints: far cheaper to pickle into every checkpoint
        "python": {"version": python_version, "state": torch.tensor(python_internal, dtype=torch.int64),
                   "gauss": python_gauss},
    }
    try:
        import numpy as np

        kind, keys, pos, has_gauss, cached = np.random.get_state()
        states["numpy"] = {
            "kind": kind, "keys": torch.from_numpy(keys.astype("int64")), "pos": int(pos),
            "has_gauss": int(has_gauss), "cached_gaussian": float(cached),
        }
    except ImportError:
        pass
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states["torch.cuda"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: dict) -> None:
    torch.set_rng_state(states["torch"].cpu() if hasattr(states["torch"], "cpu") else states["torch"])
    python = states.get("python")
    if python is not None:
        state = python["state"]
        state = tuple(state.tolist()) if isinstance(state, torch.Tensor) else tuple(state)
        random.setstate((python["version"], state, python["gauss"]))
    numpy_state = states.get("numpy")
    if numpy_state is not None:
        try:
            import numpy as np
        except ImportError:
            np = None  # type: ignore[assignment]
        if np is not None:
            np.random.set_state((
                numpy_state["kind"], numpy_state["keys"].numpy().astype("uint32"), numpy_state["pos"],
                numpy_state["has_gauss"], numpy_state["cached_gaussian"],
            ))
    cuda = states.get("torch.cuda")
    if cuda is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(cuda)
