"""The triage dashboard's filters. Every filter works on plain indexed columns; the
category filter on the melding's copy of its categories (``Melding.category_codes``), so it
needs no join: a join would repeat a melding per category and need a DISTINCT over the whole
list, and a semi-join on the category rows read every row of that category in the
country."""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import BigIntegerField, CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, Length, Substr
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Position
from weerbaar.models import Notification

from .constants import (
    OPEN_STATUSES,
    Category,
    Channel,
    EscalationLevel,
    Route,
    Severity,
    Status,
)
from .models import AftercareAction, CaseStep, Melding
from .notice_texts import MESSAGE_KIND, MESSAGES, case_link

POSITION_CHOICES = [*Position.choices, ("civil_servant", _("Ambtenaar"))]
ORDERING = [
    ("-submitted_at", _("Nieuwste eerst")),
    ("submitted_at", _("Oudste eerst")),
    ("ack_deadline", _("Termijn eerst verlopen")),
    ("-severity_rank", _("Ernstigste eerst")),
]


class MeldingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Alle"),
        choices=[c for c in Status.choices if c[0] != "draft"],
    )
    severity = django_filters.ChoiceFilter(
        label=_("Ernst"), choices=Severity.choices, empty_label=_("Alle")
    )
    category = django_filters.ChoiceFilter(
        label=_("Categorie"),
        choices=Category.choices,
        empty_label=_("Alle"),
        method="filter_category",
    )
    channel = django_filters.ChoiceFilter(
        label=_("Hoe"), choices=Channel.choices, empty_label=_("Alle")
    )
    position = django_filters.ChoiceFilter(
        label=_("Functie melder"),
        choices=POSITION_CHOICES,
        empty_label=_("Alle"),
        method="filter_position",
    )
    submitted_from = django_filters.DateFilter(
        label=_("Verstuurd vanaf"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_until = django_filters.DateFilter(
        label=_("Verstuurd tot en met"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Alleen termijn verlopen"), method="filter_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Alleen aan mij toegewezen"), method="filter_mine", widget=forms.CheckboxInput
    )
    # What the start page links to ("what needs me now"); the same conditions count there.
    due_today = django_filters.BooleanFilter(
        label=_("Alleen termijn vandaag"), method="filter_due_today", widget=forms.CheckboxInput
    )
    escalated = django_filters.ChoiceFilter(
        label=_("Geëscaleerd"),
        choices=[
            (str(EscalationLevel.REMINDER.value), _("Herinnerd of verder geëscaleerd")),
            (str(EscalationLevel.VOORZITTER.value), _("Naar de voorzitter of verder")),
        ],
        empty_label=_("Alle"),
        method="filter_escalated",
    )
    steps_overdue = django_filters.BooleanFilter(
        label=_("Alleen eigen stap over termijn"),
        method="filter_steps_overdue",
        widget=forms.CheckboxInput,
    )
    aangifte_due = django_filters.BooleanFilter(
        label=_("Alleen status aangifte gevraagd"),
        method="filter_aangifte_due",
        widget=forms.CheckboxInput,
    )
    new_message = django_filters.BooleanFilter(
        label=_("Alleen met nieuw bericht"), method="filter_new_message", widget=forms.CheckboxInput
    )
    confidential = django_filters.BooleanFilter(
        label=_("Alleen vertrouwelijke route"),
        method="filter_confidential",
        widget=forms.CheckboxInput,
    )
    aftercare_due = django_filters.BooleanFilter(
        label=_("Alleen nazorg te doen"), method="filter_aftercare_due", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sorteren"),
        empty_label=None,
        choices=ORDERING,
        fields={
            "submitted_at": "submitted_at",
            "ack_deadline": "ack_deadline",
            "severity_rank": "severity_rank",
        },
    )

    class Meta:
        model = Melding
        fields = []

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        # The copy on the melding (kept with the rows by services.filing), which the triage
        # scope index holds: the count is read from the index alone.
        return queryset.filter(category_codes__contains=Melding.codes_containing(value))

    def filter_position(self, queryset, name, value):
        if value == "civil_servant":
            return queryset.filter(reporter_position="")
        return queryset.filter(reporter_position=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Status.SUBMITTED, ack_deadline__lt=timezone.now())

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assigned_to=self.request.user) if value else queryset

    def filter_due_today(self, queryset, name, value):
        return queryset.filter(due_today_q()) if value else queryset

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalated_q(int(value))) if value else queryset

    def filter_steps_overdue(self, queryset, name, value):
        return queryset.filter(steps_overdue_q()) if value else queryset

    def filter_aangifte_due(self, queryset, name, value):
        return queryset.filter(aangifte_due_q()) if value else queryset

    def filter_new_message(self, queryset, name, value):
        return queryset.filter(new_message_q(self.request.user)) if value else queryset

    def filter_confidential(self, queryset, name, value):
        return queryset.filter(confidential_q()) if value else queryset

    def filter_aftercare_due(self, queryset, name, value):
        return queryset.filter(aftercare_due_q()) if value else queryset


# The conditions behind the start page's counts and the dashboard's filters of the same
# name: one definition, so a count and the list its link opens always agree.

# When the aangifte's status is asked for again (``reminders.AANGIFTE_DAYS``), and
# when nazorg is first due after acknowledgement (``reminders.AFTERCARE_DAYS``).
AANGIFTE_DUE_DAYS = 14
AFTERCARE_DUE_DAYS = 7


def overdue_q(now=None):
    return Q(status=Status.SUBMITTED, ack_deadline__lt=now or timezone.now())


def awaiting_q():
    """Sent and not yet acknowledged."""
    return Q(status=Status.SUBMITTED)


def today_bounds(now=None):
    """The start and end of today in the portal's time zone."""
    today = timezone.localdate(now or timezone.now())
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def due_today_q(now=None):
    """Unacknowledged, and the acknowledgement deadline falls today (passed or not)."""
    start, end = today_bounds(now)
    return Q(status=Status.SUBMITTED, ack_deadline__gte=start, ack_deadline__lt=end)


def escalated_q(level=EscalationLevel.REMINDER):
    """Unacknowledged and escalated at least to ``level``."""
    return Q(status=Status.SUBMITTED, escalation_level__gte=level)


def steps_overdue_q(now=None):
    """Open, with a local step of the organisation not done by its due date."""
    late = CaseStep.objects.filter(
        melding=OuterRef("pk"), done_at__isnull=True, due_at__lt=now or timezone.now()
    )
    return Q(status__in=OPEN_STATUSES) & Q(Exists(late))


def aangifte_due_q(now=None):
    """Open, with an aangifte whose status has not changed for two weeks (the reminder's
    interval) and that is not closed: the melding's copy of that change
    (``Melding.aangifte_changed_at``, kept with the reminder columns), so the count reads
    its organisation's range of an index, not the aangifte of every open case."""
    since = (now or timezone.now()) - timedelta(days=AANGIFTE_DUE_DAYS)
    return Q(status__in=OPEN_STATUSES, aangifte_changed_at__lte=since)


def _message_link_parts():
    """The link of a "Nieuw bericht" notification around the melding's id: it leads to the
    case page's messages (``notice_texts.case_link``)."""
    marker = "987654321"
    return case_link(int(marker), MESSAGES).split(marker)


def new_message_flag(user):
    """Whether ``user`` has not read the "Nieuw bericht" notification of the melding (read
    in the inbox, or by opening the case). The unread links are read once (a hashed
    subquery on the unread-notification index), not once per melding: per melding the
    estimate of a page of open cases passed PostgreSQL's JIT threshold, and compiling took
    longer than the query."""
    before, after = _message_link_parts()
    link = Concat(Value(before), Cast("pk", CharField()), Value(after))
    unread = Notification.objects.filter(
        recipient=user, read_at__isnull=True, kind=MESSAGE_KIND
    ).values("link")
    return In(link, unread)


def _unread_message_pks(user):
    """The ids of the meldingen whose "Nieuw bericht" notification ``user`` has not read,
    taken from the notifications' links: a user's few unread notifications lead to their
    meldingen, where testing every open case of the organisation against them grew with
    the open cases (issue 25 §2)."""
    before, after = _message_link_parts()
    return (
        Notification.objects.filter(
            recipient=user,
            read_at__isnull=True,
            kind=MESSAGE_KIND,
            link__regex=rf"^{re.escape(before)}[0-9]{{1,18}}{re.escape(after)}$",
        )
        .annotate(
            melding_pk=Cast(
                Substr("link", len(before) + 1, Length("link") - len(before) - len(after)),
                BigIntegerField(),
            )
        )
        .values("melding_pk")
    )


def new_message_q(user):
    """Open, with a message to ``user`` they have not read."""
    return Q(status__in=OPEN_STATUSES, pk__in=_unread_message_pks(user))


def confidential_q():
    """Open, on the confidential route (to the OTWB's vertrouwenspersonen)."""
    return Q(status__in=OPEN_STATUSES, route=Route.CONFIDENTIAL)


def aftercare_due_q(now=None):
    """Acknowledged and open for a week or more without any nazorg recorded."""
    since = (now or timezone.now()) - timedelta(days=AFTERCARE_DUE_DAYS)
    done = AftercareAction.objects.filter(melding=OuterRef("pk"))
    return Q(status__in=OPEN_STATUSES[1:], acknowledged_at__lte=since) & ~Q(Exists(done))
