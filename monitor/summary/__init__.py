"""The monitor's precomputed summary: built by a sweep (``sweep``), read per figure
(``read``) when it is fresh (``state``); see docs/monitor.md "Summary"."""

from .state import STALE_AFTER, Source, current, source, using

__all__ = ["STALE_AFTER", "Source", "current", "source", "using"]
