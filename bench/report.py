"""Turns measured figures into rows (headline value, target, verdict) and renders them as a console or Markdown
table. Torch-free."""

COLUMNS = {"ours": "ours", "lightning": "lightning", "legacy": "pytorch_lightning"}
HEADLINE = {"ratio": "ratio", "seconds": "extra_s", "MB": "extra_rss_mb", "share": "share"}


def headline(unit: str, value: dict):
    return value.get(HEADLINE[unit]) if "error" not in value else None


def meets(target, value) -> bool:
    return value <= target["value"] if target["op"] == "<=" else value >= target["value"]


def build_rows(descriptors: list, measured: dict) -> list:
    """One row per figure: its description, each implementation's measurement (with ``value``, the headline
    figure) and ``status`` (ok / miss / no target / not run) for ours."""
    rows = []
    for d in descriptors:
        values = {}
        for impl, results in measured.items():
            if impl in d["where"] and d["id"] in results:
                value = dict(results[d["id"]])
                value["value"] = headline(d["unit"], value)
                values[impl] = value
        ours = values.get("ours", {}).get("value")
        if ours is None:
            status = "error" if "error" in values.get("ours", {}) else "not run"
        elif d["target"] is None:
            status = ""
        else:
            status = "ok" if meets(d["target"], ours) else "MISS"
        rows.append({"id": d["id"], "group": d["id"].split(".")[0], "title": d["title"], "unit": d["unit"],
                     "target": d["target"], "values": values, "status": status})
    return rows


def format_value(unit: str, value) -> str:
    if value is None:
        return ""
    if "error" in value:
        return "error"
    v = value["value"]
    if unit == "ratio":
        text = f"{v:.2f}x"
        if "overhead_us_per_step" in value:
            text += f" ({value['overhead_us_per_step']:+.0f} us/step)"
        elif "ours_mb" in value:
            text += f" ({value['ours_mb']:.0f} MB)"
        return text
    if unit == "seconds":
        return f"{v:+.3f} s ({value['s']:.2f} s)"
    if unit == "MB":
        return f"{v:+.1f} MB ({value['rss_mb']:.0f} MB)"
    if unit == "share":
        return f"{v * 100:.0f}% ({value['ours_lines_per_s']:,.0f} lines/s)"
    raise ValueError(f"unknown unit {unit!r}")


def format_target(unit: str, target) -> str:
    if target is None:
        return ""
    v = target["value"]
    shown = {"share": f"{v:.0%}", "seconds": f"+{v:g} s", "MB": f"+{v:g} MB"}.get(unit, f"{v:g}x")
    return f"{target['op']} {shown}"


def _headers(report: dict) -> list:
    impls = [impl for impl in COLUMNS if any(impl in row["values"] for row in report["rows"])]
    described = report.get("implementations", {})
    labels = []
    for impl in impls:
        version = described.get(impl, {}).get("version")
        labels.append(COLUMNS[impl] + (f" {version}" if impl != "ours" and version else ""))
    return impls, labels


def _cells(report: dict, rows=None):
    impls, labels = _headers(report)
    header = ["scenario", "target", *labels, "ours vs target"]
    body = [[row["title"], format_target(row["unit"], row["target"]),
             *(format_value(row["unit"], row["values"].get(impl)) for impl in impls), row["status"]]
            for row in (report["rows"] if rows is None else rows)]
    return header, body


def format_table(report: dict) -> str:
    header, body = _cells(report)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(header), line(["-" * w for w in widths])]
    group = None
    for row, cells in zip(report["rows"], body):
        if row["group"] != group:
            group = row["group"]
            out.append(f"[{group}]")
        out.append(line(cells))
    meta = report["meta"]
    out.append(f"{meta['command']} | {meta['size']} sizes | {meta['clock']} clock | load average {meta['machine']['load_avg_start'][0]:.1f}"
               f" -> {meta['machine']['load_avg_end'][0]:.1f} on {meta['machine']['cpus']} cpus")
    return "\n".join(out)


def _markdown(header: list, body: list) -> list:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |" for cells in body]


def markdown_table(report: dict) -> str:
    """The headline table (the figures that have a target), then every figure."""
    out = ["### Headline (figures with a target)", ""]
    out += _markdown(*_cells(report, [row for row in report["rows"] if row["target"]]))
    out += ["", "### All figures", ""]
    out += _markdown(*_cells(report))
    meta = report["meta"]
    out.append("")
    out.append(f"`{meta['command']}` ({meta['size']} sizes, {meta['clock']} clock, {meta['started']}, "
               f"{meta['machine']['cpus']} cpus, "
               f"load average {meta['machine']['load_avg_start'][0]:.1f})")
    return "\n".join(out)
