"""Cutting a list into chunks, for sweeps that act a chunk per transaction."""

__all__ = ["chunks"]


def chunks(items, size):
    """Consecutive slices of ``items`` of at most ``size`` (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
