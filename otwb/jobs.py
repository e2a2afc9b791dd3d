"""The tour's periodic sweeps. Each finds what is due through an indexed query (what it
acted on before is excluded in SQL), then acts in chunks of ``CHUNK`` objects: per chunk
one transaction that claims a SweepRecord (object, kind) for each object the due query
still finds, with one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING``, and
queues the notifications of the claimed ones with one statement.

A second worker's claim of the same object waits for the first transaction and then
skips it (the unique constraint), so every reminder goes out exactly once; a crash rolls
the chunk back whole (claims included), so the next run finds the same objects due. The
chunks and their transactions are the core's sweep runner (``weerbaar.sweeps``): an object
that makes its chunk fail is acted on alone, recorded, reported and retried later.

A reminder is about one moment: when a session is moved or a traject is back to waiting
for a session, the claim of the earlier moment is cleared (``services.sessions``,
``services.trajecten``) and the dedupe key names the new one, so it is reminded again."""

from datetime import timedelta
from functools import cache

from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.notifications import Message, notify_batch
from weerbaar.sweeps import run

from . import conf, reminders
from .constants import RegistrationStatus, SessionStatus, SweepKind, TrajectStatus
from .models import FollowUpAgreement, Registration, Session, SweepRecord, Traject
from .services.common import (
    NAMED_EMAILS,
    coordinators,
    named_by_session,
    participants_by_session,
    session_ics,
    session_link,
    trainers_by_session,
    traject_link,
)
from .services.evaluations import LINK_DAYS, ROLES, evaluation_link

__all__ = [
    "CHUNK",
    "sweep_evaluation_requests",
    "sweep_no_session_nudges",
    "sweep_overdue_agreements",
    "sweep_session_reminders",
]

# Objects per transaction: a chunk costs a handful of statements whatever its size.
CHUNK = 200


def _done(model, kind):
    """Whether the sweep of ``kind`` acted on the row, for a filter: ``NOT EXISTS``, which
    PostgreSQL answers with a probe of the records' unique index per row the due query
    finds (an empty due range reads no record at all). A ``NOT IN`` over the records of the
    kind was hashed whole on every run: it grew with the history."""
    return Exists(
        SweepRecord.objects.filter(
            object_type=model._meta.model_name, object_id=OuterRef("pk"), kind=kind
        )
    )


