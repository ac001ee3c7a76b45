"""``ModelPruning``: prune weights with ``torch.nn.utils.prune`` at epoch ends (global or per-layer), optionally
rewinding the surviving weights to their initial values (lottery ticket hypothesis), and write checkpoints with
the masks folded into the weights."""
import inspect
import logging
from copy import deepcopy
from functools import partial
from typing import Any, Callable, Optional, Sequence, Union

import torch.nn.utils.prune as pytorch_prune
from torch import Tensor, nn

from lightning.fabric.utilities.rank_zero import rank_zero_debug, rank_zero_only
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch.utilities.exceptions import MisconfigurationException

log = logging.getLogger(__name__)

_PRUNING_FUNCTIONS = {
    "ln_structured": pytorch_prune.ln_structured,
    "l1_unstructured": pytorch_prune.l1_unstructured,
    "random_structured": pytorch_prune.random_structured,
    "random_unstructured": pytorch_prune.random_unstructured,
}
_PRUNING_METHODS = {
    "ln_structured": pytorch_prune.LnStructured,
    "l1_unstructured": pytorch_prune.L1Unstructured,
    "random_structured": pytorch_prune.RandomStructured,
    "random_unstructured": pytorch_prune.RandomUnstructured,
}
_CONTAINERS = (LightningModule, nn.Sequential, nn.ModuleList, nn.ModuleDict)


