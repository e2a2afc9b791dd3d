"""The wording of the Veilig Wonen timeline. A line is stored as a code and its
parameters (``weerbaar.timeline_lines``) and worded when shown, in the viewer's language.
A line from before codes that the conversion did not recognise keeps its stored text under
the code ``LITERAL``."""

from django.utils.translation import gettext_lazy as _

from weerbaar.timeline_lines import Lines, Text

from . import workflow
from .constants import DocumentKind, MeasureStatus, SweepLevel, UrgencyClass

__all__ = ["LITERAL", "TEXTS", "line", "render"]

LITERAL = "literal"


def _transition(params):
    return str(workflow.ACTIONS[params["a"]].label)


TEXTS = {
    "submitted": Text(_("Aanvraag ingediend")),
    "status": _transition,
    "claimed": Text(_("Opgepakt voor intake")),
    "reclassified": Text(
        _("Urgentie van %(oud)s naar %(nieuw)s"), oud=UrgencyClass, nieuw=UrgencyClass
    ),
    "measure": Text("%(n)s: %(s)s", s=MeasureStatus),
    "reminder": Text("%(l)s", l=SweepLevel),
    "purged": Text(_("Bewaartermijn verstreken")),
    "document": Text("%(k)s", k=DocumentKind),
    "message.applicant": Text(_("Bericht van de aanvrager")),
    "message.bzk": Text(_("Bericht van BZK")),
    "message.adviser": Text(_("Bericht van de adviseur (CCV)")),
}

_LINES = Lines(TEXTS)
line = _LINES.line
render = _LINES.render
