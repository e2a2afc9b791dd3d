"""For each periodic sweep: make ``n`` objects due, the way time would (bench only, inside
a transaction that is rolled back). Each maker takes existing load rows and moves their
dates so the sweep's own query finds them, clearing the record that the sweep acted
before; it returns how many it made due (fewer than ``n`` when the data has fewer)."""

import secrets
from datetime import timedelta

from django.utils import timezone

__all__ = ["MAKERS"]


def _ids(qs, n):
    return list(qs.order_by("pk").values_list("pk", flat=True)[:n])


def _reminders_due(ids):
    """When each reminder is next due, as the services write it with every change."""
    from incidents.models import Melding
    from incidents.reminders import refresh

    refresh(Melding.objects.filter(pk__in=ids))


def escalate_due(now, n):
    from incidents.models import JobRecord, Melding

    ids = _ids(Melding.objects.exclude(status="draft"), n)
    JobRecord.objects.filter(melding_id__in=ids, kind="escalation").delete()
    Melding.objects.filter(pk__in=ids).update(
        status="submitted",
        acknowledged_at=None,
        escalation_level=0,
        next_escalation_at=now - timedelta(minutes=1),
    )
    return len(ids)


def remind_aftercare(now, n):
    from incidents.models import JobRecord, Melding

    ids = _ids(Melding.objects.exclude(status="draft").exclude(reporter=None), n)
    JobRecord.objects.filter(melding_id__in=ids, kind="aftercare").delete()
    Melding.objects.filter(pk__in=ids).update(
        status="in_triage", acknowledged_at=now - timedelta(days=8)
    )
    _reminders_due(ids)
    return len(ids)


def remind_aangifte(now, n):
    from incidents.models import Aangifte, Melding

    ids = _ids(Melding.objects.exclude(status="draft").filter(aangifte=None), n)
    Melding.objects.filter(pk__in=ids).update(status="in_follow_up")
    Aangifte.objects.bulk_create(
        Aangifte(melding_id=pk, status="filed", status_changed_at=now - timedelta(days=15))
        for pk in ids
    )
    _reminders_due(ids)
    return len(ids)


def remind_aangifte_confirmation(now, n):
    """Aangiften filed four working days ago that the police have not confirmed."""
    from incidents.models import Aangifte, Melding

    ids = _ids(Melding.objects.exclude(status="draft").filter(aangifte=None), n)
    Melding.objects.filter(pk__in=ids).update(status="in_follow_up")
    Aangifte.objects.bulk_create(
        Aangifte(
            melding_id=pk,
            status="filed",
            status_changed_at=now - timedelta(days=6),
            confirm_due_at=now - timedelta(hours=1),
        )
        for pk in ids
    )
    _reminders_due(ids)
    return len(ids)


def remind_idle(now, n):
    from incidents.models import JobRecord, Melding

    ids = _ids(Melding.objects.exclude(status="draft"), n)
    JobRecord.objects.filter(melding_id__in=ids, kind="idle").delete()
    Melding.objects.filter(pk__in=ids).update(
        status="in_follow_up", last_activity_at=now - timedelta(days=15)
    )
    _reminders_due(ids)
    return len(ids)


def anonymise_expired(now, n):
    from incidents.models import Melding

    ids = _ids(Melding.objects.filter(status="closed", anonymised_at=None), n)
    Melding.objects.filter(pk__in=ids).update(closed_at=now - timedelta(days=6 * 365))
    return len(ids)


def vw_sla(now, n):
    from veiligwonen.models import Application, SweepRecord
    from veiligwonen.reminders import refresh

    ids = _ids(Application.objects.all(), n)
    SweepRecord.objects.filter(application_id__in=ids, kind="sla").delete()
    Application.objects.filter(pk__in=ids).update(
        status="submitted",
        intake_held_at=None,
        sla_warn_at=now - timedelta(hours=1),
        sla_due_at=now + timedelta(days=1),
    )
    refresh(Application.objects.filter(pk__in=ids))
    return len(ids)


def vw_handoff_receipt(now, n):
    """Hand-offs whose receipt was due an hour ago, not reminded of (as many as there are,
    at most ``n``: the load data has few)."""
    from veiligwonen.models import Application, Handoff, SweepRecord
    from veiligwonen.reminders import refresh

    ids = _ids(Application.objects.filter(handoff__isnull=False), n)
    SweepRecord.objects.filter(application_id__in=ids, kind="handoff").delete()
    Handoff.objects.filter(application_id__in=ids).update(
        receipt_recorded_at=None, receipt_due_at=now - timedelta(hours=1)
    )
    Application.objects.filter(pk__in=ids).update(status="handoff_pending")
    refresh(Application.objects.filter(pk__in=ids))
    return len(ids)


def vw_measures(now, n):
    from veiligwonen.models import Application, Measure, SweepRecord
    from veiligwonen.reminders import refresh

    ids = _ids(Application.objects.filter(advice__measures__isnull=False).distinct(), n)
    SweepRecord.objects.filter(application_id__in=ids, kind="measures").delete()
    Measure.objects.filter(advice__application_id__in=ids).update(status="planned")
    Application.objects.filter(pk__in=ids).update(
        status="measures_in_progress", advice_issued_at=now - timedelta(days=31)
    )
    refresh(Application.objects.filter(pk__in=ids))
    return len(ids)


