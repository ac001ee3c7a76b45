"""``pytorch_lightning``: the 1.x namespace over the very same objects as ``lightning.pytorch``.

``pytorch_lightning.LightningModule is lightning.LightningModule``; every submodule is either the ``lightning.pytorch``
module itself under its old name, a thin overlay for a path 1.x spelled differently, or a 1.x-only module of this
package (see ``pytorch_lightning._aliases``). The translation of 1.x *usage* (old Trainer arguments, old hooks) lives
in ``lightning.pytorch`` itself, so old and new code mix freely. ``LIGHTNING_COMPAT_STRICT=1`` turns every legacy use
into the error Lightning 2.x raises.

``pytorch_lightning.__version__`` is ``"1.9.5"``, the 1.x release whose behaviour this namespace follows, so 1.x code
that branches on it (``Version(pl.__version__) < Version("1.6")``) takes its 1.x path; ``lightning.__version__`` and
the version written into checkpoints stay ``"2.6.6"``. Strict mode reports ``"2.6.6"``, as the real 2.x
``pytorch_lightning`` distribution does.
"""
import importlib
from typing import Any

from pytorch_lightning._aliases import install as _install

_install()

LEGACY_VERSION = "1.9.5"

_TOP_LEVEL = {
    "Callback": "lightning.pytorch.callbacks.callback",
    "LightningDataModule": "lightning.pytorch.core.datamodule",
    "LightningModule": "lightning.pytorch.core.module",
    "Trainer": "lightning.pytorch.trainer.trainer",
    "seed_everything": "lightning.fabric.utilities.seed",
}

__all__ = ["Callback", "LightningDataModule", "LightningModule", "Trainer", "seed_everything"]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # not cached: strict mode may be switched on later
        from lightning.pytorch._legacy.usage import strict_mode

        return importlib.import_module("lightning.__about__").__version__ if strict_mode() else LEGACY_VERSION
    home = _TOP_LEVEL.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:  # `pl.callbacks.ModelCheckpoint` without importing `pytorch_lightning.callbacks` first, as in 1.x
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_TOP_LEVEL) | {"__version__"})
