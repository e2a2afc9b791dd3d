"""The tour's periodic sweeps. Each finds what is due through an indexed query, and acts on
each object in its own transaction that first inserts a SweepRecord (object, kind): a
second worker, or a retry, hits the unique constraint and skips, so every reminder goes
out exactly once; a crashed run is caught up by the next."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.notifications import notify_many

from . import conf
from .constants import SessionStatus, SweepKind, TrajectStatus
from .models import FollowUpAgreement, Session, SweepRecord, Traject
from .services.common import (
    coordinators,
    participant_users,
    session_link,
    trainer_users,
    traject_link,
)

__all__ = [
    "sweep_evaluation_requests",
    "sweep_no_session_nudges",
    "sweep_overdue_agreements",
    "sweep_session_reminders",
]


def _once(obj, kind, act):
    """Run ``act()`` unless this (object, kind) was done already; True when it ran."""
    try:
        with transaction.atomic():
            SweepRecord.objects.create(
                object_type=obj._meta.model_name, object_id=obj.pk, kind=kind
            )
            act()
    except IntegrityError:
        return False
    return True


def _done(model, kind):
    return SweepRecord.objects.filter(object_type=model._meta.model_name, kind=kind).values(
        "object_id"
    )


def _remind(session, kind):
    def act():
        notify_many(
            participant_users(session) + trainer_users(session),
            kind=f"otwb.{kind}",
            subject=_("Herinnering: binnenkort een sessie van het Ondersteuningsteam"),
            body=_("Log in voor de tijd, de plaats en de agenda-uitnodiging."),
            link=session_link(session),
            dedupe_key=f"otwb:{kind}:{session.pk}",
        )

    return act


def sweep_session_reminders(*, now=None):
    now = now or timezone.now()
    sent = 0
    for kind, ahead in ((SweepKind.REMINDER_7D, 7), (SweepKind.REMINDER_1D, 1)):
        due = Session.objects.filter(
            status__in=[SessionStatus.PLANNED, SessionStatus.CONFIRMED],
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=ahead),
        ).exclude(pk__in=_done(Session, kind))
        for session in due:
            sent += _once(session, kind, _remind(session, kind))
    return sent


def sweep_evaluation_requests(*, now=None):
    """The day after a held session, ask its participants for their evaluation."""
    now = now or timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    kind = SweepKind.EVALUATION_REQUEST
    # Sessions older than two weeks are not asked any more: the memory has faded.
    due = Session.objects.filter(
        status=SessionStatus.HELD,
        ends_at__lt=start_of_today,
        ends_at__gte=start_of_today - timedelta(days=14),
    ).exclude(pk__in=_done(Session, kind))
    sent = 0
    for session in due:

        def act(session=session):
            notify_many(
                participant_users(session),
                kind="otwb.evaluation_request",
                subject=_("Hoe was de sessie van het Ondersteuningsteam?"),
                body=_("Wij horen graag hoe u de sessie vond. Het invullen duurt twee minuten."),
                link=reverse("otwb:evaluate", args=[session.pk]),
                dedupe_key=f"otwb:evaluation_request:{session.pk}",
            )

        sent += _once(session, kind, act)
    return sent


def sweep_no_session_nudges(*, now=None):
    """Tell the coordinators about trajecten where the voorgesprek was N weeks ago and no
    session has been planned since."""
    now = now or timezone.now()
    kind = SweepKind.NO_SESSION_NUDGE
    due = (
        Traject.objects.filter(
            status=TrajectStatus.VOORGESPREK_HELD,
            status_changed_at__lte=now - timedelta(weeks=conf.no_session_nudge_weeks()),
        )
        .exclude(pk__in=_done(Traject, kind))
        .select_related("organisation")
    )
    sent = 0
    for traject in due:

        def act(traject=traject):
            notify_many(
                coordinators(),
                kind="otwb.no_session_nudge",
                subject=_("Een voorgesprek wacht op een sessie"),
                body=_("Na een voorgesprek is nog geen sessie gepland. Log in om te plannen."),
                link=traject_link(traject),
                dedupe_key=f"otwb:no_session_nudge:{traject.pk}",
            )

        sent += _once(traject, kind, act)
    return sent


def sweep_overdue_agreements(*, now=None):
    now = now or timezone.now()
    kind = SweepKind.AGREEMENT_OVERDUE
    due = (
        FollowUpAgreement.objects.filter(
            done_at__isnull=True, due_on__lt=timezone.localtime(now).date()
        )
        .exclude(pk__in=_done(FollowUpAgreement, kind))
        .select_related("traject")
    )
    sent = 0
    for agreement in due:

        def act(agreement=agreement):
            notify_many(
                coordinators(),
                kind="otwb.agreement_overdue",
                subject=_("Een vervolgafspraak is verlopen"),
                body=_("Een vervolgafspraak is over de datum. Log in om die te bekijken."),
                link=traject_link(agreement.traject),
                dedupe_key=f"otwb:agreement_overdue:{agreement.pk}",
            )

        sent += _once(agreement, kind, act)
    return sent