def vw_rescore(now, n):
    """A week passes for open applications: filed and last scored a week earlier, so the
    stored score lacks that week's waiting points."""
    from django.db.models import F

    from veiligwonen.constants import OPEN
    from veiligwonen.models import Application

    ids = _ids(Application.objects.filter(status__in=OPEN), n)
    Application.objects.filter(pk__in=ids).update(
        submitted_at=F("submitted_at") - timedelta(days=7), scored_at=now - timedelta(days=7)
    )
    return len(ids)


def vw_retention(now, n):
    from veiligwonen.models import Application

    ids = _ids(Application.objects.filter(status="completed", purged_at=None), n)
    Application.objects.filter(pk__in=ids).update(closed_at=now - timedelta(days=8 * 365))
    return len(ids)


def _otwb_sessions(n):
    from otwb.models import Session

    return _ids(Session.objects.all(), n)


def otwb_reminders(now, n):
    from otwb.models import Session, SweepRecord
    from otwb.reminders import refresh_sessions

    ids = _otwb_sessions(n)
    SweepRecord.objects.filter(object_type="session", object_id__in=ids).delete()
    Session.objects.filter(pk__in=ids).update(
        status="planned", starts_at=now + timedelta(hours=12), ends_at=now + timedelta(hours=15)
    )
    refresh_sessions(Session.objects.filter(pk__in=ids))
    return len(ids)


def otwb_evaluations(now, n):
    from otwb.models import Session, SweepRecord
    from otwb.reminders import refresh_sessions

    ids = _otwb_sessions(n)
    SweepRecord.objects.filter(object_type="session", object_id__in=ids).delete()
    end = timezone.localtime(now).replace(hour=0, minute=0) - timedelta(days=2)
    Session.objects.filter(pk__in=ids).update(
        status="held", starts_at=end - timedelta(hours=3), ends_at=end
    )
    refresh_sessions(Session.objects.filter(pk__in=ids))
    return len(ids)


def otwb_nudges(now, n):
    from otwb.models import SweepRecord, Traject

    ids = _ids(Traject.objects.all(), n)
    SweepRecord.objects.filter(object_type="traject", object_id__in=ids).delete()
    Traject.objects.filter(pk__in=ids).update(
        status="voorgesprek_held", status_changed_at=now - timedelta(weeks=8)
    )
    return len(ids)


def otwb_agreements(now, n):
    from otwb.models import FollowUpAgreement, SweepRecord
    from otwb.reminders import refresh

    ids = _ids(FollowUpAgreement.objects.all(), n)
    SweepRecord.objects.filter(object_type="followupagreement", object_id__in=ids).delete()
    FollowUpAgreement.objects.filter(pk__in=ids).update(
        done_at=None, due_on=(now - timedelta(days=2)).date()
    )
    refresh(FollowUpAgreement.objects.filter(pk__in=ids))
    return len(ids)


def outbox(now, n):
    from perf.loadgen import EMAIL_DOMAIN
    from weerbaar.models import Notification, User

    users = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("pk")[:n])
    Notification.objects.bulk_create(
        Notification(
            recipient=u,
            kind="bench",
            subject="Er is een nieuw bericht voor u",
            body="Log in om het te bekijken.",
            next_attempt_at=now - timedelta(minutes=1),
        )
        for u in users
    )
    return len(users)


def invitations(now, n):
    from perf.loadgen import EMAIL_DOMAIN
    from weerbaar.models import Invitation, Membership

    m = Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").first()
    Invitation.objects.bulk_create(
        Invitation(
            email=f"invitee{k}@{EMAIL_DOMAIN}",
            organisation_id=m.organisation_id,
            role="civil_servant",
            invited_by_id=m.user_id,
            token_hash=secrets.token_hex(32),
            expires_at=now - timedelta(days=40),
        )
        for k in range(n)
    )
    return n


MAKERS = {
    "incidents.tasks.escalate_due": escalate_due,
    "incidents.tasks.remind_aftercare": remind_aftercare,
    "incidents.tasks.remind_aangifte": remind_aangifte,
    "incidents.tasks.remind_aangifte_confirmation": remind_aangifte_confirmation,
    "incidents.tasks.remind_idle": remind_idle,
    "incidents.tasks.anonymise_expired": anonymise_expired,
    "veiligwonen.tasks.sweep_sla": vw_sla,
    "veiligwonen.tasks.remind_handoff_receipt": vw_handoff_receipt,
    "veiligwonen.tasks.remind_open_measures": vw_measures,
    "veiligwonen.tasks.rescore_queue": vw_rescore,
    "veiligwonen.tasks.purge_closed": vw_retention,
    "otwb.tasks.send_session_reminders": otwb_reminders,
    "otwb.tasks.send_evaluation_requests": otwb_evaluations,
    "otwb.tasks.nudge_trajecten_without_session": otwb_nudges,
    "otwb.tasks.flag_overdue_agreements": otwb_agreements,
    "weerbaar.tasks.deliver_notifications": outbox,
    "weerbaar.tasks.purge_expired_invitations": invitations,
}
