"""The reference table of seats (``SeatCount``): what the law fixes, the band tables the
law sets the size of a council by, and the one write path for an organisation's own
numbers (locked, validated, audited)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .constants import POSITIONS_BY_KIND, AuditAction, Position, SeatSource
from .models import SeatCount

__all__ = [
    "EDITABLE_POSITIONS",
    "FIXED_SEATS",
    "GEMEENTERAAD_BANDS",
    "PROVINCIALE_STATEN_BANDS",
    "allowed_seats",
    "editable_positions",
    "seats_of",
    "update_seats",
]

# One office per organisation by law: one burgemeester (Gemeentewet art. 6) and one
# Commissaris van de Koning (Provinciewet art. 6). The position "dijkgraaf / lid dagelijks
# bestuur" also counts the other members of the dagelijks bestuur, so it is not fixed.
FIXED_SEATS = {Position.BURGEMEESTER: 1, Position.CDK: 1}

# Gemeentewet art. 8 lid 1: (up to this many inhabitants, members of the raad); above
# 200 000 inhabitants 45. Provinciewet art. 8 lid 1 likewise for the Staten, 55 above
# 2 000 000. The portal does not know the population, so these bound what a griffie
# enters; the sources are in docs/monitor.md.
GEMEENTERAAD_BANDS = (
    (3_000, 9),
    (6_000, 11),
    (10_000, 13),
    (15_000, 15),
    (20_000, 17),
    (25_000, 19),
    (30_000, 21),
    (35_000, 23),
    (40_000, 25),
    (45_000, 27),
    (50_000, 29),
    (60_000, 31),
    (70_000, 33),
    (80_000, 35),
    (100_000, 37),
    (200_000, 39),
    (None, 45),
)
PROVINCIALE_STATEN_BANDS = (
    (400_000, 39),
    (500_000, 41),
    (750_000, 43),
    (1_000_000, 45),
    (1_250_000, 47),
    (1_500_000, 49),
    (1_750_000, 51),
    (2_000_000, 53),
    (None, 55),
)
_BANDS = {Position.RAADSLID: GEMEENTERAAD_BANDS, Position.STATENLID: PROVINCIALE_STATEN_BANDS}

# Colleges, dagelijks and algemeen bestuur: no table in the law gives their size exactly;
# a plain bound keeps a typing error out.
MAX_SEATS = 99

EDITABLE_POSITIONS = {
    kind: [p for p in positions if p not in FIXED_SEATS]
    for kind, positions in POSITIONS_BY_KIND.items()
}


def editable_positions(organisation):
    """The positions whose number ``organisation`` may enter on its profile."""
    return EDITABLE_POSITIONS.get(organisation.kind, [])


def allowed_seats(position):
    """The numbers the law allows for ``position`` (a sorted tuple), or None when any
    number from 1 to ``MAX_SEATS`` may be right."""
    bands = _BANDS.get(position)
    if bands is None:
        return None
    return tuple(sorted({seats for _limit, seats in bands}))


def band_message(position):
    if position == Position.RAADSLID:
        return _(
            "Een gemeenteraad heeft volgens artikel 8 van de Gemeentewet 9 tot en met 39 "
            "leden (altijd een oneven aantal) of 45 leden."
        )
    return _(
        "Provinciale Staten hebben volgens artikel 8 van de Provinciewet 39 tot en met 55 "
        "leden, altijd een oneven aantal."
    )


def seats_of(organisation):
    """{position: SeatCount} of ``organisation``."""
    return {s.position: s for s in SeatCount.objects.filter(organisation=organisation)}


@transaction.atomic
def update_seats(*, organisation, actor, values, request=None):
    """Write the organisation's own numbers: ``values`` is {position: seats or None}; None
    removes the number (the monitor then counts the members in the portal). Positions
    that are not the organisation's to enter are refused. Returns the positions whose
    number changed."""
    allowed = set(editable_positions(organisation))
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"positions not editable for {organisation.kind}: {sorted(unknown)}")
    current = {
        s.position: s
        for s in SeatCount.objects.select_for_update().filter(
            organisation=organisation, position__in=allowed
        )
    }
    changed = {}
    today = timezone.localdate()
    for position, seats in values.items():
        row = current.get(position)
        if seats is None:
            if row is not None:
                row.delete()
                changed[position] = None
            continue
        if row is not None and row.seats == seats:
            continue
        SeatCount.objects.update_or_create(
            organisation=organisation,
            position=position,
            defaults={
                "seats": seats,
                "source": SeatSource.ORGANISATION,
                "source_note": "",
                "reference_date": today,
                "updated_by": actor,
            },
        )
        changed[position] = seats
    if changed:
        # Seat numbers are public facts about an office, not personal data: the line
        # keeps them, so the history of a denominator can be read back.
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            obj=organisation,
            request=request,
            organisation=organisation,
            seats={str(p): s for p, s in sorted(changed.items())},
        )
    return sorted(changed)
