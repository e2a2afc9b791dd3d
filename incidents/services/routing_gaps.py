"""Recording that a route fell back (``routing.CHAINS``) and telling who can fix it.

When nobody holds a route's receiving role in force, someone further down the chain stood
in. That is written on the melding (``routing_fallback``, which also gives the stand-in the
access scope), on its timeline, and told to the functioneel beheerder and the OTWB
coordinators — once per organisation and missing role per day, not at every melding, and
with only which organisation lacks which role, never anything of the case."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction, NationalBody, Role, role_title
from weerbaar.models import Membership, Organisation
from weerbaar.notifications import Message, notify_batch

from ..constants import Fallback, TimelineKind
from ..models import Melding, TimelineEntry
from ..routing import OTWB, gap_text

__all__ = ["record"]


def _stand_in(fallback, organisation):
    if fallback == OTWB:
        return _("de vertrouwenspersonen van het OTWB")
    return str(role_title(fallback, organisation.kind)).lower()


def _alert_recipients():
    """The functioneel beheerders and the OTWB coordinators, as user ids."""
    return set(
        Membership.objects.active()
        .filter(
            Q(role=Role.FUNCTIONEEL_BEHEERDER)
            | Q(role=Role.OTWB_COORDINATOR, organisation__code=NationalBody.OTWB)
        )
        .values_list("user_id", flat=True)
    )


def record(resolutions, *, now=None):
    """Write the fallbacks of ``resolutions`` (each of one melding, from ``Recipients``)
    and alert once per organisation, missing role and day. A statement or two per kind of
    write, however many meldingen fell back (the sweeps call it per chunk)."""
    resolutions = [r for r in resolutions if r.target.melding_id and r.fallback]
    if not resolutions:
        return
    now = now or timezone.now()
    orgs = Organisation.objects.in_bulk({r.target.organisation_id for r in resolutions} - {None})
    by_fallback = {}
    for r in resolutions:
        by_fallback.setdefault(r.fallback, []).append(r.target.melding_id)
    for fallback, ids in by_fallback.items():
        fields = {"routing_fallback": fallback}
        if fallback == Fallback.OTWB:
            fields["otwb_involved"] = True
        Melding.objects.filter(pk__in=ids).update(**fields)
    lines, events, gaps = [], [], {}
    for r in resolutions:
        org = orgs.get(r.target.organisation_id)
        if org is None:
            continue
        summary = _("%(gap)s Daarom ontvangt %(who)s deze melding.") % {
            "gap": gap_text(org, r.missing),
            "who": _stand_in(r.fallback, org),
        }
        lines.append(
            TimelineEntry(
                melding_id=r.target.melding_id,
                at=now,
                kind=TimelineKind.ROUTING,
                summary=summary[:300],
            )
        )
        events.append(
            audit.event(
                AuditAction.UPDATE,
                obj=Melding(pk=r.target.melding_id),
                organisation_id=org.pk,
                kind=TimelineKind.ROUTING,
                fallback=r.fallback,
                missing=list(r.missing),
            )
        )
        for role in r.missing:
            gaps[org.pk, role] = org
    TimelineEntry.objects.bulk_create(lines)
    audit.record_many(events)
    if gaps:
        _alert(gaps, now)


def _alert(gaps, now):
    people = _alert_recipients()
    day = timezone.localdate(now).isoformat()
    notify_batch(
        [
            Message(
                people,
                kind="incidents.routing_gap",
                subject=_("Organisatie zonder ontvanger van meldingen"),
                body=_(
                    "%(gap)s Meldingen gaan daarom naar de volgende in de rij. Zorg dat de "
                    "rol wordt ingevuld in het portaal."
                )
                % {"gap": gap_text(org, [role])},
                dedupe_key=f"incidents:routing-gap:{org.pk}:{role}:{day}",
            )
            for (_pk, role), org in gaps.items()
        ]
    )
