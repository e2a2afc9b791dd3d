"""The meldingen part of the start page (``weerbaar.navigation.start_panels_for``): for a
reporter "Melding doen" and their own meldingen; for a griffier, secretaris or voorzitter
what needs them now; for an OTWB vertrouwenspersoon the confidential cases and the nazorg
that is due. Each block is a count and its first rows, and links to the triage dashboard
filtered by the same condition (``filters``), so the count and the list agree.

Queries: a triager's panel costs two (every count and the first ids of every block in one
aggregate, then those rows), a reporter's two (their meldingen with the total and the
new-message flag, and the organisation's "Bij wie meldt u?" text)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import REPORTER_ROLES, Role
from weerbaar.counting import Capped, capped_counts, capped_ids
from weerbaar.navigation import Panel

from . import filters
from .constants import OPEN_STATUSES, EscalationLevel, Severity, Status
from .models import Melding

__all__ = ["ROWS", "panels"]

# Rows shown under each count.
ROWS = 3
MY_ROWS = 5
TRIAGE_KEEPERS = frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER})


@dataclass
class Block:
    key: str
    title: str
    query: dict  # the dashboard's GET parameters that list the same meldingen
    condition: object = None
    order_by: tuple = ("ack_deadline", "pk")
    count: int = 0
    rows: list = field(default_factory=list)

    @property
    def url(self):
        return f"{reverse('incidents:dashboard')}?{urlencode(self.query)}"


def _triage_blocks(membership, user, now):
    escalated = (
        EscalationLevel.VOORZITTER
        if membership.role == Role.VOORZITTER
        else EscalationLevel.REMINDER
    )
    return [
        Block(
            "awaiting",
            _("Wacht op ontvangstbevestiging"),
            {"status": Status.SUBMITTED, "sort": "ack_deadline"},
            filters.awaiting_q(),
        ),
        Block(
            "due_today",
            _("Termijn verloopt vandaag"),
            {"due_today": "on", "sort": "ack_deadline"},
            filters.due_today_q(now),
        ),
        Block(
            "escalated",
            _("Geëscaleerd naar u")
            if escalated == EscalationLevel.VOORZITTER
            else _("Geëscaleerd (herinnering gestuurd)"),
            {"escalated": int(escalated), "sort": "ack_deadline"},
            filters.escalated_q(escalated),
        ),
        Block(
            "steps_overdue",
            _("Eigen stappen over de termijn"),
            {"steps_overdue": "on"},
            filters.steps_overdue_q(now),
            ("-submitted_at", "-pk"),
        ),
        Block(
            "aangifte_due",
            _("Status van de aangifte gevraagd"),
            {"aangifte_due": "on"},
            filters.aangifte_due_q(now),
            ("-submitted_at", "-pk"),
        ),
        Block(
            "new_message",
            _("Nieuwe berichten"),
            {"new_message": "on"},
            filters.new_message_q(user),
            ("-submitted_at", "-pk"),
        ),
    ]


def _otwb_blocks(now):
    return [
        Block(
            "confidential",
            _("Vertrouwelijke meldingen"),
            {"confidential": "on"},
            filters.confidential_q(),
            ("-submitted_at", "-pk"),
        ),
        Block(
            "aftercare_due",
            _("Nazorg te doen"),
            {"aftercare_due": "on"},
            filters.aftercare_due_q(now),
            ("submitted_at", "pk"),
        ),
    ]


ROW_FIELDS = ("pk", "status", "severity", "severity_proposal", "ack_deadline", "submitted_at")


def fill(blocks, scope):
    """Count every block up to ``counting.CAP`` and find its first rows, in one query over
    the scope, then read those few rows by id. On PostgreSQL each block is an ordered array
    of at most ``CAP + 1`` ids, a subquery of its own: each block gets its own plan, which
    stops at the cap, instead of one scan of every open case of the organisation shared by
    all blocks (whose cost grew with the open cases: issue 25 §2). Beyond the cap the count
    reads "meer dan 1.000" (docs/performance.md, "Capped counts"). The OTWB's blocks, whose
    scope is national, each read an index of their own in their order
    (``melding_otwb_confidential``, ``melding_otwb_aftercare``)."""
    if not blocks:
        return blocks
    if connection.vendor == "postgresql":
        found = capped_ids({b.key: scope.filter(b.condition).order_by(*b.order_by) for b in blocks})
        counts = {b.key: Capped(len(found[b.key])) for b in blocks}
        ids = {b.key: found[b.key][:ROWS] for b in blocks}
    else:  # SQLite (make run): the counts, then a query per block
        counts = capped_counts({b.key: scope.filter(b.condition) for b in blocks})
        ids = {
            b.key: list(
                scope.filter(b.condition).order_by(*b.order_by).values_list("pk", flat=True)[:ROWS]
            )
            for b in blocks
        }
    wanted = {pk for pks in ids.values() for pk in pks}
    rows = {row["pk"]: row for row in Melding.objects.filter(pk__in=wanted).values(*ROW_FIELDS)}
    severities = dict(Severity.choices)
    statuses = dict(Status.choices)
    for row in rows.values():
        row["reference"] = Melding(pk=row["pk"]).reference
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["severity"] = row["severity"] or row["severity_proposal"]
        row["severity_label"] = severities.get(row["severity"], "")
    for b in blocks:
        b.count = counts[b.key]
        b.rows = [rows[pk] for pk in ids[b.key] if pk in rows]
    return blocks


@dataclass
class TriagePanel:
    heading: str
    blocks: list
    dashboard_url: str
    now: object


def triage_panel(user, membership, now=None):
    now = now or timezone.now()
    keeper = membership.role in TRIAGE_KEEPERS
    if keeper:
        heading, blocks = _("Wat vraagt nu uw aandacht"), _triage_blocks(membership, user, now)
    else:
        heading, blocks = _("Vertrouwelijke meldingen en nazorg"), _otwb_blocks(now)
    # Every block is about open cases: the closed years are not read at all.
    fill(blocks, Melding.objects.triageable_by(user).filter(status__in=OPEN_STATUSES))
    return TriagePanel(heading, blocks, reverse("incidents:dashboard"), now)


@dataclass
class ReporterPanel:
    meldingen: list
    total: int
    protocol_texts: list


def reporter_panel(user, membership):
    """The user's own meldingen (newest first) with each one's state and whether a
    message is waiting, and their organisation's "Bij wie meldt u?" text."""
    from .protocol import texts_for

    rows = list(
        # The signed-in, active user's own meldingen: a part of their scope (``own_q``); the
        # whole scope (triage roles, explicit grants) cost more to compile than to run.
        Melding.objects.filter(Melding.objects.own_q(user))
        .order_by(F("created_at").desc(), "-pk")
        .annotate(
            total=Window(Count("*")),
            new_message=filters.new_message_flag(user),
        )
        .only("status", "submitted_at", "created_at")[:MY_ROWS]
    )
    statuses = dict(Status.choices)
    for row in rows:
        row.status_label = statuses.get(row.status, row.status)
    texts = [text for _org, text in texts_for([membership.organisation_id], get_language())]
    return ReporterPanel(rows, rows[0].total if rows else 0, texts)


def panels(user, membership):
    """The start panels of the active ``membership`` (``IncidentsConfig.start_panels``)."""
    result = []
    if membership.role in REPORTER_ROLES:
        result.append(
            Panel("incidents/includes/start_reporter.html", reporter_panel(user, membership), 0)
        )
    if membership.role in TRIAGE_KEEPERS or (
        membership.role == Role.VERTROUWENSPERSOON and membership.organisation.code == "OTWB"
    ):
        result.append(
            Panel("incidents/includes/start_triage.html", triage_panel(user, membership), 10)
        )
    return result
