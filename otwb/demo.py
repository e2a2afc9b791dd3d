"""Demo data for the tour (called by ``manage.py seed_demo``): a tour with trajecten for
every gemeente and provincie, a few at different stages, trainers with availability and
sessions, among them a regional driehoek session open for registration. Idempotent."""

import datetime as dt

from django.utils import timezone

from weerbaar.models import Organisation, User

from . import demo_history, services
from .constants import SessionKind, SessionStatus, Theme, TourKind, TrainerKind, TrainerOrigin
from .models import Session, Tour, Trainer, Traject, WeeklyAvailability

TOUR_NAME = "Ronde Weerbaar Bestuur 2022–2027"


def _trainer(name, kind, origin, user=None):
    trainer, created = Trainer.objects.get_or_create(
        name=name, defaults={"kind": kind, "origin": origin, "user": user}
    )
    if created:
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(
                trainer=trainer, weekday=d, start_time=dt.time(9), end_time=dt.time(22, 30)
            )
            for d in range(5)
        )
    return trainer


def _at(days, hour):
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def seed_demo():
    if Tour.objects.filter(name=TOUR_NAME).exists():
        return
    coordinator = User.objects.get(email="coordinator@otwb.demo")
    vp_user = User.objects.get(email="vertrouwenspersoon@otwb.demo")
    tour = Tour.objects.create(
        name=TOUR_NAME,
        kind=TourKind.MAIN,
        starts_on=dt.date(2022, 7, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    services.create_trajecten(tour, actor=coordinator)
    vera = _trainer(
        "Vera Vertrouwenspersoon", TrainerKind.VERTROUWENSPERSOON, TrainerOrigin.NGB, vp_user
    )
    _trainer("Henk de Wit", TrainerKind.VERTROUWENSPERSOON, TrainerOrigin.WETHOUDERS)
    _trainer("Nadia El Amrani", TrainerKind.VERTROUWENSPERSOON, TrainerOrigin.NVVR)
    _trainer("Pieter Staal", TrainerKind.VERTROUWENSPERSOON, TrainerOrigin.STATENLID)
    expert = _trainer("Eva Online", TrainerKind.EXPERT, TrainerOrigin.OTHER)

    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in=["GM0344", "GM0014", "PV26", "GM0363"])
    }
    utrecht = Traject.objects.get(tour=tour, organisation=orgs["GM0344"])
    services.transition_traject(utrecht, "invited", actor=coordinator, channel="letter")
    services.transition_traject(utrecht, "called", actor=coordinator)
    talk = services.plan_voorgesprek(utrecht, planned_at=_at(-30, 10), actor=coordinator)
    services.record_voorgesprek(
        talk,
        held_at=_at(-30, 11),
        themes=[Theme.ONLINE, Theme.GRIFFIE, Theme.REPORTING],
        notes="Behoefte aan een sessie over online intimidatie en de rol van de griffie.",
        actor=coordinator,
    )
    council = services.create_session(
        tour=tour,
        kind=SessionKind.COUNCIL,
        title="Raadsbrede sessie Utrecht",
        starts_at=_at(21, 19),
        ends_at=_at(21, 22),
        place="Stadhuis Utrecht, Stadsplateau 1",
        organisations=[orgs["GM0344"]],
        actor=coordinator,
    )
    services.assign_trainer(council, vera, actor=coordinator)
    services.assign_trainer(council, expert, actor=coordinator)
    services.transition_session(council, SessionStatus.CONFIRMED, actor=coordinator)

    groningen = Traject.objects.get(tour=tour, organisation=orgs["GM0014"])
    services.transition_traject(groningen, "invited", actor=coordinator, channel="email")

    services.create_session(
        tour=tour,
        kind=SessionKind.DRIEHOEK,
        title="Regionale driehoeksessie Midden-Nederland",
        starts_at=_at(60, 13),
        ends_at=_at(60, 17),
        place="Provinciehuis Utrecht, Archimedeslaan 6",
        actor=coordinator,
    )
    return Session.objects.filter(tour=tour).count()


# What seed_history adds, as the command reports it ("493 meldingen").
HISTORY = "sessies van de ronde"


def seed_history(people):
    """The demo tour's first years: voorgesprekken and sessions (``demo_history``)."""
    tour = Tour.objects.filter(name=TOUR_NAME).first()
    return demo_history.seed_history(tour) if tour is not None else 0
