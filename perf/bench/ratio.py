"""The portal's load test against the django-helpdesk anchor run in the same minutes: the
table, the ratios, and the regression rule (issue 25 §3).

This machine's speed changes from hour to hour, so a CPU time per request from one run
says little about the code on its own. The anchor's code never changes; run on the same
PostgreSQL, the same interpreter build and the same two cores a minute apart, what the
machine's speed does to it, it does to the portal too. Its CPU per request therefore
measures the machine, and the portal's divided by it measures the portal's code: the
ratio is what is kept, and a ratio that grows more than 10 % over the baseline is a
regression that needs a reason in docs/performance.md.

Pure functions on the results of ``loadtest.run_load`` and the anchor's ``load.py``
(both from ``loadtest.drive``: ``rps``, ``errors`` and ``server_cpu_ms``,
``database_own_cpu_ms``, ``client_cpu_ms``, ``database_cpu_ms``)."""

import json
from statistics import median

__all__ = [
    "LIMIT",
    "baseline_record",
    "check",
    "compare",
    "read_baseline",
    "summary",
    "table",
    "write_baseline",
]

LIMIT = 0.10
# The keys of both load tests' results, and what the table calls them. PostgreSQL is the
# backends of the load's own database; ``database_cpu_ms`` (the whole server, other
# databases' work included) is shown beside it.
PARTS = {"server": "workers", "database_own": "PostgreSQL", "client": "client"}
FIGURES = [*PARTS.values(), "total"]


def summary(runs):
    """One system's runs: the median of each figure over the runs. ``total`` is the sum of
    the three parts, and missing (None) when a part was not measured (a database on
    another host): a total without PostgreSQL's share would not compare."""
    cpu = {}
    for key, name in PARTS.items():
        values = [run.get(f"{key}_cpu_ms") for run in runs]
        cpu[name] = None if None in values else round(median(values), 2)
    totals = [
        sum(run[f"{key}_cpu_ms"] for key in PARTS)
        if all(run.get(f"{key}_cpu_ms") is not None for key in PARTS)
        else None
        for run in runs
    ]
    cpu["total"] = None if None in totals else round(median(totals), 2)
    whole = [run.get("database_cpu_ms") for run in runs]
    return {
        "postgresql_whole_server_cpu_ms": None if None in whole else round(median(whole), 2),
        "runs": len(runs),
        "rps": round(median(run["rps"] for run in runs), 1),
        "rps_runs": [run["rps"] for run in runs],
        "errors": sum(run["errors"] for run in runs),
        "cpu_ms": cpu,
    }


def _ratio(a, b):
    return None if a is None or not b else round(a / b, 4)


def compare(portal_runs, anchor_runs):
    """Both systems' medians and their ratios; ``rounds`` is the total CPU ratio of each
    round (portal run k against anchor run k), which shows how far one round is to be
    trusted on this machine at this hour."""
    portal, anchor = summary(portal_runs), summary(anchor_runs)
    return {
        "portal": portal,
        "anchor": anchor,
        "ratio": {
            "rps": _ratio(portal["rps"], anchor["rps"]),
            "cpu_ms": {f: _ratio(portal["cpu_ms"][f], anchor["cpu_ms"][f]) for f in FIGURES},
            "rounds": [
                _ratio(summary([p])["cpu_ms"]["total"], summary([a])["cpu_ms"]["total"])
                for p, a in zip(portal_runs, anchor_runs, strict=False)
            ],
        },
    }


def check(comparison, baseline, limit=LIMIT):
    """The regression rule: the portal's total CPU per request divided by the anchor's,
    against the same ratio in the baseline. More than ``limit`` higher is a regression."""
    ratio = comparison["ratio"]["cpu_ms"]["total"]
    if baseline is None:
        return {"regressed": False, "message": "no baseline to compare with"}
    base = baseline["ratio_cpu_ms_total"]
    if ratio is None:
        return {"regressed": False, "message": "CPU per request not measured: no comparison"}
    change = ratio / base - 1
    regressed = change > limit
    message = (
        f"portal/anchor CPU per request {ratio:.4f} against {base:.4f} in the baseline of "
        f"{baseline['date']}: {change * 100:+.1f} %"
    )
    if regressed:
        message += f"; regression > {limit * 100:g} %: explain in docs/performance.md"
    else:
        message += f" (a regression is more than +{limit * 100:g} %)"
    return {
        "regressed": regressed,
        "baseline_ratio": base,
        "ratio": ratio,
        "change": round(change, 4),
        "message": message,
    }


def baseline_record(comparison, env):
    """What ``--save-baseline`` writes to perf/bench/baseline.json."""
    return {
        "date": env["date"],
        "machine": env["machine"],
        "python": env["python"],
        "postgresql": env["postgresql"],
        "scale": env["scale"],
        "load_average": env["load_average"],
        "portal_cpu_ms": comparison["portal"]["cpu_ms"],
        "anchor_cpu_ms": comparison["anchor"]["cpu_ms"],
        "portal_rps": comparison["portal"]["rps"],
        "anchor_rps": comparison["anchor"]["rps"],
        "ratio_cpu_ms_total": comparison["ratio"]["cpu_ms"]["total"],
    }


def read_baseline(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


def write_baseline(path, record):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def _fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def table(comparison, verdict, *, duration, threads):
    portal, anchor, ratio = comparison["portal"], comparison["anchor"], comparison["ratio"]
    lines = [
        f"Load in turns, same minutes ({portal['runs']} + {anchor['runs']} runs of {duration} s, "
        f"{threads} client threads, 2 gunicorn workers each; median of the runs)",
        "",
        "| | req/s | errors | CPU ms/request: workers | PostgreSQL | client | total |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in (("portal (mix)", portal), ("django-helpdesk 2.6.1 (mix)", anchor)):
        cpu = " | ".join(_fmt(s["cpu_ms"][f], 2) for f in FIGURES)
        runs = ", ".join(f"{r:g}" for r in s["rps_runs"])
        lines.append(f"| {name} | {_fmt(s['rps'])} ({runs}) | {s['errors']} | {cpu} |")
    cpu = " | ".join(_fmt(ratio["cpu_ms"][f], 4) for f in FIGURES)
    lines.append(f"| portal / anchor | {_fmt(ratio['rps'], 2)} | | {cpu} |")
    rounds = ", ".join(_fmt(r, 4) for r in ratio["rounds"])
    lines += [
        "",
        f"Total CPU per request, portal / anchor, round by round: {rounds}.",
        "PostgreSQL as a whole server (other databases' work on it included): "
        f"{_fmt(portal['postgresql_whole_server_cpu_ms'], 2)} ms per portal request, "
        f"{_fmt(anchor['postgresql_whole_server_cpu_ms'], 2)} per anchor request.",
        verdict["message"],
    ]
    return "\n".join(lines)
