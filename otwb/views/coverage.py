from django.http import Http404
from django.shortcuts import render

from weerbaar.labels import with_links

from .. import coverage
from ..models import Tour
from .common import coordinator_required


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
        "not_approached": with_links(coverage.not_approached(tour), "otwb:traject_detail"),
    }
    return render(request, "otwb/coverage.html", context)
