"""The transition table of a melding. ``services.transition`` is the only caller; a view
or task never sets ``status`` itself.

Each entry says which side may make the move: the reporter (or the person who filed on
their behalf) or a triager who sees the case.
"""

from django.utils.translation import gettext_lazy as _

from .constants import Status

__all__ = ["REPORTER", "TRANSITIONS", "TRIAGER", "TransitionError", "allowed", "check"]

REPORTER, TRIAGER = "reporter", "triager"

# (from, to): (who may do it, label shown on the timeline and in buttons)
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): (REPORTER, _("Melding verstuurd")),
    (Status.DRAFT, Status.WITHDRAWN): (REPORTER, _("Concept verwijderd")),
    (Status.SUBMITTED, Status.IN_TRIAGE): (TRIAGER, _("Ontvangst bevestigd")),
    (Status.SUBMITTED, Status.WITHDRAWN): (REPORTER, _("Melding ingetrokken")),
    (Status.IN_TRIAGE, Status.IN_FOLLOW_UP): (TRIAGER, _("In opvolging genomen")),
    (Status.IN_TRIAGE, Status.CLOSED): (TRIAGER, _("Afgesloten")),
    (Status.IN_TRIAGE, Status.WITHDRAWN): (REPORTER, _("Melding ingetrokken")),
    (Status.IN_FOLLOW_UP, Status.CLOSED): (TRIAGER, _("Afgesloten")),
    (Status.IN_FOLLOW_UP, Status.WITHDRAWN): (REPORTER, _("Melding ingetrokken")),
    (Status.CLOSED, Status.IN_FOLLOW_UP): (TRIAGER, _("Heropend")),
    (Status.WITHDRAWN, Status.SUBMITTED): (REPORTER, _("Opnieuw ingediend")),
}


class TransitionError(Exception):
    """A move the table does not allow (or not for this side)."""


def check(current, target, side):
    entry = TRANSITIONS.get((current, target))
    if entry is None or entry[0] != side:
        raise TransitionError(f"{current} → {target} not allowed for {side}")
    return entry[1]


def allowed(current, side):
    """The statuses ``side`` may move a melding to from ``current``, with labels."""
    return [
        (to, label)
        for (frm, to), (who, label) in TRANSITIONS.items()
        if frm == current and who == side
    ]
