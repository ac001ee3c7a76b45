"""The Trainer and the pieces its entry points are assembled from (data, devices, dispatch, metric flow, states)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"Trainer": "trainer"}
__all__ = ["Trainer", "seed_everything"]
_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name == "seed_everything":
        from lightning.fabric.utilities.seed import seed_everything

        return seed_everything
    return _getattr(name)
