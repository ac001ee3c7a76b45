from lightning.pytorch.core.mixins.hparams_mixin import HyperparametersMixin

__all__ = ["HyperparametersMixin"]
