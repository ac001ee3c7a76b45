"""Inspect the parameters of a user's hook, e.g. whether ``training_step`` takes ``batch_idx``."""
import inspect
from typing import Callable, Optional


def is_param_in_hook_signature(
    hook_fx: Callable, param: str, explicit: bool = False, min_args: Optional[int] = None
) -> bool:
    """True if ``hook_fx`` accepts ``param`` by name, or through ``*args`` unless ``explicit``.

    ``min_args``: also true when the hook accepts at least that many positional arguments.
    """
    # a decorated hook (functools.wraps) is judged by the function it wraps, one level down as 2.x does
    parameters = inspect.getfullargspec(getattr(hook_fx, "__wrapped__", hook_fx))
    args = parameters.args[1:]  # drop `self`
    return (
        param in args
        or (not explicit and parameters.varargs is not None)
        or (isinstance(min_args, int) and len(args) >= min_args)
    )
