"""The triage dashboard. Its registration export (views/export.py) reads the same scope
(``triageable_by``), filters, search and order through ``filtered``."""

from datetime import timedelta
from functools import partial

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import ListView

from weerbaar.counting import capped_counts, capped_counts_by
from weerbaar.labels import with_dates, with_labels, with_links
from weerbaar.models import User
from weerbaar.related import attach
from weerbaar.search import among
from weerbaar.search_box import ListSearch

from ..constants import SEVERITY_RANK, Category, Status
from ..filters import MeldingFilter
from ..models import Melding
from ..routing import TRIAGE_ROLES
from ..search import KIND as SEARCH_KIND
from .categories import CATEGORY_LIST, split_keyed
from .paging import IdListPaginator, TwoEndedPaginator


def _rank(field, default):
    whens = [When(**{field: s}, then=Value(r)) for s, r in SEVERITY_RANK.items()]
    return Case(*whens, default=default, output_field=IntegerField())


# The columns a row of the list shows. Reading only these spares PostgreSQL's sending and
# Python's parsing of the other 17 (seven of them timestamps) for every row.
LIST_FIELDS = (
    "reporter",
    "reporter_role",
    "reporter_position",
    "organisation",
    "assigned_to",
    "status",
    "severity",
    "severity_proposal",
    "channel",
    "submitted_at",
    "ack_deadline",
)

# What a row does not show of its reporter and assignee (their name or address only): not
# read, and the phone number not decrypted, for every row.
USER_UNSHOWN = ("password", "phone", "last_login", "date_joined")

# The triager's severity where set, otherwise the proposal from the categories.
SEVERITY_ORDER = _rank("severity", _rank("severity_proposal", Value(-1)))


def require_triage_role(user):
    """The dashboard and the export are pages of a role, not records: someone who holds no
    triage role gets a 403 ("U heeft geen toegang tot deze pagina", templates/403.html)
    rather than an empty list that looks as if nothing was reported. A melding outside
    one's scope still answers 404 (``get_visible_or_404``)."""
    if not any(m.role in TRIAGE_ROLES for m in user.active_memberships):
        raise PermissionDenied


def triage_queryset(request):
    user = request.user
    if not user.is_authenticated:
        raise Http404
    require_triage_role(user)
    qs = Melding.objects.triageable_by(user)
    # A CASE over two columns for every row: computed only when the list is sorted by it.
    if "severity_rank" in request.GET.get("sort", ""):
        qs = qs.annotate(severity_rank=SEVERITY_ORDER)
    return qs


def _filterset(request, base):
    return MeldingFilter(request.GET or None, queryset=base, request=request)


def filtered(request):
    base = triage_queryset(request)
    return base, _filterset(request, base)


def _own_params(request):
    """The query string without the search and the page: what the filter form is made of."""
    params = request.GET.copy()
    for name in ("zoek", "page"):
        params.pop(name, None)
    return params


def _filters_in_use(filterset):
    """Whether the filter form narrows the list (sorting and paging do not)."""
    if not filterset.is_bound:
        return False
    filterset.form.is_valid()  # cleaned_data holds the valid fields either way
    return any(value for name, value in filterset.form.cleaned_data.items() if name != "sort")


