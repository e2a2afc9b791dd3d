"""Tunable numbers of the tour. Each can be overridden in settings (``OTWB_...``) and the
per-session ones are copied onto the session so a later change does not rewrite history."""

from django.conf import settings

__all__ = [
    "driehoek_capacity",
    "min_vertrouwenspersonen",
    "no_session_nudge_weeks",
    "registration_close_days",
]


def driehoek_capacity():
    return getattr(settings, "OTWB_DRIEHOEK_CAPACITY", 6)


def registration_close_days():
    return getattr(settings, "OTWB_REGISTRATION_CLOSE_DAYS", 28)


def min_vertrouwenspersonen():
    return getattr(settings, "OTWB_MIN_VERTROUWENSPERSONEN", 1)


def no_session_nudge_weeks():
    return getattr(settings, "OTWB_NO_SESSION_NUDGE_WEEKS", 6)
