"""Snapshots of every random number generator (python, numpy, torch CPU/CUDA) as checkpoint-safe values.

Everything is plain ints, lists and tensors so that ``torch.load(weights_only=True)`` can read it back.
"""
import random


import torch


def snapshot_rng_states() -> dict:
    """The generators' states as they come (cheap: taken at every epoch start); ``checkpoint_safe`` turns a snapshot
    into checkpoint values when one is written."""
    states: dict = {"torch": torch.get_rng_state(), "python": random.getstate()}
    try:
        import numpy as np

        states["numpy"] = np.random.get_state()
    except ImportError:
        pass
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states["torch.cuda"] = torch.cuda.get_rng_state_all()
    return states


def checkpoint_safe(states: dict) -> dict:
    """A snapshot as plain values and tensors (already converted parts are kept as they are)."""
    out = dict(states)
    python = states.get("python")
    if isinstance(python, tuple):
        version, internal, gauss = python
        # one int64 tensor instead of 625 Python ints: far cheaper to pickle into every checkpoint
        out["python"] = {"version": version, "state": torch.tensor(internal, dtype=torch.int64), "gauss": gauss}
    numpy_state = states.get("numpy")
    if isinstance(numpy_state, tuple):
        kind, keys, pos, has_gauss, cached = numpy_state
        out["numpy"] = {"kind": kind, "keys": torch.from_numpy(keys.astype("int64")), "pos": int(pos),
                        "has_gauss": int(has_gauss), "cached_gaussian": float(cached)}
    return out


def collect_rng_states() -> dict:
    return checkpoint_safe(snapshot_rng_states())


def restore_rng_states(states: dict) -> None:
    torch.set_rng_state(states["torch"].cpu() if hasattr(states["torch"], "cpu") else states["torch"])
    python = states.get("python")
    if isinstance(python, tuple):
        random.setstate(python)
    elif python is not None:
        state = python["state"]
        state = tuple(state.tolist()) if isinstance(state, torch.Tensor) else tuple(state)
        random.setstate((python["version"], state, python["gauss"]))
    numpy_state = states.get("numpy")
    if isinstance(numpy_state, tuple):
        import numpy as np

        np.random.set_state(numpy_state)
    elif numpy_state is not None:
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
