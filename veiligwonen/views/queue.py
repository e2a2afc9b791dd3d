from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from weerbaar.constants import Role
from weerbaar.labels import with_labels, with_links
from weerbaar.search_box import ListSearch

from ..filters import QueueFilter
from ..models import Application
from ..models.application import PRIVATE_FIELDS
from ..queue import annotate_rows, expected_waits
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
        # Encrypted text the list never shows: not read, so not decrypted per row.
        .defer(*PRIVATE_FIELDS, "intake_officer__phone")
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
    # Labels and links per row made once per list (weerbaar/labels.py); then "why here".
    page.object_list = with_links(
        with_labels(page.object_list, "position", "urgency_class", "status"), "veiligwonen:detail"
    )
    annotate_rows(page.object_list, now)
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