class DashboardView(LoginRequiredMixin, ListView):
    template_name = "incidents/dashboard.html"
    context_object_name = "meldingen"
    paginate_by = 25
    paginator_class = TwoEndedPaginator
    search = None

    def post(self, request, *args, **kwargs):
        """The search box: a redirect to the list with the query sealed, or the list again
        with the box's error."""
        if not request.user.is_authenticated:
            raise Http404
        require_triage_role(request.user)
        self.search = ListSearch(request, SEARCH_KIND)
        return self.search.post() or self.get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        self.base = triage_queryset(request)
        # The filter form's own parameters: without them (the plain list, a search, a page)
        # every filter is empty and leaves the list as it is, and the form is only needed
        # when its fragment is rendered afresh; it is then not built (17 filters copied)
        # and cleaned, nor the filters run, for nothing.
        self.own_params = _own_params(request)
        if self.own_params:
            self.filterset = _filterset(request, self.base)
        else:
            self.filterset = SimpleLazyObject(partial(_filterset, request, self.base))
        # Per status up to ``counting.CAP`` ("meer dan 1.000"): an exact count of every
        # closed case of the organisation grew with the years of data (issue 25 §2).
        self.counts = capped_counts_by(
            self.base, "status", [s.value for s in Status if s != Status.DRAFT]
        )
        if self.search is None:
            self.search = ListSearch(self.request, SEARCH_KIND)
        qs = self.filterset.qs if self.own_params else self.base
        # A total order (pk last), so that a page read from the end of the list
        # (TwoEndedPaginator) holds the same rows as one read from the start.
        keys = [k for k in qs.query.order_by if k not in ("pk", "-pk")] or ["-submitted_at"]
        qs = qs.order_by(*keys, "-pk")
        if self.search.active:
            # Within the scope and the filters, the search only narrows (weerbaar/search.py):
            # the ids it finds, in the list's order; a page then reads its own rows by id
            # (``search_rows``, through ``IdListPaginator``).
            self.found_ids = self.search.ids(qs)
        # The reporter, organisation and assignee are attached to the page's rows after it
        # is read (weerbaar.related.attach), not joined into the list's query.
        return qs.annotate(category_list=CATEGORY_LIST).only(*LIST_FIELDS)

    def search_rows(self, ids):
        """The rows of a page of search results: the page's ids (in the scope again), with
        their categories. Before, the page was the scope filtered by every id found, sorted
        and cut to 25 in PostgreSQL: each found melding checked against the scope a second
        time, for a page of 25."""
        rows = among(self.base, ids).order_by()
        return rows.annotate(category_list=CATEGORY_LIST).only(*LIST_FIELDS)

    @staticmethod
    def page_rows(sliced):
        """A page past the first: its ids read in a subquery without the categories, the
        categories then computed for those rows only, in the same statement. Read as one
        query, PostgreSQL ran the category subquery for every row ``OFFSET`` skipped (2 111
        for the last page of a capped list at scale 1)."""
        rows = Melding.objects.filter(pk__in=sliced.values("pk"))
        if "severity_rank" in sliced.query.annotations:
            rows = rows.annotate(severity_rank=SEVERITY_ORDER)
        rows = rows.order_by(*sliced.query.order_by)
        if not sliced.query.standard_ordering:
            rows = rows.reverse()
        return rows.annotate(category_list=CATEGORY_LIST).only(*LIST_FIELDS)

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.search.active:
            return IdListPaginator(self.found_ids, per_page, rows=self.search_rows, **kwargs)
        kwargs["rows"] = self.page_rows
        # Unfiltered, the list's length is the sum of the counts per status shown above it.
        if not self.own_params or not _filters_in_use(self.filterset):
            kwargs["count"] = sum(self.counts.values())
        else:
            # The filtered list counted up to the cap, as the counts above it.
            kwargs["count"] = capped_counts({"list": queryset})["list"]
        return super().get_paginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        meldingen = with_labels(
            context["meldingen"], "status", "channel", "severity", "severity_proposal"
        )
        with_links(meldingen, "incidents:case")
        # The dates as ``|date`` shows them, made without the template's variable and filter
        # lookups: 25 rows' dates were a tenth of the list's rendering.
        with_dates(meldingen, "submitted_at", "DATETIME_FORMAT")
        with_dates(meldingen, "ack_deadline", "j F H:i")
        attach(meldingen, "reporter", "organisation", "assigned_to", defer={User: USER_UNSHOWN})
        # The reporter's office and the category names, made once per list: a page has a
        # few distinct ones, each a translated label built anew per row before.
        offices, names = {}, {}
        for melding in meldingen:
            office = (melding.reporter_role, melding.reporter_position)
            if office not in offices:
                offices[office] = str(melding.reporter_label)
            melding.reporter_office = offices[office]
            values = split_keyed(melding.category_list)
            for value in values:
                if value not in names:
                    names[value] = str(Category(value).label)
            melding.category_label_list = [names[value] for value in values]
        context.update(
            {
                "meldingen": meldingen,
                "filter": self.filterset,
                "counts": [(s, self.counts.get(s.value, 0)) for s in Status if s != Status.DRAFT],
                "now": now,
                "soon": now + timedelta(hours=4),
                "querystring": self._querystring(),
                "filter_key": self._filter_key(),
                "search": self.search,
                # Open when the list was filtered or sorted; a search or a page alone keeps
                # the filters folded, so the results come first on a phone.
                "filters_open": any(k not in ("zoek", "page") for k in self.request.GET),
            }
        )
        self.search.record(context["paginator"].count)
        return context

    def _filter_key(self):
        """What the filter form's rendering depends on, for its fragment cache: whether it is
        bound and the values of its own fields. Not the sealed search (a new one for every
        search, so every search rendered the form anew) nor the page."""
        if not self.request.GET:  # the filter set is bound to the query string, if any
            return "unbound"
        return f"bound:{self.own_params.urlencode()}"

    def _querystring(self):
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()
