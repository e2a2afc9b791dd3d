"""The Veilig Wonen transition table (DESIGN.md §6).

Each action names the states it may start from, the state it leads to and the case roles
that may take it. ``services`` is the only caller: it locks the application, asks
``check`` and then writes the change, its timeline entry, the audit line and the outbox
rows in one transaction. A case role is what a user is *to this application*
(``veiligwonen.access.case_roles``), not merely a membership.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import Status as S

__all__ = ["ACTIONS", "CaseRole", "Transition", "TransitionNotAllowed", "allowed_actions", "check"]


class CaseRole:
    APPLICANT = "applicant"
    EMPLOYER = "employer"
    INTAKE = "intake"
    ADVISER = "adviser"
    BVA = "bva"


class TransitionNotAllowed(Exception):
    """The action does not apply in this state or not for this user; the message is Dutch
    and may be shown as is. ``field`` names the form field the refusal is about (None: the
    form as a whole), so the step view can show it beside what the user typed."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: the caller names it (``cancel_handoff``)
    roles: frozenset
    label: str


def _t(sources, target, roles, label):
    return Transition(frozenset(sources), target, frozenset(roles), label)


R = CaseRole
# The order an application passes through on its way to completion; the index of a status
# says which milestones it has reached (the load and demo data write their dates by it).
PATH = [
    S.SUBMITTED,
    S.INTAKE_PLANNED,
    S.INTAKE_HELD,
    S.SCAN_PLANNED,
    S.SCAN_DONE,
    S.ADVICE_DRAFT,
    S.UNDER_REVIEW,
    S.ADVICE_ISSUED,
    S.MEASURES_IN_PROGRESS,
    S.COMPLETED,
]
BEFORE_ADVICE = {S.SUBMITTED, S.INTAKE_PLANNED, S.INTAKE_HELD, S.SCAN_PLANNED, S.SCAN_DONE}

ACTIONS = {
    "plan_intake": _t({S.SUBMITTED}, S.INTAKE_PLANNED, {R.INTAKE}, _("Intakegesprek plannen")),
    "not_eligible": _t({S.SUBMITTED}, S.NOT_ELIGIBLE, {R.INTAKE}, _("Niet in aanmerking")),
    "hold_intake": _t(
        {S.INTAKE_PLANNED}, S.INTAKE_HELD, {R.INTAKE, R.ADVISER}, _("Intakegesprek vastleggen")
    ),
    # BZK refers the case (the referral carries the home address: BZK's document, not the
    # CCV's); it stays BZK's until the receiving unit has confirmed receipt.
    "hand_off": _t(BEFORE_ADVICE, S.HANDOFF_PENDING, {R.INTAKE}, _("Overdragen aan het Stelsel")),
    "confirm_handoff": _t(
        {S.HANDOFF_PENDING}, S.HANDED_OFF, {R.INTAKE}, _("Ontvangst van de overdracht vastleggen")
    ),
    # The unit refused, or the hand-off was recorded in error: back to BZK, in the state the
    # case was handed off from (no fixed target: ``services.cancel_handoff`` reads it from
    # the timeline).
    "cancel_handoff": _t(
        {S.HANDOFF_PENDING},
        None,
        {R.INTAKE},
        _("Overdracht terugnemen (geweigerd of ten onrechte vastgelegd)"),
    ),
    "plan_scan": _t(
        {S.INTAKE_HELD}, S.SCAN_PLANNED, {R.ADVISER, R.INTAKE}, _("Woningscan plannen")
    ),
    "record_scan": _t({S.SCAN_PLANNED}, S.SCAN_DONE, {R.ADVISER}, _("Woningscan vastleggen")),
    "start_advice": _t({S.SCAN_DONE}, S.ADVICE_DRAFT, {R.ADVISER}, _("Advies opstellen")),
    "submit_for_review": _t(
        {S.ADVICE_DRAFT}, S.UNDER_REVIEW, {R.ADVISER}, _("Ter beoordeling aanbieden")
    ),
    "return_advice": _t({S.UNDER_REVIEW}, S.RETURNED, {R.BVA}, _("Terugsturen met opmerkingen")),
    "resume_draft": _t({S.RETURNED}, S.ADVICE_DRAFT, {R.ADVISER}, _("Advies aanpassen")),
    "issue_advice": _t({S.UNDER_REVIEW}, S.ADVICE_ISSUED, {R.BVA}, _("Goedkeuren en uitbrengen")),
    "start_measures": _t(
        {S.ADVICE_ISSUED}, S.MEASURES_IN_PROGRESS, {R.EMPLOYER}, _("Maatregelen uitvoeren")
    ),
    "complete": _t({S.MEASURES_IN_PROGRESS}, S.COMPLETED, {R.EMPLOYER}, _("Afronden")),
    "withdraw": _t(
        BEFORE_ADVICE | {S.ADVICE_DRAFT, S.UNDER_REVIEW, S.RETURNED},
        S.WITHDRAWN,
        {R.APPLICANT, R.EMPLOYER},
        _("Aanvraag intrekken"),
    ),
}


def check(action, status, roles):
    """The transition for ``action`` from ``status`` by someone with case ``roles``."""
    transition = ACTIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Onbekende handeling."))
    if status not in transition.sources:
        raise TransitionNotAllowed(_("Deze stap is in de huidige status niet mogelijk."))
    if not transition.roles & set(roles):
        raise TransitionNotAllowed(_("U mag deze stap niet zetten."))
    return transition


def allowed_actions(status, roles):
    """Action names available now, for showing the right buttons."""
    roles = set(roles)
    return [name for name, t in ACTIONS.items() if status in t.sources and t.roles & roles]
