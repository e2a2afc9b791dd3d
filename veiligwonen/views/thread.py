"""Documents and messages of an application. Uploads go through ``weerbaar.uploads`` (the
checks of a melding's attachments); downloads only through the application's access scope,
audited, never shown inline, never cached."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar import audit
from weerbaar.access import get_visible_or_404
from weerbaar.constants import AuditAction

from .. import forms, services
from ..access import can_see_document, upload_kinds
from ..models import Document
from ..workflow import TransitionNotAllowed
from .case import case_context, load_case


def _again(request, application, **bound):
    """The case page with the refused form, its errors and what was typed."""
    messages.error(request, forms.FORM_ERROR)
    context = case_context(request, application)
    context.update(bound)
    return render(request, "veiligwonen/detail.html", context, status=400)


@login_required
@require_POST
def upload_document(request, pk):
    application = load_case(request, pk)
    kinds = upload_kinds(request.user, application)
    if not kinds:
        raise Http404
    if not ratelimit.consume(request, action="vw_upload", user=request.user):
        messages.error(request, _("Te veel documenten in korte tijd. Probeer het later opnieuw."))
        return redirect(application)
    form = forms.DocumentForm(request.POST, request.FILES, kinds=kinds, auto_id="document-%s")
    if form.is_valid():
        try:
            services.add_document(
                application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                request=request,
                **form.cleaned_data["file"],
            )
        except TransitionNotAllowed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Het document is toegevoegd."))
            return redirect(f"{application.get_absolute_url()}#documenten")
    return _again(request, application, document_form=form)


@login_required
def download_document(request, pk, document_id):
    application = load_case(request, pk)
    document = get_visible_or_404(
        request, Document.objects.filter(application=application), pk=document_id
    )
    if not can_see_document(request.user, application, document):
        raise Http404
    audit.record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=application,
        organisation=application.organisation,
        document=document.pk,
        kind=document.kind,
    )
    response = HttpResponse(document.data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def post_message(request, pk):
    application = load_case(request, pk)
    form = forms.MessageForm(request.POST, auto_id="message-%s")
    if form.is_valid():
        try:
            services.post_message(
                application, actor=request.user, body=form.cleaned_data["body"], request=request
            )
        except TransitionNotAllowed as exc:
            if exc.field is None:
                raise Http404 from exc
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("Uw bericht is verstuurd."))
            return redirect(f"{application.get_absolute_url()}#berichten")
    return _again(request, application, message_form=form)
