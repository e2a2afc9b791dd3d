"""The whole monitor for one selection: every section's figures, protected. Used by the
page, the CSV export and the PDF report alike."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from weerbaar.models import Organisation

from ..selection import KINDS
from ..summary import using
from . import dimensions, meldingen, quarters, rates, tour, veiligwonen
from .common import session

__all__ = ["Monitor", "Section", "build", "session"]


@dataclass
class Section:
    slug: str
    title: str
    figures: list = field(default_factory=list)
    note: str = ""


@dataclass
class Monitor:
    selection: object
    sections: list
    empty: bool = False
    # How fresh the figures are (``monitor.summary.Source``): the summary's refresh, or
    # the moment they were counted live.
    source: object = None
    # The stored snapshot these figures are (``monitor.snapshot``), or "" when built for
    # an organisation or without a valid snapshot: what a rendering of them may be cached by.
    snapshot: str = ""
    # The running month when the selected period holds it: not counted (finding 6).
    running: object = None

    def figures(self):
        return [f for s in self.sections for f in s.figures]

    def figure(self, slug):
        return next((f for f in self.figures() if f.slug == slug), None)


def groups():
    """The (kind, province) pairs that exist among decentral organisations; the province
    of a waterschap is ``0`` (they cross provincial borders)."""
    pairs = Organisation.objects.filter(kind__in=KINDS).values_list("kind", "province_id")
    return sorted({(kind, province or 0) for kind, province in pairs.distinct()})


def build(selection):
    """The protected monitor for ``selection``, read from the cube of its year (computed
    once per build, or once per ``session()`` around several builds), counted from the
    summary when it is fresh (``monitor.source`` says which)."""
    with using() as source, session():
        monitor = _build(selection)
    monitor.source = source
    return monitor


def _build(selection):
    # The running month is not published: a period that holds it counts the months that
    # have ended (docs/monitor.md, finding 6).
    selection = selection.published()
    layout = selection.layout(() if selection.single else groups())
    running = selection.running_month
    if layout.view not in layout.plain_views() or selection.period not in layout.periods:
        return Monitor(selection, [], empty=True, running=running)
    sections = [
        Section("meldingen", _("Meldingen"), meldingen.figures(selection, layout)),
        Section("gender", _("Meldingen naar gender"), dimensions.figures(selection, layout)),
        Section(
            "verhoudingen",
            _("Meldingen in verhouding"),
            [*rates.figures(selection, layout), *quarters.figures(selection, layout)],
        ),
        Section("veilig-wonen", _("Veilig Wonen"), veiligwonen.figures(selection, layout)),
    ]
    if selection.single:
        sections.append(
            Section(
                "ronde",
                _("Ronde van het Ondersteuningsteam"),
                note=_(
                    "De dekking van de ronde is een landelijk cijfer; de stand van uw eigen "
                    "traject vindt u bij het OTWB."
                ),
            )
        )
    else:
        sections.append(
            Section("ronde", _("Ronde van het Ondersteuningsteam"), tour.figures(selection, layout))
        )
    return Monitor(selection, sections, running=running)