def _claim(due, kind, ids):
    """Record (object, kind) for those of ``ids`` that ``due`` still finds, in id order,
    in one statement; returns the ids this call recorded (the others were done before)."""
    model = due.model
    sql, params = due.filter(pk__in=ids).order_by().values(due_id=F("pk")).query.sql_with_params()
    table = connection.ops.quote_name(SweepRecord._meta.db_table)
    with connection.cursor() as cursor:
        # Formatted in: the model's own table name and Django's compiled due query (with
        # its own placeholders); every value is a parameter. Written so SQLite (make run)
        # reads it too: no column list on the alias, and a WHERE before the upsert clause.
        cursor.execute(
            f'INSERT INTO {table} (object_type, object_id, kind, "at") '  # noqa: S608
            f"SELECT %s, due.due_id, %s, %s FROM ({sql}) AS due WHERE true ORDER BY due.due_id "
            "ON CONFLICT (object_type, object_id, kind) DO NOTHING RETURNING object_id",
            [model._meta.model_name, kind, timezone.now(), *params],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _sweep(sweep, due, kind, messages, *, after=None, candidates=None, found_all=None):
    """Act once on every object of ``due`` not done for ``kind``, through ``sweep`` (a run
    of the runner): ``messages(ids)`` gives the notifications of a claimed chunk, and
    ``after(ids)`` runs with them in its transaction. ``candidates``: a cheaper query
    that finds at least what ``due`` finds (a column of its own), read instead of ``due``;
    the claim tests ``due`` in full; ``found_all(ids)`` runs after the chunks when it found
    any. Returns the number acted on."""
    found = due if candidates is None else candidates
    ids = list(found.exclude(_done(due.model, kind)).order_by("pk").values_list("pk", flat=True))

    def act(chunk):
        claimed = _claim(due, kind, chunk)
        if claimed:
            notify_batch(messages(claimed))
            if after is not None:
                after(claimed)
        return len(claimed)

    acted = sweep.act(ids, act, model=due.model, chunk=CHUNK)
    if ids and found_all is not None:
        found_all(ids)
    return acted


def sweep_session_reminders(*, now=None):
    now = now or timezone.now()
    sent = 0
    with run("otwb-session-reminders", now=now) as sweep:
        # Through the partial index of ``reminder_at`` (``otwb.reminders``): with nothing
        # due an empty range, however many sessions are planned. Read once for both passes:
        # the first pass only moves the column of sessions read here, so these are all the
        # second pass could find. With none found the passes read nothing more (``pk__in``
        # an empty list is no query) but still close the failures that are not due any more.
        found = list(Session.objects.filter(reminder_at__lte=now).values_list("pk", flat=True))
        for kind, ahead in ((SweepKind.REMINDER_7D, 7), (SweepKind.REMINDER_1D, 1)):
            sent += _remind_sessions(sweep, kind, ahead, now, found)
    return sent


def _session_sweep(sweep, due, kind, messages, *, moment, now):
    """``_sweep`` over the sessions whose column gives ``moment``: those it reminded or
    asked move on to their next moment or none, in the transaction of their chunk; those
    the index gave that were not due after all (a column set early, a session that began
    unreminded or ended too long ago to ask), or whose chunk failed, are set again from
    their state at ``now``."""

    def write(ids):
        reminders.refresh_sessions(Session.objects.filter(pk__in=ids), now=now)

    def set_again(ids):
        write(moment.filter(pk__in=ids).values("pk"))

    return _sweep(sweep, due, kind, messages, after=write, candidates=moment, found_all=set_again)


def _remind_sessions(sweep, kind, ahead, now, found):
    due = Session.objects.filter(
        status__in=[SessionStatus.PLANNED, SessionStatus.CONFIRMED],
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=ahead),
    )
    moment = Session.objects.filter(pk__in=found, reminder_at__lte=now)

    def messages(ids, kind=kind):
        participants, trainers = participants_by_session(ids), trainers_by_session(ids)
        named = named_by_session(ids)
        starts = dict(Session.objects.filter(pk__in=ids).values_list("pk", "starts_at"))
        return [
            Message(
                participants[pk] + trainers[pk] + named[pk][0],
                kind=f"otwb.{kind}",
                subject=_("Herinnering: binnenkort een sessie van het Ondersteuningsteam"),
                body=_("De tijd en de plaats staan in de agenda-uitnodiging (.ics) in de bijlage."),
                link=session_link(pk),
                dedupe_key=f"otwb:{kind}:{pk}:{int(starts[pk].timestamp())}",
                emails=named[pk][1],
                attachment=session_ics(pk),
            )
            for pk in ids
        ]

    return _session_sweep(sweep, due, kind, messages, moment=moment, now=now)


def sweep_evaluation_requests(*, now=None):
    """The day after a held session, ask its participants for their evaluation."""
    now = now or timezone.now()
    # Sessions older than two weeks are not asked any more: the memory has faded.
    due = Session.objects.filter(
        status=SessionStatus.HELD,
        ends_at__lt=reminders.start_of_day(now),
        ends_at__gte=reminders.oldest_evaluated(now),
    )
    # Through the partial index of ``evaluation_request_at``, as the reminders.
    moment = Session.objects.filter(evaluation_request_at__lte=now)

    def requests(ids):
        participants = participants_by_session(ids)
        return [
            Message(
                participants[pk],
                kind="otwb.evaluation_request",
                subject=_("Hoe was de sessie van het Ondersteuningsteam?"),
                body=_("Wij horen graag hoe u de sessie vond. Het invullen duurt twee minuten."),
                link=reverse("otwb:evaluate", args=[pk]),
                dedupe_key=f"otwb:evaluation_request:{pk}",
            )
            for pk in ids
        ] + _named_evaluation_requests(ids)

    with run("otwb-evaluation-requests", now=now) as sweep:
        return _session_sweep(
            sweep, due, SweepKind.EVALUATION_REQUEST, requests, moment=moment, now=now
        )


