"""The layer table shown at the start of ``fit``: one row per (sub)module with its type, parameter count, train/eval
mode, FLOPs and, when the module has an ``example_input_array``, input and output shapes; then the totals
(trainable / non-trainable / total parameters, estimated size in MB, modules per mode, total FLOPs).
"""
import contextlib
import math
from collections import OrderedDict
from typing import Any, Optional, Union

import torch
from torch import Tensor, nn

from lightning.fabric.utilities.rank_zero import WarningCache, rank_zero_warn

warning_cache = WarningCache()

PARAMETER_NUM_UNITS = [" ", "K", "M", "B", "T"]
UNKNOWN_SIZE = "?"
LEFTOVER_PARAMS_NAME = "other params"
NOT_APPLICABLE = "n/a"
_PRECISION_BITS = {
    "64": 64, "32": 32, "16": 16, "bf16": 16, "16-true": 16, "bf16-true": 16, "32-true": 32, "64-true": 64,
}


class LayerSummary:
    """Type, parameter count, mode and (after one forward pass) input/output shapes of one module.

    A forward hook records the shapes of the first call and then removes itself.
    """

    def __init__(self, module: nn.Module) -> None:
        self._module = module
        self._in_size: Optional[Union[str, list]] = None
        self._out_size: Optional[Union[str, list]] = None
        self._hook_handle = self._register_hook()

    def __del__(self) -> None:
        self.detach_hook()

    def _register_hook(self) -> Any:
        if isinstance(self._module, torch.jit.ScriptModule):  # script modules take no Python hooks
            return None

        def record_shapes(_: nn.Module, args: tuple, kwargs: dict, out: Any) -> None:
            inputs = (*args, *kwargs.values()) if kwargs else args
            self._in_size = parse_batch_shape(inputs[0] if len(inputs) == 1 else inputs)
            self._out_size = parse_batch_shape(out)
            self.detach_hook()

        return self._module.register_forward_hook(record_shapes, with_kwargs=True)

    def detach_hook(self) -> None:
        """Remove the shape hook (if the forward pass has not removed it already)."""
        handle = getattr(self, "_hook_handle", None)
        if handle is not None:
            handle.remove()

    @property
    def in_size(self) -> Union[str, list]:
        return self._in_size or UNKNOWN_SIZE

    @property
    def out_size(self) -> Union[str, list]:
        return self._out_size or UNKNOWN_SIZE

    @property
    def layer_type(self) -> str:
        return type(self._module).__name__

    @property
    def num_parameters(self) -> int:
        return _count(self._module.parameters())

    @property
    def training(self) -> bool:
        return self._module.training


