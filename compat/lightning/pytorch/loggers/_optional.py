"""The check every third-party logger runs at construction: is its client package installed?"""
import importlib.util


def _require(module: str, pip_name: str, logger_name: str) -> None:
    """Raise ``ModuleNotFoundError`` naming the package and the install command when ``module`` is missing."""
    if importlib.util.find_spec(module) is None:
        raise ModuleNotFoundError(
            f"`{logger_name}` needs the `{pip_name}` package, which is not installed."
            f" Install it with `pip install {pip_name}`, or use `CSVLogger` / `TensorBoardLogger` instead."
        )
