"""The wording of timeline lines. A line is stored as a code and its parameters and worded
when it is shown, in the viewer's language: a change made from an English browser reads
Dutch in a Dutch reporter's timeline. A parameter that is a choice is stored as its value
and shown as its label; names and titles people typed are shown as stored."""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from . import workflow
from .constants import (
    AangifteStatus,
    AftercareKind,
    EscalationLevel,
    LetterKind,
    PerpetratorActionKind,
    Severity,
    Step,
)

__all__ = ["TEXTS", "Line", "line", "render"]


class Line(NamedTuple):
    code: str
    params: dict


class _Text:
    def __init__(self, template, **choices):
        self.template = template
        self.choices = choices

    def __call__(self, params):
        values = {}
        for name, value in params.items():
            choices = self.choices.get(name)
            values[name] = choices(value).label if choices else value
        return str(self.template) % values


def _transition(params):
    return str(workflow.TRANSITIONS[(params["old"], params["new"])][1])


TEXTS = {
    "melding.draft_saved": _Text(_("Concept opgeslagen")),
    "melding.status": _transition,
    "melding.attachment": _Text(_("Bijlage toegevoegd")),
    "melding.severity": _Text(_("Ernst vastgesteld: %(s)s"), s=Severity),
    "melding.assigned": _Text(_("Toegewezen aan %(n)s")),
    "melding.unassigned": _Text(_("Niet toegewezen")),
    "melding.note": _Text(_("Interne notitie toegevoegd")),
    "message.reporter": _Text(_("Bericht van de melder")),
    "message.handler": _Text(_("Bericht van de behandelaar")),
    "step.done": _Text(_("Stap afgerond: %(s)s"), s=Step),
    "step.reopened": _Text(_("Stap heropend: %(s)s"), s=Step),
    "local_step.done": _Text(_("Stap afgerond: %(s)s")),
    "local_step.reopened": _Text(_("Stap heropend: %(s)s")),
    "aftercare": _Text(_("Nazorg: %(k)s"), k=AftercareKind),
    "perpetrator": _Text(_("Opvolging pleger: %(k)s"), k=PerpetratorActionKind),
    "aangifte.status": _Text(_("Aangifte: %(s)s"), s=AangifteStatus),
    "shared.granted": _Text(_("Gedeeld met %(n)s")),
    "shared.revoked": _Text(_("Delen met %(n)s ingetrokken")),
    "letter": _Text(_("Brief gemaakt: %(k)s"), k=LetterKind),
    "escalation": _Text("%(l)s", l=EscalationLevel),
    "reminder.aftercare": _Text(_("Herinnering: nazorgcontrole na %(d)s dagen")),
    "reminder.aangifte": _Text(_("Herinnering: hoe staat het met de aangifte?")),
    "reminder.aangifte_police": _Text(
        _("Herinnering: de politie heeft de aangifte niet bevestigd")
    ),
    "reminder.idle": _Text(_("Herinnering: er is al twee weken niets gebeurd")),
}


def line(code, **params):
    """A line to write; an unknown code fails here, at the write, not when shown."""
    if code not in TEXTS:
        raise KeyError(code)
    return Line(code, params)


def render(code, params, fallback=""):
    """The line in the active language; ``fallback`` (the text stored before lines had
    codes) when there is no code or the code is no longer known."""
    text = TEXTS.get(code)
    if text is None:
        return fallback
    try:
        return text(params)
    except (KeyError, ValueError):
        return fallback
