"""The monitor pages: the statistics page, a CSV per table, and the report as a web page
and as a PDF. Each builds the whole protected monitor for the user's selection through
``_context``; the report page and the PDF render the same template body from it, so the
PDF holds exactly the figures the report page shows."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from weerbaar import audit
from weerbaar.constants import AuditAction

from . import exports, snapshot
from .access import monitor_filter
from .charts import chart_for
from .external import zicht_op_ondermijning
from .filters import legacy_period
from .selection import MONTH, QUARTER

__all__ = ["csv_export", "index", "pdf_report", "report_page"]


def fixed_periods_only(view):
    """An address of before the fixed periods (``?van=2026-03&tot=2026-04``) is sent on to
    the smallest fixed period that holds those months, saying so; one that cannot be read
    loses its months and shows the default period."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if "jaar" in request.GET or not ({"van", "tot"} & set(request.GET)):
            return view(request, *args, **kwargs)
        query = request.GET.copy()
        legacy = legacy_period(query)
        for name in ("van", "tot"):
            query.pop(name, None)
        if legacy is not None:
            start, end, period = legacy
            query["jaar"] = str(period.year)
            if period.kind == QUARTER:
                query["kwartaal"] = str(period.number)
            if period.kind == MONTH:
                query["maand"] = str(period.number)
            messages.info(
                request,
                _(
                    "De monitor toont alleen vaste perioden: een maand, een kwartaal of een "
                    "heel jaar. U vroeg om %(start)s tot en met %(end)s; u ziet nu %(period)s."
                )
                % {
                    "start": date_format(start, "F Y"),
                    "end": date_format(end, "F Y"),
                    "period": period.label,
                },
            )
        url = request.path + (f"?{query.urlencode()}" if query else "")
        return redirect(url)

    return wrapped


def _context(request):
    filterset = monitor_filter(request)
    selection = filterset.selection()
    monitor = snapshot.build(selection)
    query = request.GET.urlencode()
    return {
        "filter": filterset,
        "selection": selection,
        "monitor": monitor,
        "query": f"?{query}" if query else "",
        "ondermijning": zicht_op_ondermijning(selection.organisation),
        # Drawn when the template needs them: not when it shows the figures of a
        # snapshot it rendered before (``sections_cache``).
        "sections": SimpleLazyObject(
            lambda: [
                {"section": s, "figures": [(f, chart_for(f)) for f in s.figures]}
                for s in monitor.sections
            ]
        ),
        "sections_cache": f"{monitor.snapshot}|{query}" if monitor.snapshot else "",
        "generated_at": timezone.localtime(),
        "filter_day": timezone.localdate().isoformat(),
    }


@require_GET
@login_required
@fixed_periods_only
def index(request):
    return render(request, "monitor/index.html", _context(request))


@require_GET
@login_required
@fixed_periods_only
def report_page(request):
    return render(request, "monitor/report.html", _context(request))


@require_GET
@login_required
@fixed_periods_only
def csv_export(request, slug):
    filterset = monitor_filter(request)
    selection = filterset.selection()
    figure = snapshot.build(selection).figure(slug)
    if figure is None:
        raise Http404
    audit.record(
        AuditAction.EXPORT,
        request=request,
        export="monitor.csv",
        figure=slug,
        **exports.describe(selection),
    )
    response = HttpResponse(exports.figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(selection, slug)}.csv"'
    )
    return response


@require_GET
@login_required
@fixed_periods_only
def pdf_report(request):
    context = _context(request)
    selection = context["selection"]
    audit.record(
        AuditAction.EXPORT,
        request=request,
        organisation=selection.organisation,
        export="monitor.pdf",
        **exports.describe(selection),
    )
    response = HttpResponse(exports.report_pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(selection, "rapport")}.pdf"'
    )
    return response
