"""Compares two observations (runner.py) with float32 tolerance and lists every difference as one line."""
from __future__ import annotations

import math

# float32 arithmetic done in a different order (and torch builds) moves the last digits; bf16 autocast keeps 8 bits
RTOL, ATOL = 2e-4, 2e-5
BF16_RTOL, BF16_ATOL = 2e-2, 2e-3


def close(a: float, b: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def differences(ours, ref, path: str = "", rtol: float = RTOL, atol: float = ATOL) -> list[str]:
    """`path: ours X != reference Y` for each leaf that differs (dicts by key, lists by position)."""
    if isinstance(ours, dict) and isinstance(ref, dict):
        out = []
        for key in sorted(set(ours) | set(ref), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in ours:
                out.append(f"{where}: missing in ours (reference {_short(ref[key])})")
            elif key not in ref:
                out.append(f"{where}: only in ours ({_short(ours[key])})")
            else:
                out.extend(differences(ours[key], ref[key], where, rtol, atol))
        return out
    if isinstance(ours, list) and isinstance(ref, list):
        if all(_number(v) for v in ours + ref) and ours and ref:
            if len(ours) != len(ref) or not all(close(a, b, rtol, atol) for a, b in zip(ours, ref)):
                return [f"{path}: ours {_short(ours)} != reference {_short(ref)}"]
            return []
        if len(ours) != len(ref):
            return [f"{path}: {len(ours)} entries in ours, {len(ref)} in the reference "
                    f"(ours {_short(ours)}, reference {_short(ref)})"]
        out = []
        for i, (a, b) in enumerate(zip(ours, ref)):
            out.extend(differences(a, b, f"{path}[{i}]", rtol, atol))
        return out
    if _number(ours) and _number(ref):
        return [] if close(ours, ref, rtol, atol) else [f"{path}: ours {ours!r} != reference {ref!r}"]
    return [] if ours == ref else [f"{path}: ours {_short(ours)} != reference {_short(ref)}"]


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _short(value, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
