"""The monitor pages: the statistics page, a CSV per table, and the report as a web page
and as a PDF. Each builds the whole protected monitor for the user's selection through
``_context``; the report page and the PDF render the same template body from it, so the
PDF holds exactly the figures the report page shows."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from weerbaar import audit
from weerbaar.constants import AuditAction

from . import exports, report
from .access import monitor_filter
from .charts import chart_for
from .external import zicht_op_ondermijning

__all__ = ["csv_export", "index", "pdf_report", "report_page"]


def _context(request):
    filterset = monitor_filter(request)
    selection = filterset.selection()
    monitor = report.build(selection)
    query = request.GET.urlencode()
    return {
        "filter": filterset,
        "selection": selection,
        "monitor": monitor,
        "query": f"?{query}" if query else "",
        "ondermijning": zicht_op_ondermijning(selection.organisation),
        "sections": [
            {"section": s, "figures": [(f, chart_for(f)) for f in s.figures]}
            for s in monitor.sections
        ],
        "generated_at": timezone.localtime(),
    }


@require_GET
@login_required
def index(request):
    return render(request, "monitor/index.html", _context(request))


@require_GET
@login_required
def report_page(request):
    return render(request, "monitor/report.html", _context(request))


@require_GET
@login_required
def csv_export(request, slug):
    filterset = monitor_filter(request)
    selection = filterset.selection()
    figure = report.build(selection).figure(slug)
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