class ModelSummary:
    """Summary of the layers of ``model``; ``str(summary)`` is the table.

    Args:
        model: The (Lightning) module to summarize.
        max_depth: How deep to list submodules: 1 lists the direct children, -1 every module, 0 none.

    With ``model.example_input_array`` set, the model is run once (in eval mode, without gradients) on it to find
    each layer's input and output shapes and FLOPs; layers the forward pass never reached show ``?``.
    """

    def __init__(self, model: nn.Module, max_depth: int = 1) -> None:
        if not isinstance(max_depth, int) or isinstance(max_depth, bool) or max_depth < -1:
            raise ValueError(f"`max_depth` can be -1, 0 or > 0, got {max_depth} (-1: every level, 0: no table).")
        self._model = model
        self._max_depth = max_depth
        from torch.utils.flop_counter import FlopCounterMode

        self._flop_counter = FlopCounterMode(display=False, depth=max_depth + 1)
        self._layer_summary = self.summarize()
        self._precision_megabytes = (self._precision_bits() / 8.0) * 1e-6

    def _precision_bits(self) -> int:
        trainer = getattr(self._model, "_trainer", None)
        if trainer is None:
            return 32
        precision = str(trainer.precision)
        if precision not in _PRECISION_BITS:
            rank_zero_warn(
                f"Precision {precision} is not supported by the model summary; its estimated model size assumes 32 bits"
                " per parameter.",
                category=UserWarning,
            )
        return _PRECISION_BITS.get(precision, 32)

    @property
    def named_modules(self) -> list[tuple[str, nn.Module]]:
        if self._max_depth == 0:
            return []
        if self._max_depth == 1:
            return list(self._model.named_children())
        return list(self._model.named_modules())[1:]  # without the root module

    @property
    def layer_names(self) -> list[str]:
        return list(self._layer_summary)

    @property
    def layer_types(self) -> list[str]:
        return [layer.layer_type for layer in self._layer_summary.values()]

    @property
    def in_sizes(self) -> list:
        return [layer.in_size for layer in self._layer_summary.values()]

    @property
    def out_sizes(self) -> list:
        return [layer.out_size for layer in self._layer_summary.values()]

    @property
    def param_nums(self) -> list[int]:
        return [layer.num_parameters for layer in self._layer_summary.values()]

    @property
    def training_modes(self) -> list[bool]:
        return [layer.training for layer in self._layer_summary.values()]

    @property
    def total_training_modes(self) -> dict[str, int]:
        modes = [module.training for module in self._model.modules()][1:]
        return {"train": modes.count(True), "eval": modes.count(False)}

    @property
    def total_parameters(self) -> int:
        return _count(self._model.parameters())

    @property
    def trainable_parameters(self) -> int:
        return _count(p for p in self._model.parameters() if p.requires_grad)

    @property
    def total_layer_params(self) -> int:
        return sum(self.param_nums)

    @property
    def model_size(self) -> float:
        """Estimated size of the parameters in MB at the trainer's precision (32 bits without a trainer)."""
        return self.total_parameters * self._precision_megabytes

    @property
    def total_flops(self) -> int:
        return self._flop_counter.get_total_flops()

    @property
    def flop_counts(self) -> dict[str, dict[Any, int]]:
        counts = self._flop_counter.get_flop_counts()
        root = type(self._model).__name__
        return {name: counts.get(f"{root}.{name}", {}) for name in self.layer_names}

    def summarize(self) -> "OrderedDict[str, LayerSummary]":
        summary = OrderedDict((name, LayerSummary(module)) for name, module in self.named_modules)
        if getattr(self._model, "example_input_array", None) is not None:
            self._forward_example_input()
        for layer in summary.values():
            layer.detach_hook()
        if self._max_depth >= 1:
            for name in [name for name in summary if name.count(".") >= self._max_depth]:
                del summary[name]
        return summary

    def _forward_example_input(self) -> None:
        model = self._model
        example = _example_input_on_device(model, model.example_input_array)
        modes = {module: module.training for module in model.modules()}
        trainer = getattr(model, "_trainer", None)
        plugin = getattr(trainer, "precision_plugin", None) if trainer is not None else None
        forward_context = plugin.forward_context() if plugin is not None else contextlib.nullcontext()
        model.eval()
        try:
            with torch.no_grad(), forward_context, self._flop_counter:
                if isinstance(example, (list, tuple)):
                    model(*example)
                elif isinstance(example, dict):
                    model(**example)
                else:
                    model(example)
        finally:
            for module, training in modes.items():
                module.training = training

    def _get_summary_data(self) -> list[tuple[str, list[str]]]:
        """The table's columns as ``(header, cells)`` pairs."""
        flops = [sum(counts.values()) for counts in self.flop_counts.values()]
        columns = [
            (" ", [str(i) for i in range(len(self._layer_summary))]),
            ("Name", self.layer_names),
            ("Type", self.layer_types),
            ("Params", [get_human_readable_count(n) for n in self.param_nums]),
            ("Mode", ["train" if training else "eval" for training in self.training_modes]),
            ("FLOPs", [get_human_readable_count(n) for n in flops]),
        ]
        if getattr(self._model, "example_input_array", None) is not None:
            columns.append(("In sizes", [str(size) for size in self.in_sizes]))
            columns.append(("Out sizes", [str(size) for size in self.out_sizes]))
        leftover = self.total_parameters - self.total_layer_params
        if leftover > 0:  # parameters owned directly by the root module (or deeper than the table goes)
            extra = {" ": " ", "Name": LEFTOVER_PARAMS_NAME, "Params": get_human_readable_count(leftover)}
            for header, cells in columns:
                cells.append(extra.get(header, NOT_APPLICABLE))
        return columns

    def __str__(self) -> str:
        return _format_summary_table(
            self.total_parameters,
            self.trainable_parameters,
            self.model_size,
            self.total_training_modes,
            self.total_flops,
            *self._get_summary_data(),
        )

    def __repr__(self) -> str:
        return str(self)


