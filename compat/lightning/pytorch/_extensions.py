"""The named points where 1.x support (:mod:`lightning.pytorch._legacy`) plugs into the 2.x code.

This is the one 2.x module that imports the legacy package (``tests/architecture/test_legacy_boundary.py`` fails on
any other): a 2.x module that needs a 1.x behaviour calls a name from here, never the legacy package itself.

* Trainer argument translation: :func:`trainer_arguments` (``Trainer.__init__``), :func:`constructor_arguments`
  (callbacks, loggers, ``LightningCLI``);
* API additions: :data:`TrainerAPI`, :data:`ModuleAPI`, :data:`DataModuleAPI`, the bases holding removed 1.x members;
* hook adaptation: :func:`run_adapters`, once per run; it fills the two slots the hot path checks against None,
  ``HookDispatcher.shims`` (1.x hook signatures) and ``TrainingEpochLoop.legacy_optimization`` (the optimizer loop
  adaptation for several optimizers in automatic optimization);
* 1.x verdicts: :func:`allows_multiple_optimizers`, :func:`reads_1x_metrics`, :func:`made_by_1x_code`;
* reporting: :func:`legacy_usage`, :func:`strict_mode`.

The mixins and the argument decorators are needed to define the 2.x classes; everything else imports its legacy
module on first call, so a 2.x run loads the migration table only when it meets a 1.x spelling.
"""
from typing import Any, Callable, Type

from lightning.pytorch._legacy.module_api import LegacyDataModuleAPI as DataModuleAPI
from lightning.pytorch._legacy.module_api import LegacyModuleAPI as ModuleAPI
from lightning.pytorch._legacy.trainer_api import LegacyTrainerAPI as TrainerAPI
from lightning.pytorch._legacy.usage import strict_mode

__all__ = ["DataModuleAPI", "ModuleAPI", "TrainerAPI", "allows_multiple_optimizers", "constructor_arguments",
           "legacy_usage", "made_by_1x_code", "reads_1x_metrics", "run_adapters", "strict_mode", "trainer_arguments"]


def trainer_arguments(init: Callable) -> Callable:
    """Decorate ``Trainer.__init__``: 1.x arguments are translated (strict mode: 2.x's error); signature unchanged."""
    from lightning.pytorch._legacy.trainer_args import accepts_legacy_arguments

    return accepts_legacy_arguments(init)


def constructor_arguments(cls_name: str) -> Callable:
    """Decorate the ``__init__`` of ``cls_name``, whose 1.x keywords are in table E of the migration table."""
    from lightning.pytorch._legacy.trainer_args import accepts_legacy_constructor_arguments

    return accepts_legacy_constructor_arguments(cls_name)


def run_adapters(trainer: Any, model: Any) -> list:
    """Once per run, before the hooks are resolved: give the 1.x hooks of ``model`` and the callbacks their 1.x
    meaning; returns the internal callbacks that needs (empty for 2.x code)."""
    from lightning.pytorch._legacy.hooks import legacy_run_callbacks

    return legacy_run_callbacks(trainer, model)


def allows_multiple_optimizers(model: Any) -> bool:
    """1.x code whose ``training_step`` takes ``optimizer_idx`` may return several optimizers in automatic
    optimization."""
    from lightning.pytorch._legacy.hooks import supports_multiple_optimizers

    return supports_multiple_optimizers(model)


def reads_1x_metrics(module: Any) -> bool:
    """Whether the Trainer's metric dictionaries read as in 1.9.5 for this module (1.x code, no strict mode)."""
    if strict_mode():
        return False
    from lightning.pytorch._legacy.hooks import written_for_1x

    return written_for_1x(module)


def made_by_1x_code() -> bool:
    """Whether the user code constructing one of our objects is 1.x code (docs/legacy.md, "1.x code")."""
    from lightning.pytorch._legacy.usage import made_by_1x_code as verdict

    return verdict()


def legacy_usage(message: str, error: Type[Exception] = TypeError, once: bool = True, stacklevel: int = 4) -> None:
    """Report a 1.x use: a ``LegacyUsageWarning`` once per message, or ``error`` in strict mode."""
    from lightning.pytorch._legacy.usage import legacy_usage as report

    report(message, error=error, once=once, stacklevel=stacklevel + 1)
