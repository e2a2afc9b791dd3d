"""The dashboard's main filters, from the dashboard's own FilterSet (one meaning for
``overdue`` or ``category`` everywhere); the ones about the person asking (``mine``, new
messages) and the sort order (the cursor fixes it) are left out."""

from incidents.filters import MeldingFilter

__all__ = ["ApiMeldingFilter"]

KEPT = (
    "status",
    "severity",
    "category",
    "channel",
    "position",
    "submitted_from",
    "submitted_until",
    "overdue",
    "escalated",
)


class ApiMeldingFilter(MeldingFilter):
    pass


ApiMeldingFilter.base_filters = {name: MeldingFilter.base_filters[name] for name in KEPT}
