"""Pagination that reads a page from whichever end of the list is nearer.

``OFFSET n`` makes the database walk past ``n`` rows, so the last page of a long list
costs as much as reading all of it. A page in the second half is the same rows as a
short slice of the list in reverse order, read from the other end of the index and
turned around in Python. The list must be in a total order (a unique last sort key),
otherwise the two directions need not agree on ties."""

from django.core.paginator import Paginator

__all__ = ["IdListPaginator", "TwoEndedPaginator"]


class TwoEndedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count=None, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # Already known to the caller (e.g. the sum of the per-status counts).
            self.count = count
        # ``rows(sliced)``: the queryset that reads a page past the first one, given the
        # slice of the list (see the dashboard's ``page_rows``). PostgreSQL computes a row's
        # select list before ``OFFSET`` drops it, so a subquery there runs for every row
        # skipped; the caller can read the page's ids first and the rest for those alone.
        self.rows = rows

    def _slice(self, queryset, bottom, top):
        sliced = queryset[bottom:top]
        return self.rows(sliced) if self.rows is not None and bottom else sliced

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # A count read up to a cap (``weerbaar.counting``) does not say where the list
        # ends: such a list is read from its start only.
        if getattr(self.count, "capped", False) or bottom <= self.count - top:
            return self._get_page(self._slice(self.object_list, bottom, top), number, self)
        rows = list(self._slice(self.object_list.reverse(), self.count - top, self.count - bottom))
        rows.reverse()
        return self._get_page(rows, number, self)


class IdListPaginator(Paginator):
    """Pages of a list whose ids were read in the list's order (a search's results): a page
    is its slice of the ids, and only those rows are read, by ``rows(ids)``, then put in the
    ids' order. The count is the number of ids, no query."""

    def __init__(self, ids, per_page, *, rows, **kwargs):
        super().__init__(list(ids), per_page, **kwargs)
        self.rows = rows

    def _get_page(self, ids, number, paginator):
        ids = list(ids)
        position = {pk: n for n, pk in enumerate(ids)}
        found = sorted(self.rows(ids) if ids else [], key=lambda row: position[row.pk])
        return super()._get_page(found, number, paginator)