def _named_evaluation_requests(session_ids):
    """One request per person named on a placed driehoek, each with their own signed link
    (they need not have an account). Whoever registered the driehoek is asked in the
    portal already, so their own address is skipped here."""
    rows = Registration.objects.filter(
        session__in=session_ids, status=RegistrationStatus.CONFIRMED
    ).values_list("pk", "session_id", "registered_by__email", *NAMED_EMAILS)
    messages = []
    for pk, session_id, registrant, *addresses in rows:
        for role, address in zip(ROLES, addresses, strict=True):
            if not address or address.lower() == (registrant or "").lower():
                continue
            messages.append(
                Message(
                    [],
                    kind="otwb.evaluation_request",
                    subject=_("Hoe was de sessie van het Ondersteuningsteam?"),
                    body=_(
                        "Wij horen graag hoe u de sessie vond. Het invullen duurt twee "
                        "minuten; de link hieronder is persoonlijk en %(days)s dagen geldig."
                    )
                    % {"days": LINK_DAYS},
                    email_link=evaluation_link(pk, role),
                    dedupe_key=f"otwb:evaluation_request:{session_id}:r{pk}:{role}",
                    emails=[address],
                )
            )
    return messages


def sweep_no_session_nudges(*, now=None):
    """Tell the coordinators about trajecten where the voorgesprek was N weeks ago and no
    session has been planned since."""
    now = now or timezone.now()
    due = Traject.objects.filter(
        status=TrajectStatus.VOORGESPREK_HELD,
        status_changed_at__lte=now - timedelta(weeks=conf.no_session_nudge_weeks()),
    )
    people = cache(coordinators)

    def nudges(ids):
        since = dict(Traject.objects.filter(pk__in=ids).values_list("pk", "status_changed_at"))
        return [
            Message(
                people(),
                kind="otwb.no_session_nudge",
                subject=_("Een voorgesprek wacht op een sessie"),
                body=_("Na een voorgesprek is nog geen sessie gepland. Log in om te plannen."),
                link=traject_link(pk),
                dedupe_key=f"otwb:no_session_nudge:{pk}:{int(since[pk].timestamp())}",
            )
            for pk in ids
        ]

    with run("otwb-no-session-nudges", now=now) as sweep:
        return _sweep(sweep, due, SweepKind.NO_SESSION_NUDGE, nudges)


def sweep_overdue_agreements(*, now=None):
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    # Through the partial index of ``flag_on`` (``otwb.reminders``): with nothing due an
    # empty range, however many agreements are open.
    due = FollowUpAgreement.objects.filter(done_at__isnull=True, due_on__lt=today)
    flag_day = FollowUpAgreement.objects.filter(flag_on__lte=today)
    people = cache(coordinators)

    def flags(ids):
        trajecten = dict(FollowUpAgreement.objects.filter(pk__in=ids).values_list("pk", "traject"))
        return [
            Message(
                people(),
                kind="otwb.agreement_overdue",
                subject=_("Een vervolgafspraak is verlopen"),
                body=_("Een vervolgafspraak is over de datum. Log in om die te bekijken."),
                link=traject_link(trajecten[pk]),
                dedupe_key=f"otwb:agreement_overdue:{pk}",
            )
            for pk in ids
        ]

    def flagged(ids):
        FollowUpAgreement.objects.filter(pk__in=ids).update(flag_on=None)

    def set_again(ids):
        # Those the index gave that were not due after all (done, flagged before, a column
        # set early), or whose chunk failed: set again from their state.
        reminders.refresh(flag_day.filter(pk__in=ids))

    with run("otwb-overdue-agreements", now=now) as sweep:
        return _sweep(
            sweep,
            due,
            SweepKind.AGREEMENT_OVERDUE,
            flags,
            after=flagged,
            candidates=flag_day,
            found_all=set_again,
        )
