"""The Veilig Wonen part of the start page (``weerbaar.navigation.start_panels_for``): the
intake queue with its SLA state for BZK intake, the adviser's own cases, the BVA's reviews,
and for an office holder whether the scheme is theirs and why not (no query)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Position, Role
from weerbaar.counting import Capped, capped_count_column, capped_counts
from weerbaar.navigation import Panel

from .constants import ELIGIBLE_POSITIONS, OPEN, WAITING_FOR_INTAKE, Status, UrgencyClass
from .models import Application

__all__ = ["ROWS", "panels", "sla_state"]

ROWS = 5
ROW_FIELDS = ("status", "urgency_class", "submitted_at", "sla_warn_at", "sla_due_at", "score")


def sla_state(application, now):
    """("late" | "soon" | "on_time" | "", text): where the intake stands against its term;
    empty once the intake was held or the case left the queue."""
    if application.status not in WAITING_FOR_INTAKE or application.sla_due_at is None:
        return "", ""
    if application.sla_due_at < now:
        return "late", _("Termijn verlopen")
    if application.sla_warn_at is not None and application.sla_warn_at <= now:
        return "soon", _("Termijn verloopt bijna")
    return "on_time", _("Op tijd")


@dataclass
class Tally:
    title: str
    count: int
    url: str
    key: str


@dataclass
class QueuePanel:
    heading: str
    counts: list
    rows: list
    list_url: str
    list_title: str
    now: object = None
    empty: str = ""
    urgency_labels: dict = field(default_factory=dict)


def _rows(qs, now):
    rows = list(qs)
    statuses, urgencies = dict(Status.choices), dict(UrgencyClass.choices)
    for app in rows:
        app.status_label = statuses.get(app.status, app.status)
        app.urgency_label = urgencies.get(app.urgency_class, app.urgency_class)
        app.sla, app.sla_label = sla_state(app, now)
    return rows


def intake_panel(user, now):
    """The waiting queue (what ``veiligwonen:queue`` lists first), its counts by SLA
    state and the cases this officer took up: one statement of counts and one list. Each
    count stops at ``weerbaar.counting.CAP`` ("meer dan 1.000"), read from the queue's
    partial indexes, where one aggregate over the whole queue grew with it (issue 25 §2)."""
    waiting = Application.objects.filter(status__in=WAITING_FOR_INTAKE)
    counts = capped_counts(
        {
            "waiting": waiting,
            "late": waiting.filter(sla_due_at__lt=now, intake_held_at__isnull=True),
            # Not held yet, as the SLA sweep's "waiting" (an intake held moves the case on):
            # read from the warning's partial index, not from every open application.
            "soon": waiting.filter(
                sla_warn_at__lte=now, sla_due_at__gte=now, intake_held_at__isnull=True
            ),
            "mine": waiting.filter(intake_officer=user),
        }
    )
    queue = reverse("veiligwonen:queue")
    rows = _rows(waiting.order_by("-score", "submitted_at", "pk").only(*ROW_FIELDS)[:ROWS], now)
    return QueuePanel(
        _("Wachtrij Veilig Wonen"),
        [
            Tally(_("Wachten op intake"), counts["waiting"], queue, "waiting"),
            Tally(
                _("Termijn verlopen"),
                counts["late"],
                f"{queue}?{urlencode({'te_laat': 'true'})}",
                "late",
            ),
            # The queue has no filter for it: a count without a link.
            Tally(_("Termijn verloopt bijna"), counts["soon"], "", "soon"),
            Tally(
                _("Door mij opgepakt"),
                counts["mine"],
                f"{queue}?{urlencode({'opgepakt': 'mijn'})}",
                "mine",
            ),
        ],
        rows,
        queue,
        _("Naar de wachtrij"),
        now,
        _("Er wacht geen aanvraag op intake."),
    )


def _own_list(qs, heading, count_title, empty, now):
    """The first rows of ``qs`` (oldest first) and its count up to ``counting.CAP``: an
    adviser's open cases grow with the applications (the advisers are a national team), so
    the count stops at the cap where a count of every row grew with them (issue 25 §2)."""
    rows = _rows(
        qs.annotate(total=capped_count_column(qs))
        .order_by("submitted_at", "pk")
        .only(*ROW_FIELDS)[:ROWS],
        now,
    )
    total = Capped(rows[0].total) if rows else 0
    index = reverse("veiligwonen:index")
    return QueuePanel(
        heading,
        [Tally(count_title, total, index, "open")],
        rows,
        index,
        _("Alle aanvragen"),
        now,
        empty,
    )


@dataclass
class SchemePanel:
    eligible: bool
    position: str
    positions: list


def scheme_panel(membership):
    """Whether this office holder may apply, and for whom the scheme is (no query)."""
    positions = [Position(p).label for p in Position if p in ELIGIBLE_POSITIONS]
    label = Position(membership.position).label if membership.position in Position.values else ""
    return SchemePanel(membership.position in ELIGIBLE_POSITIONS, label, positions)


def panels(user, membership):
    now = timezone.now()
    role = membership.role
    if role == Role.VW_INTAKE:
        panel = intake_panel(user, now)
    elif role == Role.SECURITY_ADVISER:
        panel = _own_list(
            # The open statuses named (not "not closed"), as the index's condition is.
            Application.objects.filter(adviser=user, status__in=sorted(OPEN)),
            _("Uw aanvragen Veilig Wonen"),
            _("Lopende aanvragen waarop u adviseert"),
            _("U heeft geen lopende aanvragen."),
            now,
        )
    elif role == Role.BVA:
        panel = _own_list(
            Application.objects.visible_to(user).filter(status=Status.UNDER_REVIEW),
            _("Adviezen ter beoordeling"),
            _("Wachten op uw beoordeling"),
            _("Er wacht geen advies op beoordeling."),
            now,
        )
    elif role == Role.OFFICE_HOLDER:
        return [Panel("veiligwonen/includes/start_scheme.html", scheme_panel(membership), 30)]
    else:
        return []
    return [Panel("veiligwonen/includes/start_queue.html", panel, 10)]
