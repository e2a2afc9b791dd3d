"""Who the benchmark acts as, and on what: chosen from the load data so that each page is
seen by the person with the most work on it (the griffier who receives the most meldingen,
the reporter with the most meldingen, the case with the longest timeline)."""

from dataclasses import dataclass

from django.db.models import Count

from perf.loadgen import EMAIL_DOMAIN
from weerbaar.constants import Position, Role
from weerbaar.models import Membership, User

__all__ = ["Cast", "cast"]

BIGGEST = "GM0363"  # Amsterdam: the largest gemeente, when there are no meldingen yet


@dataclass
class Cast:
    griffier: User
    # Who triages the benchmark's case: the griffier, or at tiny scales the CdK.
    triager: User
    raadslid: User
    raadslid_membership: Membership
    intake: User
    coordinator: User
    # The other start pages' people (issue 21 §1): the triager's organisation's secretaris
    # and voorzitter where it has them, a vertrouwenspersoon, an adviser, a BVA.
    secretaris: User | None
    voorzitter: User | None
    vertrouwenspersoon: User | None
    adviser: User | None
    bva: User | None
    # The national monitor (every view of the country protected at once).
    analyst: User | None
    melding_id: int | None
    # The triager's most recent melding with an aangifte (the API's aangifte endpoint).
    aangifte_melding_id: int | None
    application_id: int | None
    session_id: int | None


def _maybe(role, code=None):
    try:
        return _member(role, code).user
    except LookupError:
        return None


def _member(role, code=None, position=None):
    qs = Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}", role=role)
    if code:
        qs = qs.filter(organisation__code=code)
    if position:
        qs = qs.filter(position=position)
    m = qs.select_related("user", "organisation").order_by("pk").first()
    if m is None:
        raise LookupError(f"no load user with role {role} {code or ''}: run seed_load first")
    return m


def cast():
    from incidents.models import Melding
    from otwb.constants import SessionStatus
    from otwb.models import Session
    from veiligwonen.constants import Status as VW
    from veiligwonen.models import Application

    def busiest(route):
        return (
            Melding.objects.filter(route=route)
            .exclude(status="draft")
            .values("route_organisation")
            .annotate(n=Count("pk"))
            .order_by("-n", "route_organisation")
            .values_list("route_organisation__code", flat=True)
            .first()
        )

    # The griffier with the most meldingen; at tiny scales only burgemeesters have filed,
    # and their meldingen go to the Commissaris van de Koning (the province's voorzitter).
    council = busiest("griffier")
    griffier = _member(Role.GRIFFIER, council or BIGGEST).user
    chair = None if council else busiest("chair")
    triager = _member(Role.VOORZITTER, chair).user if chair else griffier
    reporters = Melding.objects.filter(
        reporter__email__endswith=f"@{EMAIL_DOMAIN}", reporter_role=Role.OFFICE_HOLDER
    )
    # A raadslid when the data has them (the common case); at tiny scales only the chairs
    # exist.
    if reporters.filter(reporter_position=Position.RAADSLID).exists():
        reporters = reporters.filter(reporter_position=Position.RAADSLID)
    raadslid_id = (
        reporters.values("reporter")
        .annotate(n=Count("pk"))
        .order_by("-n", "reporter")
        .values_list("reporter", flat=True)
        .first()
    )
    membership = (
        Membership.objects.filter(user_id=raadslid_id, role=Role.OFFICE_HOLDER)
        .select_related("user", "organisation")
        .first()
    ) or _member(Role.OFFICE_HOLDER, BIGGEST)
    case = (
        Melding.objects.triageable_by(triager)
        .exclude(status="draft")
        .annotate(n=Count("timeline"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    with_aangifte = (
        Melding.objects.triageable_by(triager)
        .filter(aangifte__isnull=False)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    application = (
        Application.objects.filter(status=VW.MEASURES_IN_PROGRESS)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    session = (
        Session.objects.filter(status=SessionStatus.PLANNED, starts_at__gt=_now())
        .order_by("starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    return Cast(
        griffier=griffier,
        triager=triager,
        raadslid=membership.user,
        raadslid_membership=membership,
        intake=_member(Role.VW_INTAKE).user,
        coordinator=_member(Role.OTWB_COORDINATOR).user,
        secretaris=_maybe(Role.SECRETARIS, council or BIGGEST),
        voorzitter=_maybe(Role.VOORZITTER, council or BIGGEST),
        vertrouwenspersoon=_maybe(Role.VERTROUWENSPERSOON),
        adviser=_maybe(Role.SECURITY_ADVISER),
        bva=_maybe(Role.BVA),
        analyst=_maybe(Role.ANALYST),
        melding_id=case,
        aangifte_melding_id=with_aangifte,
        application_id=application,
        session_id=session,
    )


def _now():
    from django.utils import timezone

    return timezone.now()
