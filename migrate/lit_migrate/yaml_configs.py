"""YAML configs beside the code: the 1.x Trainer arguments of a `trainer:` mapping (LightningCLI, OmegaConf and
Hydra configs) or of a top-level mapping made of Trainer arguments (a file fed to `Trainer(**cfg)`), rewritten
line by line so comments, order and layout stay as they were.

Only one-line `key: value` entries of a block mapping are edited. The result must load (yaml.safe_load) to
exactly the mapping the table says; otherwise the file is left untouched with a review note. What YAML cannot
say the way 2.x wants it (callbacks to add, `fit(ckpt_path=)`) gets a review note and the line stays.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from . import legacy_facts as facts
from .engine import Options
from .report import NOTHING_TO_DO, Change, FileResult

YAML_SUFFIXES = (".yaml", ".yml")
RULE, FAMILY = "yaml-config", "trainer"
_KEYS = frozenset(facts.TRAINER_ARGS) | {"precision", "accelerator", "strategy"}
_MENTION = re.compile(r"^\s*(?:" + "|".join(sorted(map(re.escape, _KEYS))) + r")\s*:", re.M)
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def enabled(options: Options) -> bool:
    keys = {RULE, FAMILY}
    return not keys & options.ignore and (options.select is None or bool(keys & options.select))


def migrate_yaml(text: str, path: str, options: Options) -> FileResult:
    result = FileResult(path=path, original=text, output=text)
    if not enabled(options) or not _MENTION.search(text):
        result.skipped = NOTHING_TO_DO
        return result.finish()
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml comes with lightning-compat
        result.skipped = "YAML config not read: pyyaml is not installed"
        return result.finish()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        result.skipped = NOTHING_TO_DO  # not a single plain YAML document (templates, several documents)
        return result.finish()
    found = _trainer_mapping(root, data)
    if found is None:
        result.skipped = NOTHING_TO_DO
        return result.finish()
    node, values, key_path = found
    if node.flow_style:
        result.notes.append(Change(node.start_mark.line + 1, RULE, "1.x Trainer arguments in a one-line {...} "
                                   "mapping are not rewritten: write them one per line, or translate them by hand"))
        return result.finish()
    edits, expected = _plan(node, values, result)
    if not edits:
        return result.finish()
    output = _apply(text, edits)
    want = copy.deepcopy(data)
    if key_path:
        want[key_path] = expected
    else:
        want = expected
    try:
        ok = yaml.safe_load(output) == want
    except yaml.YAMLError:
        ok = False
    if not ok:
        result.changes = []
        result.notes.append(Change(edits[0][0] + 1, RULE, "the Trainer arguments here could not be rewritten "
                                   "safely (the edited file would not load as intended): rewrite them by hand"))
        return result.finish()
    result.output = output
    return result.finish()


def _trainer_mapping(root: Any, data: Any) -> tuple[Any, dict, str | None] | None:
    """(the mapping node holding Trainer arguments, its loaded value, its key in the top mapping or None)."""
    import yaml

    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        return None
    for key, value in root.value:
        if key.value == "trainer" and isinstance(value, yaml.MappingNode) and isinstance(data.get("trainer"), dict):
            return value, data["trainer"], "trainer"
    params = {n for n, _, _ in facts.TRAINER_ARGPARSE_1_9} | facts.TRAINER_2X_PARAMS | set(facts.TRAINER_ARGS)
    keys = [k for k in data if isinstance(k, str)]
    known = [k for k in keys if k in params]
    # a top-level mapping made of Trainer arguments, at least one of them 1.x-only
    if len(known) >= 2 and len(known) == len(keys) and any(facts.trainer_arg_is_legacy(k, data[k]) for k in keys):
        return root, data, None
    return None


def _plan(node: Any, values: dict, result: FileResult) -> tuple[list[tuple[int, list[int], list[str]]], dict]:
    """The line edits (first line, lines to drop, new `key: value` texts) and the mapping they must load as."""
    entries = {k.value: (k, v) for k, v in node.value}
    expected = dict(values)
    groups: list[tuple[list[str], dict[str, Any], str]] = []
    device = {k: values[k] for k in facts.DEVICE_GROUP if k in values}
    if facts.device_group_is_legacy(device):
        groups.append((list(device), device, "device"))
    on_tpu = "tpu_cores" in values or values.get("accelerator") == "tpu"
    for key, value in values.items():
        if key not in device and isinstance(key, str) and facts.trainer_arg_is_legacy(key, value):
            groups.append(([key], {key: value}, "arg"))
    edits = []
    for keys, given, kind in groups:
        line = entries[keys[0]][0].start_mark.line + 1
        try:
            mapped = facts.translate_device_kwargs(given) if kind == "device" else \
                facts.map_trainer_arg(keys[0], given[keys[0]], on_tpu=on_tpu)
        except facts.LegacyFactError as err:
            result.notes.append(Change(line, RULE, err.advice))
            continue
        shown = ", ".join(f"{k}: {_render(v)}" for k, v in given.items())
        if mapped.callbacks or mapped.fit_kwargs:
            where = "a callback: add it to the callbacks" if mapped.callbacks else \
                "trainer.fit(ckpt_path=...): pass it there (LightningCLI: a top-level `ckpt_path:`)"
            result.notes.append(Change(line, RULE, f"{shown}: 2.x takes this as {where}"))
            continue
        new = mapped.trainer_kwargs
        clash = [k for k in new if k in values and k not in keys]
        lines = [entries[k] for k in keys]
        if clash or not all(_one_line(k, v) for k, v in lines):
            why = f"{clash[0]} is set too" if clash else "an entry spans several lines"
            result.notes.append(Change(line, RULE, f"{shown}: not rewritten ({why}); translate it by hand"))
            continue
        starts = sorted(k.start_mark.line for k, _ in lines)
        edits.append((starts[0], starts[1:], [f"{k}: {_render(v)}" for k, v in new.items()]))
        for k in keys:
            expected.pop(k)
        expected.update(new)
        result.changes.append(Change(line, RULE, f"{shown} -> {', '.join(edits[-1][2]) or '(dropped)'}"))
        result.caveats.extend(Change(line, RULE, caveat) for caveat in mapped.caveats)
    return edits, expected


def _one_line(key: Any, value: Any) -> bool:
    """A `key: value` entry alone on its line (the key first, the value ending there)."""
    import yaml

    line = key.start_mark.buffer[:key.start_mark.index].rsplit("\n", 1)[-1] if key.start_mark.buffer else None
    return line is not None and not line.strip() and key.start_mark.line == value.end_mark.line and not (
        isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and not value.flow_style)


def _render(value: Any) -> str:
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value)  # JSON is YAML: quoted strings, true/false/null, [lists]


def _apply(text: str, edits: list[tuple[int, list[int], list[str]]]) -> str:
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for first, others, new in edits:
        old = lines[first]
        body = old.rstrip("\r\n")
        ending = old[len(body):] or "\n"
        indent = body[:len(body) - len(body.lstrip())]
        comment = _comment(body)
        texts = [f"{indent}{entry}" for entry in new]
        if texts and comment:
            texts[0] += f"  {comment}"
        lines[first] = "".join(t + ending for t in texts) if texts else (f"{indent}{comment}{ending}" if comment
                                                                          else "")
        drop.update(others)
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def _comment(line: str) -> str:
    """The `# ...` comment ending a one-line `key: value` entry (outside quotes), or ''."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i:]
    return ""
