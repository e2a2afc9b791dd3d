"""Demo meldingen for the demo accounts (called by ``manage.py seed_demo``), made through
the real write path so routing, timeline, audit and deadlines are as in production.
Idempotent: nothing is added when a demo reporter already has meldingen."""

from datetime import timedelta

from django.utils import timezone

from weerbaar.models import User

from . import demo_history, services
from .constants import AangifteStatus, Category, Channel, Perpetrator, Place, Severity, Status
from .models import Melding
from .services import followup

DEMO = [
    # reporter, filed by, categories, place, channel, description, triage steps
    (
        "raadslid@utrecht.demo",
        None,
        [Category.THREAT, Category.ONLINE],
        Place.ONLINE,
        Channel.SOCIAL,
        "Na mijn motie over de woonwagenlocatie kreeg ik via Facebook berichten "
        "dat men 'wel weet waar ik woon'.",
        "aangifte",
    ),
    (
        "raadslid@utrecht.demo",
        "griffier@utrecht.demo",
        [Category.VERBAL],
        Place.WORK,
        Channel.MEETING,
        "Tijdens het inspreekmoment werd ik door een inspreker uitgescholden.",
        "new",
    ),
    (
        "wethouder@utrecht.demo",
        None,
        [Category.HOME_VISIT, Category.INTIMIDATION],
        Place.HOME,
        Channel.AT_HOME,
        "Twee mannen stonden 's avonds bij mijn voordeur over de vergunning.",
        "ack",
    ),
    (
        "ambtenaar@utrecht.demo",
        None,
        [Category.VERBAL, Category.DISCRIMINATION],
        Place.WORK,
        Channel.PHONE,
        "Een beller aan de balie werd grof en discriminerend.",
        "closed",
    ),
    (
        "raadslid@groningen.demo",
        None,
        [Category.DOXING],
        Place.ONLINE,
        Channel.SOCIAL,
        "Mijn adres is op een forum gezet met een foto van mijn huis.",
        "new",
    ),
    (
        "burgemeester@utrecht.demo",
        None,
        [Category.THREAT],
        Place.PUBLIC,
        Channel.IN_PERSON,
        "Bij de opening van de markt werd ik bedreigd door een man met een stok.",
        "new",
    ),
]


def _reporter_membership(user):
    return next(m for m in user.active_memberships if m.role in ("office_holder", "civil_servant"))


def _triager(melding):
    from . import routing

    people = routing.triagers(melding)
    return people[0] if people else None


def seed_demo():
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    if not users or Melding.objects.filter(reporter__in=users.values()).exists():
        return
    now = timezone.now()
    for email, filer_email, categories, place, channel, description, stage in DEMO:
        reporter = users.get(email)
        if reporter is None:
            continue
        filer = users.get(filer_email) if filer_email else reporter
        data = {
            "occurred_at": now - timedelta(hours=20),
            "place": place,
            "channel": channel,
            "description": description,
            "perpetrator": Perpetrator.UNKNOWN,
            "help_wanted": ["talk"],
            "confidential": False,
        }
        melding = services.save_draft(
            filed_by=filer,
            membership=_reporter_membership(reporter),
            data=data,
            categories=list(categories),
        )
        melding = services.submit(melding, actor=filer)
        triager = _triager(melding)
        if stage == "new" or triager is None:
            continue
        services.set_severity(melding, Severity.HIGH, actor=triager)
        melding = services.transition(melding, Status.IN_TRIAGE, actor=triager)
        services.post_message(melding, "Dank voor uw melding. Ik bel u vandaag nog.", actor=triager)
        if stage == "aangifte":
            followup.save_aangifte(
                melding,
                actor=triager,
                data={"status": AangifteStatus.PREPARED, "vpt_mentioned": True},
            )
            services.transition(melding, Status.IN_FOLLOW_UP, actor=triager)
        if stage == "closed":
            services.transition(melding, Status.CLOSED, actor=triager)


# What seed_history adds, as the command reports it ("493 meldingen").
HISTORY = "meldingen"


def seed_history(people):
    """A year of handled meldingen of the made-up ``people``."""
    return demo_history.seed_history(people)
