"""The engine's accelerators and precision plugins and the Trainer's classes built on them have 2.6.6's method
signatures: Fabric's ``backward(tensor, model, *args)`` / ``optimizer_step(optimizer, **kwargs)``, the Trainer's
``backward(tensor, model, optimizer, ...)`` / ``optimizer_step(optimizer, model, closure, ...)``, and so on."""
from tests.surface.test_signatures import _differences


def _engine_class(key: str) -> bool:
    """A method of an accelerator or precision class, under whichever of its public paths 2.6.6 lists."""
    parts = key.split(".")
    return len(parts) > 2 and parts[-2].endswith(("Precision", "Accelerator")) and parts[0] == "lightning"


def test_engine_classes_methods_match_2_6_6():
    assert [d for d in _differences() if _engine_class(d[0])] == []


def test_the_filter_sees_the_engine_classes():
    assert _engine_class("lightning.fabric.plugins.MixedPrecision.optimizer_step")
    assert _engine_class("lightning.pytorch.accelerators.cuda.CUDAAccelerator.parse_devices")
    assert not _engine_class("lightning.pytorch.plugins.TorchCheckpointIO.load_checkpoint")
