"""The traject workflow and the session status table, as data.

A traject moves forward one step at a time; it may be declined (with a reason) from any
state that is not final, and a declined traject may be picked up again. Guards name what
must be true before a step: a voorgesprek is held only with its date recorded, a traject is
completed only when every follow-up agreement is done.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import SessionStatus
from .constants import TrajectStatus as T
from .errors import Refused

__all__ = [
    "SESSION_TRANSITIONS",
    "TRAJECT_TRANSITIONS",
    "TransitionError",
    "check_session_transition",
    "check_traject_transition",
    "next_traject_steps",
]


class TransitionError(Refused):
    """A status change the workflow does not allow; the message is shown to the user."""


_FORWARD = [
    T.NOT_APPROACHED,
    T.INVITED,
    T.CALLED,
    T.VOORGESPREK_PLANNED,
    T.VOORGESPREK_HELD,
    T.SESSION_PLANNED,
    T.SESSION_HELD,
    T.FOLLOW_UP,
    T.COMPLETED,
]
_FINAL = {T.COMPLETED}

TRAJECT_TRANSITIONS = {
    status: ({_FORWARD[i + 1]} if i + 1 < len(_FORWARD) else set())
    | ({T.DECLINED} if status not in _FINAL else set())
    for i, status in enumerate(_FORWARD)
}
# A call may come before the letter, a session may follow the first talk without the
# letter-and-call ritual (a gemeente that asked for it itself).
TRAJECT_TRANSITIONS[T.NOT_APPROACHED] |= {T.CALLED, T.VOORGESPREK_PLANNED}
TRAJECT_TRANSITIONS[T.INVITED] |= {T.VOORGESPREK_PLANNED}
# A session may end the traject when no agreements were made.
TRAJECT_TRANSITIONS[T.SESSION_HELD] |= {T.COMPLETED}
# A cancelled session puts the traject back to waiting for one.
TRAJECT_TRANSITIONS[T.SESSION_PLANNED] |= {T.VOORGESPREK_HELD}
TRAJECT_TRANSITIONS[T.DECLINED] = {T.NOT_APPROACHED, T.INVITED, T.CALLED}


@dataclass(frozen=True)
class Guard:
    check: object
    message: str


def _has_held_voorgesprek(traject, **_kw):
    return traject.voorgesprek_held_at is not None


def _agreements_done(traject, **_kw):
    return not traject.agreements.filter(done_at__isnull=True).exists()


def _has_reason(traject, reason="", **_kw):
    return bool(reason.strip())


GUARDS = {
    T.VOORGESPREK_HELD: Guard(
        _has_held_voorgesprek, _("Leg eerst vast wanneer het voorgesprek is gehouden.")
    ),
    T.COMPLETED: Guard(_agreements_done, _("Er staan nog vervolgafspraken open.")),
    T.DECLINED: Guard(_has_reason, _("Geef een reden op waarom de organisatie afziet.")),
}


def check_traject_transition(traject, to, **context):
    if to not in TRAJECT_TRANSITIONS.get(traject.status, set()):
        raise TransitionError(
            _("Van “%(from)s” kan het traject niet naar “%(to)s”.")
            % {"from": T(traject.status).label, "to": T(to).label}
        )
    guard = GUARDS.get(to)
    if guard and not guard.check(traject, **context):
        raise TransitionError(guard.message)


def next_traject_steps(traject):
    """The states a person can move the traject to by hand, in workflow order."""
    allowed = TRAJECT_TRANSITIONS.get(traject.status, set())
    order = [*_FORWARD, T.DECLINED]
    return [s for s in order if s in allowed]


SESSION_TRANSITIONS = {
    SessionStatus.PLANNED: {SessionStatus.CONFIRMED, SessionStatus.CANCELLED},
    SessionStatus.CONFIRMED: {SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.PLANNED},
    SessionStatus.HELD: set(),
    SessionStatus.CANCELLED: set(),
}


def check_session_transition(session, to, *, vertrouwenspersonen=0, now=None):
    if to not in SESSION_TRANSITIONS.get(session.status, set()):
        raise TransitionError(
            _("Van “%(from)s” kan de sessie niet naar “%(to)s”.")
            % {"from": SessionStatus(session.status).label, "to": SessionStatus(to).label}
        )
    if to == SessionStatus.CONFIRMED and vertrouwenspersonen < session.min_vertrouwenspersonen:
        raise TransitionError(
            _("Wijs eerst minstens %(n)s vertrouwenspersoon of -personen toe.")
            % {"n": session.min_vertrouwenspersonen}
        )
    if to == SessionStatus.HELD and now is not None and session.starts_at > now:
        raise TransitionError(_("Een sessie kan pas na de start als gehouden worden gemarkeerd."))
