"""The precision plugin as Fabric's strategies drive it: 2.6.6's Fabric API (``pre_backward(tensor, module)``,
``backward(tensor, module, *args)``, ``post_backward``, ``optimizer_step(optimizer, **kwargs)``,
``unscale_gradients(optimizer)``).

A plugin whose ``optimizer_step`` takes the Trainer's ``closure`` (the Trainer's classes, which Fabric's precision
classes still are until they get Fabric's own methods) is seen through the loop adapter of
:mod:`lightning.fabric.plugins.precision.loop`. One view per plugin, made on first use.
"""
import inspect
from typing import Any

def has_fabric_api(plugin: Any) -> bool:
    return "closure" not in inspect.signature(plugin.optimizer_step).parameters


def fabric_precision(plugin: Any) -> Any:
    view = getattr(plugin, "_fabric_view", None)
    if view is not None:
        return view
    if has_fabric_api(plugin):
        view = plugin
    else:
        from lightning.fabric.plugins.precision.loop import _LoopPrecision

        view = _TrainerPluginView(plugin, _LoopPrecision(plugin))
    try:
        plugin._fabric_view = view
    except AttributeError:  # a plugin with __slots__: make a view per call
        pass
    return view


class _TrainerPluginView:
    """A Trainer precision plugin with Fabric's step API (the loop adapter's steps, without Trainer hooks)."""

    def __init__(self, plugin: Any, loop: Any) -> None:
        self.plugin = plugin
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loop, name)

    def pre_backward(self, tensor: Any, module: Any) -> Any:
        return tensor

    def backward(self, tensor: Any, module: Any, *args: Any, **kwargs: Any) -> None:
        self._loop.backward(tensor, *args, **kwargs)

    def post_backward(self, tensor: Any, module: Any) -> Any:
        return tensor
