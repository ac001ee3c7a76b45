"""Warning categories users filter on."""
import warnings


class PossibleUserWarning(UserWarning):
    """Something that is often a mistake but may be intended (e.g. few dataloader workers)."""


def disable_possible_user_warnings(module: str = "") -> None:
    """Silence every :class:`PossibleUserWarning`, optionally only those raised from ``module``."""
    warnings.filterwarnings("ignore", category=PossibleUserWarning, module=module)


def _apply_environment() -> None:
    """``POSSIBLE_USER_WARNINGS=0`` (or ``off``) silences them for the whole process, read when lightning is imported."""
    import os

    if os.environ.get("POSSIBLE_USER_WARNINGS", "").lower() in ("0", "off"):
        disable_possible_user_warnings()