def parse_batch_shape(batch: Any) -> Union[str, list]:
    """The shape of a tensor as a list; nested lists for lists/tuples of tensors; ``?`` for anything else."""
    if hasattr(batch, "shape"):
        return list(batch.shape)
    if isinstance(batch, (list, tuple)):
        return [parse_batch_shape(item) for item in batch]
    return UNKNOWN_SIZE


def _format_summary_table(
    total_parameters: int,
    trainable_parameters: int,
    model_size: float,
    total_training_modes: dict[str, int],
    total_flops: int,
    *cols: tuple[str, list[str]],
) -> str:
    """Lay out ``cols`` (``(header, cells)`` pairs) as a ``|``-separated table followed by the totals."""
    n_rows = len(cols[0][1]) if cols else 0
    widths = [max([len(header), *(len(str(cell)) for cell in cells)]) for header, cells in cols]
    rule = "-" * (sum(widths) + 3 * (len(cols) + 1))

    def line(cells: list) -> str:
        return " | ".join(f"{str(cell):<{width}}" for cell, width in zip(cells, widths))

    lines = [line([header for header, _ in cols]), rule]
    lines += [line([cells[i] for _, cells in cols]) for i in range(n_rows)]
    lines.append(rule)
    totals = [
        (get_human_readable_count(trainable_parameters), "Trainable params"),
        (get_human_readable_count(total_parameters - trainable_parameters), "Non-trainable params"),
        (get_human_readable_count(total_parameters), "Total params"),
        (get_formatted_model_size(model_size), "Total estimated model params size (MB)"),
        (total_training_modes["train"], "Modules in train mode"),
        (total_training_modes["eval"], "Modules in eval mode"),
        (get_human_readable_count(total_flops), "Total Flops"),
    ]
    lines += [f"{str(value):<10}{label}" for value, label in totals]
    return "\n".join(lines)


def get_formatted_model_size(total_model_size: float) -> str:
    """Megabytes with three decimals and thousands separators."""
    return f"{total_model_size:,.3f}"


def get_human_readable_count(number: int) -> str:
    """Shorten a count with K/M/B/T: ``123`` -> ``'123  '``, ``1234`` -> ``'1.2 K'``, ``4e14`` -> ``'400 T'``."""
    if number < 0:
        raise ValueError(f"`get_human_readable_count` expects a number >= 0, got {number}.")
    digits = int(math.floor(math.log10(number)) + 1) if number > 0 else 1
    groups = min(int(math.ceil(digits / 3)), len(PARAMETER_NUM_UNITS))  # nothing beyond trillions
    scaled = number * 10 ** (-3 * (groups - 1))
    unit = PARAMETER_NUM_UNITS[groups - 1]
    if groups == 1 or scaled >= 100:
        return f"{int(scaled):,d} {unit}"
    return f"{scaled:,.1f} {unit}"


def _count(parameters: Any) -> int:
    """Sum of ``numel`` over parameters whose shape is known (lazy modules' are not until their first forward)."""
    from torch.nn.parameter import UninitializedParameter

    total = 0
    for p in parameters:
        if isinstance(p, UninitializedParameter):
            warning_cache.warn(
                "The total number of parameters detected may be inaccurate. The model has lazy (uninitialized)"
                " parameters: set `self.example_input_array` so the summary runs the model once and counts them."
            )
            continue
        total += p.numel()
    return total


def _example_input_on_device(model: nn.Module, data: Any) -> Any:
    """Pass the example input through the module's batch-transfer hooks when it has them, else move its tensors to
    the module's device."""
    apply_transfer = getattr(model, "_apply_batch_transfer_handler", None)
    if callable(apply_transfer):
        before = getattr(model, "_on_before_batch_transfer", None)
        return apply_transfer(before(data) if callable(before) else data)
    device = getattr(model, "device", None)
    if device is None:
        return data
    from lightning.fabric.utilities.apply_func import move_data_to_device

    return move_data_to_device(data, device)


def summarize(lightning_module: nn.Module, max_depth: int = 1) -> ModelSummary:
    """``ModelSummary(lightning_module, max_depth)``: the summary of the module's layers down to ``max_depth``."""
    return ModelSummary(lightning_module, max_depth=max_depth)
