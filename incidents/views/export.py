"""The registration export of the triage dashboard: a form (format, free text or not) and
the file. The file holds exactly the dashboard's list: the same scope (``triageable_by``),
the same filters and search and order, read from the query string the dashboard link
carries. Every export is audited; one with free text also as a view of each melding it
holds, so the reporter sees who read their words (case page, "Wie heeft uw melding
bekeken?")."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from weerbaar import audit
from weerbaar.constants import AuditAction
from weerbaar.search_box import ListSearch

from ..forms_export import ExportForm
from ..models import Melding
from ..search import KIND as SEARCH_KIND
from . import export_files
from .dashboard import _filters_in_use, filtered

__all__ = ["export", "export_csv"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _selection(request):
    """The dashboard's list for this request (scope, filters, search, order), the filter
    set, and the search."""
    base, filterset = filtered(request)
    search = ListSearch(request, SEARCH_KIND)
    qs = search.filter(filterset.qs if filterset.is_bound else base)
    keys = [k for k in qs.query.order_by if k not in ("pk", "-pk")] or ["-submitted_at"]
    return qs.order_by(*keys, "-pk"), filterset, search


def _querystring(request):
    return request.GET.urlencode()


@login_required
def export(request):
    """GET: the form, with the number of meldingen the file will hold. POST: the file."""
    qs, filterset, search = _selection(request)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _file(request, qs, filterset, search, **form.cleaned_data)
    querystring = _querystring(request)
    back = reverse("incidents:dashboard") + (f"?{querystring}" if querystring else "")
    return render(
        request,
        "incidents/export.html",
        {
            "form": form,
            "count": qs.count(),
            "filtered": _filters_in_use(filterset),
            "searched": search.active,
            "querystring": querystring,
            "back": back,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def export_csv(request):
    """The earlier address of the CSV (bookmarks): the same file without free text. Free
    text is chosen on the form only, so an old link asking for it leads there."""
    qs, filterset, search = _selection(request)
    if "with_text" in request.GET:
        params = request.GET.copy()
        params.pop("with_text")
        query = params.urlencode()
        form_url = reverse("incidents:export_form")
        return HttpResponseRedirect(form_url + (f"?{query}" if query else ""))
    return _file(request, qs, filterset, search, format="csv", with_text=False)


def _file(request, qs, filterset, search, *, format, with_text):
    qs = export_files.export_queryset(qs, with_text=with_text)
    detail = {
        "kind": f"incidents.{format}",
        "with_text": with_text,
        # Only which known filters were used: raw input does not belong in the audit log.
        "filters": sorted(k for k in request.GET if k in filterset.filters),
        "searched": search.active,
    }
    if with_text:
        ids = list(qs.order_by().values_list("pk", flat=True))
        audit.record(AuditAction.EXPORT, request=request, count=len(ids), **detail)
        audit.record_many(
            [
                audit.event(AuditAction.VIEW, request=request, obj=Melding(pk=pk), export=True)
                for pk in ids
            ]
        )
    else:
        audit.record(AuditAction.EXPORT, request=request, count=qs.count(), **detail)
    rows = export_files.rows(qs, with_text=with_text)
    filename = f"meldingen-registratie-{timezone.localdate():%Y-%m-%d}.{format}"
    if format == "xlsx":
        response = FileResponse(
            export_files.xlsx_file(rows, with_text=with_text),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES["xlsx"],
        )
    else:
        response = StreamingHttpResponse(
            export_files.csv_chunks(rows, with_text=with_text), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
