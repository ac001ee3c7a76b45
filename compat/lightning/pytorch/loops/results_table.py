"""The table ``trainer.validate`` / ``trainer.test`` print at the end: one row per metric, one column per dataloader.

Drawn with ``rich`` when it is installed, else as plain text; sized from the terminal width (``COLUMNS``, default 120)
the same way Lightning 2.x does, so the two read alike.
"""
import importlib.util
import os
import shutil
import sys
from typing import Any, Iterator

from torch import Tensor

_MIN_COLUMN_WIDTH = 25
_DATALOADER_SUFFIX = "/dataloader_idx_"


def print_results_table(results: list[dict], stage: str) -> None:
    """Print ``results`` (one metric dict per dataloader, as ``validate``/``test`` return) under a
    ``"<Stage> metric"`` heading. Prints nothing when there are no metrics."""
    results = [{key.split(_DATALOADER_SUFFIX)[0]: value for key, value in result.items()} for result in results]
    paths = sorted({path for result in results for path in _metric_paths(result)}, key=":".join)
    if not paths:
        return
    names = [":".join(path) for path in paths]
    headers = [f"DataLoader {i}" for i in range(len(results))]
    term_width = shutil.get_terminal_size(fallback=(120, 30)).columns or 120
    width = int(min(max(len(max(names, key=len)), len(max(headers, key=len)), _MIN_COLUMN_WIDTH), term_width / 2))
    rows = [[_cell(_find(result, path)) for result in results] for path in paths]

    per_table = int((term_width - width) / width)  # the metric-name column always comes first
    for start in range(0, len(headers), per_table):
        table_headers = [f"{stage} Metric".capitalize(), *headers[start:start + per_table]]
        table_rows = [[name, *row[start:start + per_table]] for name, row in zip(names, rows)]
        if _rich_available():
            _print_rich(table_headers, table_rows, width)
        else:
            _print_plain(table_headers, table_rows, width, term_width)


def _rich_available() -> bool:
    return importlib.util.find_spec("rich") is not None


def _metric_paths(data: dict) -> Iterator[tuple]:
    """Nested dicts of metrics become paths: ``{"a": {"b": 1}}`` -> ``("a", "b")``."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from ((key, *sub) for sub in _metric_paths(value))
        else:
            yield (key,)


def _find(data: dict, path: tuple) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _cell(value: Any) -> str:
    if value is None:
        return " "
    if isinstance(value, Tensor):
        value = value.item() if value.numel() == 1 else value.tolist()
    return f"{value}"


def _print_rich(headers: list[str], rows: list[list[str]], width: int) -> None:
    from rich import get_console
    from rich.table import Column, Table

    columns = [Column(header, justify="center", style="magenta", width=width) for header in headers]
    columns[0].style = "cyan"
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    get_console().print(table)


def _print_plain(headers: list[str], rows: list[list[str]], width: int, term_width: int) -> None:
    row_format = f"{{:^{width}}}" * len(headers)
    rule = _rule_character() * term_width
    half = int(term_width / 2)
    lines = [rule, row_format.format(*headers).rstrip(), rule]
    for name, *cells in rows:
        while len(name) > half:  # wrap a metric name longer than half the terminal over several lines
            lines.append(row_format.format(name[:half], *cells).rstrip())
            name = name[half:]
            cells = [" "] * len(cells)
        lines.append(row_format.format(name, *cells).rstrip())
    lines.append(rule)
    print(os.linesep.join(lines))


def _rule_character() -> str:
    encoding = getattr(sys.stdout, "encoding", None)
    try:
        if encoding:
            "─".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "-"
    return "─"