class ModelPruning(Callback):
    """Prunes ``amount`` (a fraction, a count, or ``amount(epoch)``) of the ``parameters_to_prune`` (default: every
    ``weight`` and ``bias`` of the model's leaf modules) each epoch where ``apply_pruning`` (bool or
    ``fn(epoch)``) is true. ``pruning_fn`` is a name (``"l1_unstructured"``, ``"random_unstructured"``,
    ``"ln_structured"`` + ``pruning_dim``/``pruning_norm``, ``"random_structured"`` + ``pruning_dim``) or a
    ``BasePruningMethod`` subclass. ``use_global_unstructured`` ranks all parameters together."""

    PARAMETER_NAMES = ("weight", "bias")

    def __init__(self, pruning_fn: Union[Callable, str], parameters_to_prune: Sequence = (),
                 parameter_names: Optional[list] = None, use_global_unstructured: bool = True,
                 amount: Union[int, float, Callable[[int], Union[int, float]]] = 0.5,
                 apply_pruning: Union[bool, Callable[[int], bool]] = True, make_pruning_permanent: bool = True,
                 use_lottery_ticket_hypothesis: Union[bool, Callable[[int], bool]] = True,
                 resample_parameters: bool = False, pruning_dim: Optional[int] = None,
                 pruning_norm: Optional[int] = None, verbose: int = 0, prune_on_train_epoch_end: bool = True) -> None:
        self._use_global_unstructured = use_global_unstructured
        self._parameters_to_prune = parameters_to_prune
        self._use_lottery_ticket_hypothesis = use_lottery_ticket_hypothesis
        self._resample_parameters = resample_parameters
        self._prune_on_train_epoch_end = prune_on_train_epoch_end
        self._parameter_names = parameter_names or self.PARAMETER_NAMES
        self._global_kwargs: dict = {}
        self._original_layers: Optional[dict] = None
        self._pruning_method_name: Optional[str] = None
        for name in self._parameter_names:
            if name not in self.PARAMETER_NAMES:
                raise MisconfigurationException(
                    f"The provided `parameter_names` name: {name} isn't in {self.PARAMETER_NAMES}"
                )
        if isinstance(pruning_fn, str):
            pruning_fn = self._create_pruning_fn(pruning_fn.lower(), pruning_dim, pruning_norm)
        elif self._is_pruning_method(pruning_fn):
            if not use_global_unstructured:
                raise MisconfigurationException("PyTorch `BasePruningMethod` is currently only supported with "
                                                "`use_global_unstructured=True`.")
        else:
            raise MisconfigurationException(
                f"`pruning_fn` is expected to be a str in {list(_PRUNING_FUNCTIONS)} or a PyTorch "
                f"`BasePruningMethod`. Found: {pruning_fn}. HINT: if passing a `BasePruningMethod`, pass the class, "
                "not an instance"
            )
        if use_global_unstructured and pruning_fn.PRUNING_TYPE != "unstructured":
            raise MisconfigurationException(
                'Only the "unstructured" PRUNING_TYPE is supported with `use_global_unstructured=True`. Found method '
                f"{pruning_fn} of type {pruning_fn.PRUNING_TYPE}. Pass `use_global_unstructured=False` to prune "
                "each layer on its own."
            )
        self.pruning_fn = pruning_fn
        self._apply_pruning = apply_pruning
        self._make_pruning_permanent = make_pruning_permanent
        if not (isinstance(amount, (int, float)) or callable(amount)):
            raise MisconfigurationException("`amount` should be provided and be either an int, a float or Callable "
                                            "function.")
        self.amount = amount
        if verbose not in (0, 1, 2):
            raise MisconfigurationException("`verbose` must be any of (0, 1, 2)")
        self._verbose = verbose

    def _create_pruning_fn(self, name: str, dim: Optional[int], norm: Optional[int]) -> Any:
        if name not in _PRUNING_FUNCTIONS:
            raise MisconfigurationException(f"The provided `pruning_fn` {name} isn't available in PyTorch's built-in "
                                            f"functions: {list(_PRUNING_FUNCTIONS)} ")
        kwargs: dict = {}
        if name.endswith("_structured"):
            if dim is None:
                raise MisconfigurationException("When requesting `structured` pruning, the `pruning_dim` should be "
                                                "provided.")
            if name == "ln_structured":
                if norm is None:
                    raise MisconfigurationException("When requesting `ln_structured` pruning, the `pruning_norm` "
                                                    "should be provided.")
                kwargs["n"] = norm
            kwargs["dim"] = dim
        if self._use_global_unstructured:
            self._global_kwargs = kwargs
            method = _PRUNING_METHODS[name]
            self._pruning_method_name = method.__name__
            return method
        function = _PRUNING_FUNCTIONS[name]
        self._pruning_method_name = function.__name__
        return self._wrap_pruning_fn(function, **kwargs)

    @staticmethod
    def _wrap_pruning_fn(pruning_fn: Callable, **kwargs: Any) -> Callable:
        return partial(pruning_fn, **kwargs)

    @staticmethod
    def _is_pruning_method(method: Any) -> bool:
        return inspect.isclass(method) and issubclass(method, pytorch_prune.BasePruningMethod)

    def filter_parameters_to_prune(self, parameters_to_prune: Sequence = ()) -> Sequence:
        """Override to drop some ``(module, name)`` pairs after the defaults were resolved."""
        return parameters_to_prune

    # ------------------------------------------------------------ pruning
    def make_pruning_permanent(self, module: nn.Module) -> None:
        """Fold the masks into the weights and remove the pruning re-parametrisation from every submodule."""
        for _, submodule in module.named_modules():
            for key in list(submodule._forward_pre_hooks):
                hook = submodule._forward_pre_hooks[key]
                if isinstance(hook, pytorch_prune.BasePruningMethod):
                    hook.remove(submodule)
                    del submodule._forward_pre_hooks[key]

    @staticmethod
    def _copy_param(new: nn.Module, old: nn.Module, name: str) -> None:
        dst = getattr(new, name + "_orig") if hasattr(new, name + "_orig") else getattr(new, name)
        src = getattr(old, name)
        if isinstance(dst, Tensor) and isinstance(src, Tensor):
            dst.data = src.data.to(dst.device)

    def apply_lottery_ticket_hypothesis(self) -> None:
        """Reset the unpruned weights to their values at setup (or freshly re-initialised ones with
        ``resample_parameters=True``); the masks stay."""
        for layer in self._original_layers.values():
            original = layer["data"]
            if self._resample_parameters and callable(getattr(original, "reset_parameters", None)):
                original = deepcopy(original)
                original.reset_parameters()
            for index, name in layer["names"]:
                self._copy_param(self._parameters_to_prune[index][0], original, name)

    def _resolve_global_kwargs(self, amount: float) -> dict:
        self._global_kwargs["amount"] = amount
        accepted = set(inspect.signature(self.pruning_fn).parameters) - {"self"}
        return {k: v for k, v in self._global_kwargs.items() if k in accepted}

    @staticmethod
    def _get_pruned_stats(module: nn.Module, name: str) -> tuple:
        mask = getattr(module, f"{name}_mask", None)
        if mask is None:
            return 0, 1
        return (mask == 0).sum().item(), mask.numel()

    def apply_pruning(self, amount: Union[int, float]) -> None:
        """Prune ``amount`` now (globally or per layer), logging sparsity when ``verbose``."""
        before = [self._get_pruned_stats(m, n) for m, n in self._parameters_to_prune] if self._verbose else None
        if self._use_global_unstructured:
            pytorch_prune.global_unstructured(self._parameters_to_prune, pruning_method=self.pruning_fn,
                                              **self._resolve_global_kwargs(amount))
        else:
            for module, name in self._parameters_to_prune:
                self.pruning_fn(module, name=name, amount=amount)
        if before is not None:
            self._log_sparsity_stats(before, [self._get_pruned_stats(m, n) for m, n in self._parameters_to_prune],
                                     amount=amount)

    @rank_zero_only
    def _log_sparsity_stats(self, prev: list, curr: list, amount: Union[int, float] = 0) -> None:
        total = sum(size for _, size in curr)
        prev_zeros = sum(zeros for zeros, _ in prev)
        curr_zeros = sum(zeros for zeros, _ in curr)
        log.info(f"Applied `{self._pruning_method_name}`. Pruned: {prev_zeros}/{total} ({prev_zeros / total:.2%}) -> "
                 f"{curr_zeros}/{total} ({curr_zeros / total:.2%})")
        if self._verbose == 2:
            for (module, name), (p_zeros, p_size), (c_zeros, c_size) in zip(self._parameters_to_prune, prev, curr):
                log.info(f"Applied `{self._pruning_method_name}` to `{module!r}.{name}` with amount={amount}. Pruned: "
                         f"{p_zeros} ({p_zeros / p_size:.2%}) -> {c_zeros} ({c_zeros / c_size:.2%})")

    def _run_pruning(self, current_epoch: int) -> None:
        prune = self._apply_pruning(current_epoch) if callable(self._apply_pruning) else self._apply_pruning
        amount = self.amount(current_epoch) if callable(self.amount) else self.amount
        if not prune or not amount:
            return
        self.apply_pruning(amount)
        rewind = self._use_lottery_ticket_hypothesis
        if rewind(current_epoch) if callable(rewind) else rewind:
            self.apply_lottery_ticket_hypothesis()

    # ------------------------------------------------------------ hooks
    def setup(self, trainer: Any, pl_module: LightningModule, stage: str) -> None:
        resolved = self.sanitize_parameters_to_prune(pl_module, self._parameters_to_prune,
                                                     parameter_names=self._parameter_names)
        self._parameters_to_prune = self.filter_parameters_to_prune(resolved)
        if self._use_lottery_ticket_hypothesis:
            # one deep copy per module (not per parameter), remembering which indices refer to it
            self._original_layers = {}
            for index, (module, name) in enumerate(self._parameters_to_prune):
                layer = self._original_layers.setdefault(id(module), {"data": deepcopy(module), "names": []})
                layer["names"].append((index, name))

    def on_train_epoch_end(self, trainer: Any, pl_module: LightningModule) -> None:
        if self._prune_on_train_epoch_end:
            rank_zero_debug("`ModelPruning.on_train_epoch_end`. Applying pruning")
            self._run_pruning(pl_module.current_epoch)

    def on_validation_epoch_end(self, trainer: Any, pl_module: LightningModule) -> None:
        if not trainer.sanity_checking and not self._prune_on_train_epoch_end:
            rank_zero_debug("`ModelPruning.on_validation_epoch_end`. Applying pruning")
            self._run_pruning(pl_module.current_epoch)

    def on_train_end(self, trainer: Any, pl_module: LightningModule) -> None:
        if self._make_pruning_permanent:
            self.make_pruning_permanent(pl_module)

    def _make_pruning_permanent_on_state_dict(self, pl_module: LightningModule) -> dict:
        state_dict = pl_module.state_dict()
        for name in {k[:-len("_mask")] for k in state_dict if k.endswith("_mask")}:
            original = state_dict.pop(name + "_orig")
            mask = state_dict.pop(name + "_mask")
            state_dict[name] = mask.to(dtype=original.dtype) * original
        return {k: (v.cpu() if isinstance(v, Tensor) else v) for k, v in state_dict.items()}

    def on_save_checkpoint(self, trainer: Any, pl_module: LightningModule, checkpoint: dict) -> None:
        if self._make_pruning_permanent:
            checkpoint["state_dict"] = self._make_pruning_permanent_on_state_dict(pl_module)

    @staticmethod
    def sanitize_parameters_to_prune(pl_module: LightningModule, parameters_to_prune: Sequence = (),
                                     parameter_names: Sequence = ()) -> Sequence:
        """Check user-given ``(module, name)`` pairs, or build them from ``parameter_names`` over the leaf
        modules."""
        names = parameter_names or ModelPruning.PARAMETER_NAMES
        leaves = [m for m in pl_module.modules() if not isinstance(m, _CONTAINERS)]
        if not parameters_to_prune:
            return [(m, p) for p in names for m in leaves if isinstance(getattr(m, p, None), nn.Parameter)]
        well_formed = isinstance(parameters_to_prune, (list, tuple)) and all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 and isinstance(pair[0], nn.Module)
            and isinstance(pair[1], str) for pair in parameters_to_prune
        )
        if not well_formed:
            raise MisconfigurationException("The provided `parameters_to_prune` should either be list of tuple with "
                                            "2 elements: (nn.Module, parameter_name_to_prune) or None")
        missing_modules = [m for m, _ in parameters_to_prune if m not in leaves]
        missing_parameters = [n for m, n in parameters_to_prune if m in leaves and not hasattr(m, n)]
        if missing_modules or missing_parameters:
            raise MisconfigurationException(
                "Some provided `parameters_to_prune` don't exist in the model. Found missing modules: "
                f"{missing_modules} and missing parameters: {missing_parameters}"
            )
        return parameters_to_prune
