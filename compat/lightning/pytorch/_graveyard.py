"""Names of removed or renamed classes that real 2.6.6 still answers to, for code written against older releases:
the ``*PrecisionPlugin`` spellings of the precision plugins (deprecated subclasses of the new classes) and the
TPU/HPU classes (TPU ones are deprecated XLA subclasses; HPU ones were removed and say so when constructed).

The package namespaces (``plugins``, ``plugins.precision``, ``plugins.io``, ``strategies``, ``accelerators``) hand
them out through ``deprecated(name)`` on first access, so nothing here is imported unless asked for.
"""
from typing import Any

from lightning.fabric.utilities.rank_zero import rank_zero_deprecation
from lightning.pytorch.accelerators.xla import XLAAccelerator
from lightning.pytorch.plugins.precision.amp import MixedPrecision
from lightning.pytorch.plugins.precision.bitsandbytes import BitsandbytesPrecision
from lightning.pytorch.plugins.precision.deepspeed import DeepSpeedPrecision
from lightning.pytorch.plugins.precision.double import DoublePrecision
from lightning.pytorch.plugins.precision.fsdp import FSDPPrecision
from lightning.pytorch.plugins.precision.half import HalfPrecision
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.plugins.precision.transformer_engine import TransformerEnginePrecision
from lightning.pytorch.plugins.precision.xla import XLAPrecision
from lightning.pytorch.strategies.single_xla import SingleDeviceXLAStrategy


class _Renamed:
    """Mixin: warn that the class was renamed, then construct the new class (the next base in the MRO)."""

    _new_home = "lightning.pytorch.plugins.precision"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        mro = type(self).__mro__
        at = mro.index(_Renamed)  # old name just before it, the 2.x class just after (user subclasses included)
        rank_zero_deprecation(f"The `{mro[at - 1].__name__}` is deprecated. Use "
                              f"`{self._new_home}.{mro[at + 1].__name__}` instead.")
        super().__init__(*args, **kwargs)


class PrecisionPlugin(_Renamed, Precision):
    pass


class MixedPrecisionPlugin(_Renamed, MixedPrecision):
    pass


class DoublePrecisionPlugin(_Renamed, DoublePrecision):
    pass


class HalfPrecisionPlugin(_Renamed, HalfPrecision):
    pass


class FSDPPrecisionPlugin(_Renamed, FSDPPrecision):
    pass


class FSDPMixedPrecisionPlugin(FSDPPrecision):
    """The 2.0 spelling, which also took the device: ``FSDPMixedPrecisionPlugin(precision, device, scaler)``."""

    def __init__(self, precision: str, device: str, scaler: Any = None) -> None:
        rank_zero_deprecation("The `FSDPMixedPrecisionPlugin` is deprecated. Use "
                              "`lightning.pytorch.plugins.precision.FSDPPrecision` instead.")
        super().__init__(precision=precision, scaler=scaler)


class DeepSpeedPrecisionPlugin(_Renamed, DeepSpeedPrecision):
    pass


class BitsandbytesPrecisionPlugin(_Renamed, BitsandbytesPrecision):
    pass


class TransformerEnginePrecisionPlugin(_Renamed, TransformerEnginePrecision):
    pass


class XLAPrecisionPlugin(_Renamed, XLAPrecision):
    pass


class TPUPrecisionPlugin(_Renamed, XLAPrecision):
    pass


class TPUBf16PrecisionPlugin(_Renamed, XLAPrecision):
    pass


class XLABf16PrecisionPlugin(_Renamed, XLAPrecision):
    pass


class TPUAccelerator(_Renamed, XLAAccelerator):
    _new_home = "lightning.pytorch.accelerators"


class SingleTPUStrategy(_Renamed, SingleDeviceXLAStrategy):
    _new_home = "lightning.pytorch.strategies"


class _Removed:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"The `{type(self).__name__}` class has been removed from Lightning (Habana HPU "
                                  "support lives in the separate `lightning-habana` package).")


class HPUAccelerator(_Removed):
    pass


class HPUParallelStrategy(_Removed):
    pass


class SingleHPUStrategy(_Removed):
    pass


class HPUCheckpointIO(_Removed):
    pass


class HPUPrecisionPlugin(_Removed):
    pass


def deprecated(name: str, module: str = "lightning.pytorch") -> type:
    """The class answering to the old ``name`` (the AttributeError of a missing attribute of ``module`` otherwise)."""
    value = globals().get(name)
    if not isinstance(value, type) or name.startswith("_"):
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return value
