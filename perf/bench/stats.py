"""Percentiles and the result rows the report prints and writes as JSON."""

import math
from dataclasses import asdict, dataclass

__all__ = ["Result", "percentile", "selected"]


def percentile(values, p):
    """Nearest-rank percentile (``p`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Result:
    group: str
    name: str
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""
    # CPU per request: this process's (the median; Python and the database driver) and the
    # PostgreSQL backend's (the mean over the timed requests), when measured.
    cpu_ms: float | None = None
    db_cpu_ms: float | None = None

    @classmethod
    def from_times(cls, group, name, seconds, queries, note="", cpu=(), db_cpu=None):
        ms = [s * 1000 for s in seconds]
        return cls(
            group,
            name,
            len(ms),
            round(percentile(ms, 50), 1),
            round(percentile(ms, 95), 1),
            queries,
            note,
            round(percentile([c * 1000 for c in cpu], 50), 1) if cpu else None,
            round(db_cpu * 1000, 1) if db_cpu is not None else None,
        )

    def as_dict(self):
        return asdict(self)


def selected(name, only):
    """Whether ``--only`` lets ``name`` be measured: no words given, or one of them in it."""
    return not only or any(word in name for word in only)
