"""``percentile_cont`` for SQLite, the zero-setup database of ``make run``.

PostgreSQL has the ordered-set aggregate; SQLite has none, so there the monitor's
medians and percentiles would be missing from the demo. This registers the same
statistic (continuous percentile, linear interpolation between the two nearest values,
NULLs ignored) as an application-defined aggregate on every new SQLite connection."""

import math

__all__ = ["FUNCTION", "PercentileCont", "register"]

FUNCTION = "WB_PERCENTILE_CONT"


class PercentileCont:
    def __init__(self):
        self.values = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        ordered = sorted(self.values)
        position = (len(ordered) - 1) * self.fraction
        low, high = math.floor(position), math.ceil(position)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def register(sender, connection, **kwargs):
    """``connection_created`` receiver."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(FUNCTION, 2, PercentileCont)
