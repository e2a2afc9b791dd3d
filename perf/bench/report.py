"""The benchmark's table (plain text, also valid Markdown) and its JSON file."""

import json
import os
import platform
import sys
import timeit
from datetime import UTC, datetime

from django.db import connection

from . import compare

__all__ = [
    "append_json",
    "comparison_data",
    "comparison_table",
    "environment",
    "table",
    "write_json",
]

TARGETS = {
    "page": "p50 ≤ 25 ms, p95 ≤ 60 ms, ≤ 12 queries",
    "file a melding (POST)": "p50 ≤ 60 ms",
    "sweep, nothing due": "≤ 100 ms",
    "sweep, 1 000 due": "≤ 5 s",
}


def reference_ms():
    """Milliseconds for a fixed pure-Python workload, best of 7: how fast this machine and
    interpreter are at the moment of the run. On a shared machine the same code measures
    differently from one hour to the next; this figure, next to the results, tells runs
    apart (lower is faster)."""
    best = min(timeit.repeat("sum(i * i for i in range(1_000_000))", number=1, repeat=7))
    return round(best * 1000, 1)


def _interpreter():
    name = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{name} ({sys.executable}, {platform.python_build()[1]})"


def environment(label):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": label,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": _interpreter(),
        "reference_ms": reference_ms(),
        "postgresql": pg,
        "database": connection.settings_dict["NAME"],
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _fmt(value):
    return "–" if value is None else f"{value:g}"


def table(results, env):
    lines = [
        f"Scale {env['scale']} · {env['date']} · {env['machine']} · PostgreSQL {env['postgresql']}",
        f"Python {env['python']} · reference workload {env['reference_ms']} ms",
        "",
        "| what | name | runs | p50 ms | p95 ms | queries | CPU ms | PostgreSQL CPU ms | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.group} | {r.name} | {r.runs} | {_fmt(r.p50_ms)} | {_fmt(r.p95_ms)} "
            f"| {_fmt(r.queries)} | {_fmt(r.cpu_ms)} | {_fmt(r.db_cpu_ms)} | {r.note} |"
        )
    return "\n".join(lines)


def append_json(path, run):
    """Add ``run`` to the runs in the JSON file at ``path`` (made when missing)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        data = {"runs": []}
    data["runs"].append(run)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)


def write_json(path, env, results, load, phone=None, anchor=None):
    append_json(
        path,
        {
            "environment": env,
            "results": [r.as_dict() for r in results],
            "load": load,
            "phone": phone,
            "anchor": anchor,
        },
    )


def _meets(missed, results):
    if missed == ["n/a"]:
        reasons = {r.note for r in results if r.note and r.note != "n/a"}
        return "n/a" + "".join(f" ({reason})" for reason in sorted(reasons))
    return "yes" if not missed else "no: " + ", ".join(missed)


def _load(average):
    return " ".join(f"{x:.1f}" for x in average) if average else "?"


def comparison_table(rows, scales, env):
    """One row per page: each scale's p50, p95 and queries side by side, the growth of the
    p50 from the first scale to the last, and whether the last meets the targets."""
    first, last = scales[0].label, scales[-1].label
    target = compare.TARGETS
    about = ", ".join(f"{s.label} = {s.database} ({s.meldingen:,} meldingen)" for s in scales)
    lines = [
        f"Scales {about}",
        f"{env['date']} · {env['machine']} · PostgreSQL {env['postgresql']}",
        f"Python {env['python']} · reference workload {env['reference_ms']} ms · "
        f"load average {_load(env['load_average'])} → {_load(env['load_average_after'])}",
        f"Targets at scale {last}: p50 ≤ {target['p50']} ms, p95 ≤ {target['p95']} ms, "
        f"≤ {target['queries']} queries, p50 {last}/{first} ≤ {target['ratio']}",
        "",
        "| page | "
        + " | ".join(f"p50 ms {s.label} | p95 ms {s.label} | queries {s.label}" for s in scales)
        + f" | p50 {last}/{first} | meets |",
        "|---|" + "---:|" * (3 * len(scales) + 1) + "---|",
    ]
    for name, results in rows.items():
        ratio, missed = compare.verdict(results)
        cells = " | ".join(
            f"{_fmt(r.p50_ms)} | {_fmt(r.p95_ms)} | {_fmt(r.queries)}" for r in results
        )
        lines.append(f"| {name} | {cells} | {_fmt(ratio)} | {_meets(missed, results)} |")
    return "\n".join(lines)


def comparison_data(rows, scales, env):
    """The comparison as JSON-ready data."""
    pages = []
    for name, results in rows.items():
        ratio, missed = compare.verdict(results)
        pages.append(
            {
                "name": name,
                "results": {s.label: r.as_dict() for s, r in zip(scales, results, strict=True)},
                "ratio": ratio,
                "missed": missed,
                "meets": not missed,
            }
        )
    return {
        "environment": env,
        "targets": compare.TARGETS,
        "scales": [
            {"label": s.label, "database": s.database, "meldingen": s.meldingen} for s in scales
        ],
        "pages": pages,
    }
