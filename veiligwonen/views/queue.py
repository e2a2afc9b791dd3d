from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from weerbaar.constants import Role
from weerbaar.labels import with_dates, with_labels, with_links
from weerbaar.search_box import ListSearch

from ..filters import QueueFilter
from ..models import Application
from ..queue import LIST_FIELDS, annotate_rows, expected_waits, with_score_texts
from ..search import KIND as SEARCH_KIND


@login_required
def queue(request):
    """The intake queue, most urgent first: by stored score, then by waiting time. A
    constant number of queries whatever the length (tested)."""
    if not request.user.has_role(Role.VW_INTAKE):
        return render(request, "403.html", status=403)
    search = ListSearch(request, SEARCH_KIND)
    if request.method == "POST" and (response := search.post()):
        return response
    base = (
        Application.objects.visible_to(request.user)
        .select_related("organisation", "intake_officer")
        # Only the columns a row shows: the encrypted text is never read, so never
        # decrypted, and fewer columns are fewer to compile, fetch and convert per row.
        .only(*LIST_FIELDS)
        .order_by("-score", "submitted_at", "pk")
    )
    data = request.GET.copy()
    if search.active:
        # Looking a case up: in every phase unless the user chose one.
        data.setdefault("fase", "alle")
    filterset = QueueFilter(data or None, queryset=base, request=request)
    page = search.paginate(search.filter(filterset.qs), 25, request.GET.get("pagina"))
    search.record(page.paginator.count)
    now = timezone.now()
    # Labels, links and dates per row made once per list (weerbaar/labels.py); then "why
    # here" and its score's text.
    rows = with_labels(page.object_list, "position", "urgency_class", "status")
    with_links(rows, "veiligwonen:detail")
    with_links(rows, "veiligwonen:step", attr="claim_url", after=["claim"])
    with_dates(rows, "sla_due_at")
    page.object_list = with_score_texts(annotate_rows(rows, now))
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "veiligwonen/queue.html",
        {
            "filter": filterset,
            "page": page,
            "waits": expected_waits(),
            "params": params.urlencode(),
            "search": search,
        },
    )
