"""Calendar files (RFC 5545) for sessions: one .ics per session for confirmations, and a
trainer's personal feed. Events carry only the title, time and place or link — never the
organisations' needs or anyone's personal data — because a feed URL travels into calendar
apps outside the portal."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .constants import SessionStatus

__all__ = ["ATTACHMENT", "session_attachment", "session_calendar", "trainer_feed"]

# The outbox attachment kind of a session's .ics: "otwb.session:<id>".
ATTACHMENT = "otwb.session"

TZ = ZoneInfo("Europe/Amsterdam")


def _calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//Weerbaar Bestuur//OTWB//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(session, now):
    event = Event()
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "weerbaar"
    event.add("uid", f"otwb-session-{session.pk}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at.astimezone(TZ))
    event.add("dtend", session.ends_at.astimezone(TZ))
    event.add("summary", session.title)
    if session.place:
        event.add("location", session.place)
    if session.online_url:
        event.add("url", session.online_url)
    if session.status == SessionStatus.CANCELLED:
        event.add("status", "CANCELLED")
    elif session.status == SessionStatus.PLANNED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def _finish(cal):
    cal.add_missing_timezones()
    return cal.to_ical()


def session_calendar(session, *, now=None):
    now = now or timezone.now()
    cal = _calendar(session.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_event(session, now))
    return _finish(cal)


def session_attachment(reference):
    """The outbox's renderer (registered in ``apps``): the session's .ics as it is when the
    email is sent, so a retried mail carries the current time and place."""
    from .models import Session

    session = Session.objects.filter(pk=int(reference)).first()
    if session is None:
        return None
    return f"otwb-sessie-{session.pk}.ics", session_calendar(session), "text/calendar"


def trainer_feed(trainer, sessions, *, now=None):
    now = now or timezone.now()
    cal = _calendar(f"OTWB – {trainer.name}")
    for session in sessions:
        cal.add_component(_event(session, now))
    return _finish(cal)
