"""Saving an organisation's local protocol. Who may (the organisation's griffier and
secretaris, the functioneel beheerder) is ``may_edit``; every save is audited with the
roles before and after per position, as role values — never case content, and not the
protocol text itself (only whether it changed)."""

from django.db import transaction

from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind, Role

from .. import protocol
from ..models import LocalProtocol, ProtocolRoute

__all__ = ["may_edit", "save_protocol"]

EDITORS = frozenset({Role.GRIFFIER, Role.SECRETARIS})


def may_edit(user, organisation):
    """The organisation's own griffier or secretaris, or a functioneel beheerder; national
    bodies have no local protocol."""
    if organisation.kind == OrganisationKind.NATIONAL:
        return False
    return any(
        m.role == Role.FUNCTIONEEL_BEHEERDER
        or (m.role in EDITORS and m.organisation_id == organisation.pk)
        for m in user.active_memberships
    )


def _as_roles(choice):
    return {"receive": sorted(choice.receive), "escalate": sorted(choice.escalate)}


@transaction.atomic
def save_protocol(*, organisation, actor, choices, text_nl, text_en, request=None):
    """Replace the organisation's protocol with ``choices`` ({position key: Choice}, each
    within ``protocol.OPTIONS``) and the two texts. Meldingen already sent keep the
    snapshot they were sent with."""
    if not may_edit(actor, organisation):
        raise PermissionError
    for key, choice in choices.items():
        protocol.clean(key, choice)
    row, _created = LocalProtocol.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = protocol.choices_of(organisation.pk)
    changes = {
        key: {
            "before": _as_roles(before.get(key, protocol.Choice())),
            "after": _as_roles(choice),
        }
        for key, choice in choices.items()
        if choice != before.get(key, protocol.Choice())
    }
    texts_changed = [
        name
        for name, value in (("text_nl", text_nl), ("text_en", text_en))
        if getattr(row, name) != value
    ]
    row.text_nl, row.text_en, row.updated_by = text_nl, text_en, actor
    row.save()
    row.routes.all().delete()
    ProtocolRoute.objects.bulk_create(
        ProtocolRoute(
            protocol=row,
            position=key,
            receive=sorted(choice.receive),
            escalate=sorted(choice.escalate),
        )
        for key, choice in choices.items()
        if choice != protocol.Choice()
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        obj=row,
        request=request,
        organisation=organisation,
        kind="local_protocol",
        changes=changes,
        texts_changed=texts_changed,
    )
    return row
