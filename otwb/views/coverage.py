from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import coverage
from ..models import Tour
from .common import coordinator_required

# Any id: the detail URL is built once and the id put in per row (a reverse() per row of
# the not-approached list costs more than the rest of the row).
_ANY_ID = 987654321


def _with_links(trajecten):
    """``url`` per traject."""
    trajecten = list(trajecten)
    pattern = reverse("otwb:traject_detail", args=[_ANY_ID])
    for t in trajecten:
        t.url = pattern.replace(str(_ANY_ID), str(t.pk))
    return trajecten


@coordinator_required
def coverage_view(request):
    tours = list(Tour.objects.all())
    if not tours:
        raise Http404
    chosen = request.GET.get("ronde")
    tour = next((t for t in tours if str(t.pk) == chosen), tours[0])
    rows, gemeenten, provincies = coverage.by_province(tour)
    series = coverage.over_time(tour)
    context = {
        "tours": tours,
        "tour": tour,
        "rows": rows,
        "gemeenten": gemeenten,
        "provincies": provincies,
        "chart": coverage.bar_chart([*rows, gemeenten, provincies]),
        "series": series,
        "line": coverage.line_chart(series),
        "not_approached": _with_links(coverage.not_approached(tour)),
    }
    return render(request, "otwb/coverage.html", context)
