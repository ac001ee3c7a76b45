"""One clear error for the classes whose backend this project does not drive (DeepSpeed, bitsandbytes,
TransformerEngine, XLA/TPU): they exist with 2.6.6's signatures so that imports, type hints and ``isinstance``
checks in user code work, and constructing one says what is missing and what to use instead."""
from typing import NoReturn

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.imports import package_available


def unavailable(feature: str, package: str, install: str, instead: str,
                error: type = ModuleNotFoundError) -> NoReturn:
    """Raise for ``feature`` (a class name): ``package`` is the import it needs, ``install`` how to get it and
    ``instead`` what works here. Without the package the error is of the kind 2.6.6 raises there (``error``); with
    it, this project still cannot drive it, and says so (NotImplementedError)."""
    if not package_available(package):
        raise error(
            f"`{feature}` requires `{package}`, which is not installed ({install}). "
            f"lightning-compat does not drive {package} either: {instead}."
        )
    raise NotImplementedError(
        f"`{feature}` is not implemented by lightning-compat (`{package}` is installed, but this project does not "
        f"drive it): {instead}."
    )


def xla_unavailable(feature: str) -> NoReturn:
    unavailable(feature, "torch_xla", "it needs a TPU host and `pip install torch_xla`",
                "run on CPU/CUDA with strategy='ddp' or 'fsdp'")


def deepspeed_unavailable(feature: str, error: type = MisconfigurationException) -> NoReturn:
    unavailable(feature, "deepspeed", "`pip install deepspeed`",
                "use strategy='fsdp' (FSDPStrategy) for sharded training", error=error)
