"""Attachments: uploaded through the checks of ``incidents.attachments``, downloaded only
through the access scope of their melding, never shown inline, never cached."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar import audit
from weerbaar.access import get_visible_or_404
from weerbaar.constants import AuditAction

from .. import services
from ..attachments import clean_uploads
from ..models import Attachment, Melding
from .case import case_redirect


@login_required
@require_POST
def upload(request, pk):
    melding = get_visible_or_404(request, Melding, pk=pk)
    files = request.FILES.getlist("attachments")
    if files and not ratelimit.consume(request, action="melding_upload", user=request.user):
        messages.error(
            request,
            _("Te veel bijlagen in korte tijd. Probeer het later opnieuw."),
            extra_tags="berichten",
        )
        return case_redirect(melding.pk, "berichten")
    try:
        cleaned = clean_uploads(files)
        for filename, content_type, blob in cleaned:
            services.add_attachment(
                melding,
                actor=request.user,
                filename=filename,
                content_type=content_type,
                data=blob,
                request=request,
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages), extra_tags="berichten")
    except services.NotAllowed:
        messages.error(
            request, _("U kunt bij deze melding geen bijlagen toevoegen."), extra_tags="berichten"
        )
    else:
        if cleaned:
            messages.success(request, _("De bijlage is toegevoegd."), extra_tags="berichten")
    return case_redirect(melding.pk, "berichten")


@login_required
def download(request, pk):
    attachment = get_visible_or_404(request, Attachment.objects.select_related("melding"), pk=pk)
    audit.record(
        AuditAction.DOWNLOAD, request=request, obj=attachment.melding, attachment=attachment.pk
    )
    response = HttpResponse(attachment.data, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
