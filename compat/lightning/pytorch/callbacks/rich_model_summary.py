"""``RichModelSummary`` callback: the model summary drawn as a ``rich`` table (needs ``pip install rich``)."""
import importlib.util
from typing import Any

from lightning.pytorch.callbacks.model_summary import ModelSummary
from lightning.pytorch.utilities.model_summary import get_formatted_model_size, get_human_readable_count

_RIGHT_ALIGNED = ("Params", "Params per Device", "FLOPs", "In sizes", "Out sizes")


class RichModelSummary(ModelSummary):
    """Like ``ModelSummary`` but printed with ``rich``; ``header_style`` (default ``"bold magenta"``) styles the
    header row."""

    def __init__(self, max_depth: int = 1, **summarize_kwargs: Any) -> None:
        if importlib.util.find_spec("rich") is None:
            raise ModuleNotFoundError(
                "`RichModelSummary` needs the `rich` package, which is not installed. Install it with"
                " `pip install rich`, or use `ModelSummary` instead."
            )
        super().__init__(max_depth, **summarize_kwargs)

    @staticmethod
    def summarize(
        summary_data: list[tuple[str, list[str]]],
        total_parameters: int,
        trainable_parameters: int,
        model_size: float,
        total_training_modes: dict[str, int],
        total_flops: int,
        **summarize_kwargs: Any,
    ) -> None:
        from rich import get_console
        from rich.table import Table

        table = Table(header_style=summarize_kwargs.get("header_style", "bold magenta"))
        for header, _ in summary_data:
            if header == " ":
                table.add_column(header, style="dim")
            elif header == "Name":
                table.add_column(header, justify="left", no_wrap=True)
            elif header in ("In sizes", "Out sizes"):
                table.add_column(header, justify="right", style="white")
            elif header in _RIGHT_ALIGNED:
                table.add_column(header, justify="right")
            else:
                table.add_column(header)
        for row in zip(*(cells for _, cells in summary_data)):
            table.add_row(*row)
        console = get_console()
        console.print(table)

        def padded(value: str) -> str:
            return f"{value:<10}"

        grid = Table.grid(expand=True)
        grid.add_column()
        grid.add_column()
        grid.add_row(f"[bold]Trainable params[/]: {padded(get_human_readable_count(int(trainable_parameters)))}")
        non_trainable = get_human_readable_count(int(total_parameters - trainable_parameters))
        grid.add_row(f"[bold]Non-trainable params[/]: {padded(non_trainable)}")
        grid.add_row(f"[bold]Total params[/]: {padded(get_human_readable_count(int(total_parameters)))}")
        grid.add_row(f"[bold]Total estimated model params size (MB)[/]: {padded(get_formatted_model_size(model_size))}")
        grid.add_row(f"[bold]Modules in train mode[/]: {total_training_modes['train']}")
        grid.add_row(f"[bold]Modules in eval mode[/]: {total_training_modes['eval']}")
        grid.add_row(f"[bold]Total FLOPs[/]: {get_human_readable_count(total_flops)}")
        console.print(grid)
