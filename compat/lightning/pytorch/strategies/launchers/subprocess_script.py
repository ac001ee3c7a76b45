"""The Trainer's ``_SubprocessScriptLauncher`` (``strategy="ddp"``): the engine's
(``lightning.fabric.strategies.launchers.subprocess_script``), launched with the Trainer's ``trainer=`` keyword."""
from typing import Any, Callable, Optional

from lightning.fabric.strategies.launchers.subprocess_script import (  # noqa: F401 - the module's helpers, here too
    _ChildProcessObserver,
    _script_command,
)
from lightning.fabric.strategies.launchers.subprocess_script import _SubprocessScriptLauncher as _EngineLauncher

__all__ = ["_SubprocessScriptLauncher"]


class _SubprocessScriptLauncher(_EngineLauncher):
    def launch(self, function: Callable, *args: Any, trainer: Optional[Any] = None, **kwargs: Any) -> Any:
        return super().launch(function, *args, **kwargs)
