"""``_SubprocessScriptLauncher`` (re-runs the script per process, like torchrun): the Trainer's."""
from lightning.pytorch.strategies.launchers.subprocess_script import _SubprocessScriptLauncher

__all__ = ["_SubprocessScriptLauncher"]
