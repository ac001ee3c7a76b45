"""Exceptions raised by the Trainer; ``MisconfigurationException`` is the same class as Fabric's."""
from lightning.fabric.utilities.exceptions import MisconfigurationException

__all__ = ["MisconfigurationException", "SIGTERMException"]


class SIGTERMException(SystemExit):
    """Raised inside the loops when the process received SIGTERM, so that teardown still runs."""


class _TunerExitException(Exception):
    """Raised by the tuner callbacks after their search when called from ``Tuner``: ends the trainer call cleanly."""
