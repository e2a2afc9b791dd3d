from rest_framework.pagination import CursorPagination

__all__ = ["MeldingCursor"]


class MeldingCursor(CursorPagination):
    """Newest first by sending time, stable under inserts (no page shifts, no count)."""

    ordering = ("-submitted_at", "-id")
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100
