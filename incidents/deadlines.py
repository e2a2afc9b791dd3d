"""Acknowledgement deadlines by severity, in working time (Dutch holidays skipped)."""

from datetime import timedelta

from weerbaar.workdays import add_working_days, add_working_hours

from .constants import Severity

__all__ = ["ack_deadline"]


def ack_deadline(severity, start):
    """When a melding of ``severity`` received at ``start`` must be acknowledged. Each
    escalation level is due this same interval after the previous one."""
    if severity == Severity.ACUTE:
        return start + timedelta(hours=1)
    if severity == Severity.HIGH:
        return add_working_hours(start, 4)
    if severity == Severity.MEDIUM:
        return add_working_days(start, 1)
    return add_working_days(start, 2)
