"""Making a letter from a case (audited like an export, with an internal timeline line)
and keeping an organisation's letter templates (audited; reset = back to the national
default)."""

from django.db import transaction

from weerbaar import audit
from weerbaar.constants import AuditAction

from ..constants import LetterKind, TimelineKind
from ..letter_files import FORMATS, docx_bytes, pdf_bytes
from ..letters import build
from ..models import LetterTemplate
from ..timeline_texts import line
from .common import NotAllowed, log, require_triager
from .local_steps import can_keep_protocol

__all__ = ["generate_letter", "reset_letter_template", "save_letter_template"]


@transaction.atomic
def generate_letter(
    melding, *, kind, fmt, actor, perpetrator_name="", perpetrator_address="", request=None
):
    """(bytes, content type, file name) of the letter; ``letters.LetterRefused`` when it
    cannot be made. Only the case's triagers; no names in the audit line."""
    require_triager(actor, melding)
    if fmt not in FORMATS:
        raise NotAllowed
    kind = LetterKind(kind)
    letter = build(
        kind,
        melding,
        actor=actor,
        perpetrator_name=perpetrator_name,
        perpetrator_address=perpetrator_address,
    )
    data = pdf_bytes(letter) if fmt == "pdf" else docx_bytes(letter)
    log(
        melding,
        actor=actor,
        kind=TimelineKind.PERPETRATOR if kind == LetterKind.WARNING else TimelineKind.MESSAGE,
        internal=True,
        summary=line("letter", k=kind.value),
        action=AuditAction.EXPORT,
        request=request,
        document="letter",
        letter=kind.value,
        format=fmt,
    )
    return data, FORMATS[fmt], f"{letter.filename_stem}-{melding.reference}.{fmt}"


@transaction.atomic
def save_letter_template(*, organisation, kind, subject, body, actor, request=None):
    if not can_keep_protocol(actor, organisation):
        raise NotAllowed
    kind = LetterKind(kind)
    row, created = LetterTemplate.objects.select_for_update().get_or_create(
        organisation=organisation,
        kind=kind,
        defaults={"subject": subject, "body": body, "updated_by": actor},
    )
    if not created:
        row.subject, row.body, row.updated_by = subject, body, actor
        row.save()
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        obj=row,
        request=request,
        organisation=organisation,
        letter=kind.value,
    )
    return row


@transaction.atomic
def reset_letter_template(*, organisation, kind, actor, request=None):
    """Drop the organisation's own text: its cases get the national default again."""
    if not can_keep_protocol(actor, organisation):
        raise NotAllowed
    kind = LetterKind(kind)
    deleted = LetterTemplate.objects.filter(organisation=organisation, kind=kind).delete()[0]
    if deleted:
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            request=request,
            organisation=organisation,
            letter=kind.value,
            reset="national_default",
        )
    return deleted > 0
