"""``save_hyperparameters`` and ``hparams``: shared by LightningModule and LightningDataModule."""
import copy
import inspect
import types
from argparse import Namespace
from contextvars import ContextVar
from typing import Any, MutableMapping, Optional, Sequence, Union

from lightning.fabric.utilities.data import AttributeDict
from lightning.pytorch.utilities.parsing import save_hyperparameters

# set by LightningCLI while it instantiates, so that save_hyperparameters records its config, not the frame
_given_hyperparameters: ContextVar = ContextVar("_given_hyperparameters", default=None)

_PRIMITIVE_TYPES = (bool, int, float, str)  # a single value cannot be the hyperparameters: it has no names


class HyperparametersMixin:
    __jit_unused_properties__: list = ["hparams", "hparams_initial"]

    def __init__(self) -> None:
        super().__init__()
        self._log_hyperparams = False

    def save_hyperparameters(
        self,
        *args: Any,
        ignore: Optional[Union[Sequence[str], str]] = None,
        frame: Optional[types.FrameType] = None,
        logger: bool = True,
    ) -> None:
        """Record the ``__init__`` arguments (all, the named ones, or one dict/Namespace) as ``self.hparams``.

        They are written into checkpoints (so ``load_from_checkpoint`` can rebuild the object) and sent to the loggers
        unless ``logger=False``. ``ignore`` leaves names out (e.g. an ``nn.Module`` argument).
        """
        self._log_hyperparams = logger
        given = _given_hyperparameters.get()
        if given is None and frame is None:
            current = inspect.currentframe()
            frame = current.f_back if current is not None else None
        save_hyperparameters(self, *args, ignore=ignore, frame=frame, given_hparams=given)

    def _set_hparams(self, hp: Union[MutableMapping, Namespace, str]) -> None:
        hp = self._to_hparams_dict(hp)
        if isinstance(hp, dict) and isinstance(self.hparams, dict):
            self.hparams.update(hp)
        else:
            self._hparams = hp

    def remove_ignored_hparams(self, ignore_list: Sequence[str]) -> None:
        """Drop ``ignore_list`` from the saved hyperparameters (a subclass ignoring what its base class saved)."""
        for key in ignore_list:
            self._hparams.pop(key, None)

    @staticmethod
    def _to_hparams_dict(hp: Any) -> Any:
        if isinstance(hp, Namespace):
            hp = vars(hp)
        if isinstance(hp, dict):
            hp = AttributeDict(hp)
        elif isinstance(hp, _PRIMITIVE_TYPES):
            raise ValueError(
                f"Primitives {_PRIMITIVE_TYPES} are not allowed as the hyperparameters object: pass the argument's "
                f"name instead (`save_hyperparameters('name')`), not its value {hp!r}."
            )
        elif not isinstance(hp, MutableMapping):
            raise ValueError(
                f"Unsupported config type of {type(hp)}: save_hyperparameters accepts a dict, an argparse.Namespace "
                "or argument names."
            )
        return hp

    @property
    def hparams(self) -> Union[AttributeDict, MutableMapping]:
        """The saved hyperparameters (an ``AttributeDict``); empty until ``save_hyperparameters`` is called."""
        if not hasattr(self, "_hparams"):
            self._hparams = AttributeDict()
        return self._hparams

    @property
    def hparams_initial(self) -> AttributeDict:
        """A deep copy of the hyperparameters as they were when saved (what loggers receive): changing it, or what
        it holds, changes nothing."""
        if not hasattr(self, "_hparams_initial"):
            return AttributeDict()
        return copy.deepcopy(self._hparams_initial)
